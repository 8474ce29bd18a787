"""Signal receivers for the portal, connected in PortalConfig.ready()."""

from django.db.models.signals import post_delete, post_save

from portal import models
from portal.cache import bump

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
