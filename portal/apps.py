from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from portal import checks  # noqa: F401 - registers the deployment checks
        from portal.notifications import kinds  # noqa: F401 - registers the portal's notification kinds
        from portal.permissions import has_second_factor
        from portal.staff import StaffTool, register

        # The admin site lets in staff accounts with two-step verification (portal.middleware); what each can do
        # there follows their groups' model permissions.
        register(
            StaffTool(
                url_name="admin:index",
                title="Admin site",
                description="Every record the portal holds: people, training content, pledges and their history.",
                allowed=lambda user: user.is_staff and has_second_factor(user),
            )
        )
