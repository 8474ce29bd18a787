from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Leadership pledge"

    def ready(self) -> None:
        from pledges.permissions import can_review
        from pledges.selectors import REGISTER_CACHE
        from portal.cache import prefetch_on_every_request

        prefetch_on_every_request(REGISTER_CACHE)  # read in each request's first round trip (portal.cache.prefetch)
        from portal.staff import StaffTool
        from portal.staff import register as register_staff_tool

        register_staff_tool(
            StaffTool(
                url_name="pledges:review-list",
                title="Pledge review queue",
                description="New pledges, changes and progress updates waiting for a decision.",
                allowed=can_review,
            )
        )
