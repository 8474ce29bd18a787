from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Leadership pledge"

    def ready(self) -> None:
        from pledges.permissions import can_review
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
