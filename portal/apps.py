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
