"""Deployment checks of the portal's own settings, run by `manage.py check --deploy`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs) -> list[Warning]:
    """Links in emails and on certificates are built from SITE_URL: a local address would send people nowhere."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme != "https" or parts.hostname in {None, "localhost", "127.0.0.1", "::1"}:
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: links in emails and certificates would not reach people.",
                hint="Set SITE_URL to the portal's public https address, for example https://traumaportal.example.scot.",
                id="portal.W001",
            )
        ]
    return []
