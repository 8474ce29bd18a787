"""Signal receivers for training, connected in TrainingConfig.ready()."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from training.learning import services


# Django's own signal, not allauth's: django.contrib.auth.login() sends it for every way of signing in (password,
# passkey, a link by email, the admin's sign-in, signing up), so no page has to catch up on a later GET.
@receiver(user_logged_in, dispatch_uid="training-merge-session-progress")
def merge_progress_on_sign_in(sender, request, user, **kwargs) -> None:
    """What someone did in a module before signing in is kept: it joins their record as they sign in."""
    if request is not None and hasattr(request, "session"):
        services.session_progress_merge(user=user, session=request.session)
