from functools import cache

from django.conf import settings
from django.http import HttpRequest

from portal.permissions import is_admin_account

NAVIGATION = [
    ("training", "Training", "training:landing"),
    ("community", "Community", "community:landing"),
    ("pledges", "Pledge", "pledges:landing"),
    ("champions", "Champions", "champions:landing"),
]


def shell_settings() -> dict:
    """What the page shell shows that is the same for everyone (also what its cached fragments see:
    portal/templatetags/portal_shell.py)."""
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "PORTAL_PHASE": settings.PORTAL_PHASE,
        "PORTAL_FEEDBACK_EMAIL": settings.PORTAL_FEEDBACK_EMAIL,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "QUICK_EXIT_ALT_URL": settings.QUICK_EXIT_ALT_URL,
    }


def site(request: HttpRequest) -> dict:
    """Values every page's shell needs: the service name, phase, where the quick exit goes, and whether to offer
    the admin (portal.permissions decides; no query)."""
    return {
        "show_admin_link": is_admin_account(getattr(request, "user", None)),
        **shell_settings(),
        "NAVIGATION": NAVIGATION,
    }


def notifications(request: HttpRequest) -> dict:
    """The unread count for the header, only if a template asks, at most once per request: from the cache
    (notifications.selectors.unread_count), else one cheap query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread_notification_count() -> int:
        from portal.notifications.selectors import unread_count

        return unread_count(user=user)

    return {"unread_notification_count": unread_notification_count}
