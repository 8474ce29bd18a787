from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"

    def ready(self) -> None:
        from portal.staff import StaffTool
        from portal.staff import register as register_staff_tool
        from training import receivers  # noqa: F401 - connects the sign-in, publishing and catalogue receivers
        from training.permissions import can_see_figures

        register_staff_tool(
            StaffTool(
                url_name="training:resource-figures",
                title="Editors' figures",
                description="Views, starts, completions and feedback for each training resource.",
                allowed=can_see_figures,
            )
        )
