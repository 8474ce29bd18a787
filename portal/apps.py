from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from portal import checks  # noqa: F401 - registers the deployment checks
        from portal.notifications import registry

        # Every app's notifications.py, the way the admin finds admin.py: an app adds kinds without touching this.
        registry.discover()
