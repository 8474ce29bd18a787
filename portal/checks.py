"""Deployment checks of the portal's own settings, run by `manage.py check --deploy`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


# Caches that count in one process only: each gunicorn worker would keep its own count, so a limit of 5 an hour
# becomes 5 per worker per hour, and a restart forgets it. (DummyCache counts nothing at all.)
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, Tags.caches, deploy=True)
def rate_limits_are_shared(app_configs, **kwargs) -> list[Error]:
    """Rate limits (portal.ratelimits) must count across every web process, so their cache must be shared."""
    if settings.DEBUG:
        return []
    name = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    backend = settings.CACHES.get(name, {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                f"Rate limits count in the {name!r} cache, which is {backend.rsplit('.', 1)[-1]}: each process keeps "
                "its own count, so limits on signing, feedback and magic links would not hold.",
                hint="Set REDIS_URL so the cache is Redis, shared by every web process.",
                id="portal.E001",
            )
        ]
    return []


@register(Tags.compatibility)
def outbox_timeouts_fit_the_lease(app_configs, **kwargs) -> list[Error]:
    """A conversation with the mail server must end before the outbox's lease on the email does, or another worker
    takes the row and sends it a second time (portal/notifications/services/sending.py cuts one off at half)."""
    timeout = getattr(settings, "EMAIL_TIMEOUT", None)
    half_lease = settings.OUTBOX_SENDING_LEASE_SECONDS / 2
    if timeout is None or timeout <= 0 or timeout * 2 > half_lease:
        return [
            Error(
                f"EMAIL_TIMEOUT is {timeout!r}s and the outbox's lease {settings.OUTBOX_SENDING_LEASE_SECONDS}s:"
                " a stalled mail server could hold an email past its lease and it would be sent twice.",
                hint="Set EMAIL_TIMEOUT to at most a quarter of OUTBOX_SENDING_LEASE_SECONDS (defaults: 10s and 60s).",
                id="portal.E002",
            )
        ]
    return []
