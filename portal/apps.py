from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        # Imported for what they register: the deployment checks, and receivers that bump the reference data's
        # cache version on every change.
        from portal import checks, receivers  # noqa: F401
        from portal.notifications import registry

        # Every app's notifications.py, the way the admin finds admin.py: an app adds kinds without touching this.
        registry.discover()
        from portal.permissions import has_second_factor, is_admin_account
        from portal.staff import StaffTool, register

        # The admin site lets in staff accounts with two-step verification (portal.middleware); what each can do
        # there follows their groups' model permissions.
        register(
            StaffTool(
                url_name="admin:index",
                title="Admin site",
                description="Every record the portal holds: people, training content, pledges and their history.",
                allowed=lambda user: is_admin_account(user) and has_second_factor(user),
            )
        )
