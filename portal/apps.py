from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        # Imported for what they register: the deployment checks, and receivers that bump the reference data's
        # cache version on every change.
        from portal import checks, receivers  # noqa: F401
        from portal.notifications import kinds  # noqa: F401 - registers the portal's notification kinds
