from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"

    def ready(self) -> None:
        from portal.notifications.registry import Delivery, Kind, register
        from portal.staff import StaffTool
        from portal.staff import register as register_staff_tool
        from training import receivers  # noqa: F401 - connects the sign-in receiver
        from training.permissions import can_see_figures

        register_staff_tool(
            StaffTool(
                url_name="training:resource-figures",
                title="Editors' figures",
                description="Views, starts, completions and feedback for each training resource.",
                allowed=can_see_figures,
            )
        )

        # Opt-in: nobody hears about new resources unless they chose a level on its page and turned this on.
        register(
            Kind(
                name="training.new_resource",
                label="New training resources",
                description="A new resource at a practice level you follow. Choose levels on each level's page.",
                template="training/email/new_resource",
                default=Delivery.OFF,
            )
        )
