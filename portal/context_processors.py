from django.conf import settings
from django.http import HttpRequest

NAVIGATION = [
    ("training", "Training", "training:landing"),
    ("community", "Community", "community:landing"),
    ("pledges", "Pledge", "pledges:landing"),
    ("champions", "Champions", "champions:landing"),
]


def site(request: HttpRequest) -> dict:
    """Values every page's shell needs: the service name, phase and where the quick exit goes."""
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "PORTAL_PHASE": settings.PORTAL_PHASE,
        "PORTAL_FEEDBACK_EMAIL": settings.PORTAL_FEEDBACK_EMAIL,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "QUICK_EXIT_ALT_URL": settings.QUICK_EXIT_ALT_URL,
        "NAVIGATION": NAVIGATION,
    }
