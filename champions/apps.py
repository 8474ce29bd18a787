from django.apps import AppConfig


class ChampionsConfig(AppConfig):
    name = "champions"
    verbose_name = "Trauma champions network"

    def ready(self) -> None:
        from champions.permissions import can_manage, can_read_support_logs
        from portal.staff import StaffTool
        from portal.staff import register as register_staff_tool

        register_staff_tool(
            StaffTool(
                url_name="champions:admin-champion-list",
                title="Trauma champions network",
                description="Champions, cohorts and sessions, attendance, improvement plans and training delivered.",
                allowed=can_manage,
            )
        )
        register_staff_tool(
            StaffTool(
                url_name="champions:admin-support-access",
                title="Who read the one-to-one support log",
                description="Every read and change of the confidential one-to-one records, newest first.",
                allowed=can_read_support_logs,
            )
        )
