"""Signal receivers for the portal, connected in PortalConfig.ready()."""

from django.db.models.signals import post_delete, post_save

from portal import models
from portal.cache import bump, personal

# The version namespace of every cached page or value that shows reference data (portal/cache.py).
REFERENCE = "reference"
REFERENCE_MODELS = (
    models.CouncilArea,
    models.HealthAndSocialCarePartnership,
    models.HealthBoard,
    models.PracticeLevel,
    models.Principle,
    models.Role,
    models.Sector,
    models.ServiceArea,
)


def reference_changed(sender, raw: bool = False, **kwargs) -> None:
    """Reference data is edited in the admin, so a signal is the one place that sees every change."""
    if not raw:
        bump(REFERENCE)


for _model in REFERENCE_MODELS:
    for _signal in (post_save, post_delete):
        _signal.connect(reference_changed, sender=_model, dispatch_uid=f"portal-reference-{_model._meta.model_name}")


def notification_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    """A notification written or changed one at a time (the admin, the demo, tests): its recipient's cached unread
    count is stale. notify() and the inbox services write in bulk and bump for themselves."""
    from portal.notifications.selectors import NOTIFICATIONS_CACHE

    if not raw:
        bump(personal(NOTIFICATIONS_CACHE, instance.recipient_id))


# No post_delete receiver: it would make Django fetch every row the nightly purge deletes (read ones, which change no
# unread count). The admin bumps when it deletes.
post_save.connect(notification_saved, sender="portal.Notification", dispatch_uid="portal-notification-saved")
