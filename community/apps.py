from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"

    def ready(self) -> None:
        from community import permissions, receivers
        from community.caching import FORUM_CACHE, member_prefetch_keys
        from portal import staff
        from portal.cache import prefetch_on_every_request
        from portal.services import account_deleting, private_group_paths_wanted, private_group_sync

        account_deleting.connect(receivers.account_deleting, dispatch_uid="community.account_deleting")
        private_group_sync.connect(receivers.private_group_sync, dispatch_uid="community.private_group_sync")
        private_group_paths_wanted.connect(
            receivers.private_group_paths_wanted, dispatch_uid="community.private_group_paths_wanted"
        )
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
        # Read in each request's first round trip (portal.cache.prefetch).
        prefetch_on_every_request(FORUM_CACHE, personal_keys=member_prefetch_keys)
