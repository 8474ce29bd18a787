from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"

    def ready(self) -> None:
        from community import permissions, receivers
        from community.caching import FORUM_CACHE
        from portal import staff
        from portal.cache import prefetch_on_every_request
        from portal.services import account_deleting

        account_deleting.connect(receivers.account_deleting, dispatch_uid="community.account_deleting")
        staff.register(
            staff.StaffTool(
                url_name="community:moderation-queue",
                title="Community moderation",
                description="Flagged posts, posts and members waiting for approval, suspensions and topic tools.",
                allowed=permissions.can_moderate,
            )
        )
        staff.register(
            staff.StaffTool(
                url_name="community:moderation-log",
                title="Community moderation log",
                description="Every action the community's moderators have taken, and why.",
                allowed=permissions.can_read_audit_log,
            )
        )
        receivers.connect()
        prefetch_on_every_request(FORUM_CACHE)  # read in each request's first round trip (portal.cache.prefetch)
