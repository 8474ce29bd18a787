"""Signal receivers for training, connected in TrainingConfig.ready()."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from training import services as catalogue_services
from training.learning import services
from training.models import Resource


# Django's own signal, not allauth's: django.contrib.auth.login() sends it for every way of signing in (password,
# passkey, a link by email, the admin's sign-in, signing up), so no page has to catch up on a later GET.
@receiver(user_logged_in, dispatch_uid="training-merge-session-progress")
def merge_progress_on_sign_in(sender, request, user, **kwargs) -> None:
    """What someone did in a module before signing in is kept: it joins their record as they sign in."""
    if request is not None and hasattr(request, "session"):
        services.session_progress_merge(user=user, session=request.session)


@receiver(post_save, sender=Resource, dispatch_uid="training-resource-saved")
def resource_saved(sender, instance: Resource, raw: bool = False, **kwargs) -> None:
    """Publishing is a change of state, however it is made: the service decides whether followers are due news."""
    if not raw:  # loaddata writes rows as they were, announced or not
        catalogue_services.resource_saved(resource=instance)
