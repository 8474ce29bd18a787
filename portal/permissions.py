"""Who may see staff pages. One place: the admin (through the middleware) and staff pages outside it both use this."""

from collections.abc import Callable, Iterable
from functools import wraps

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

SECOND_FACTOR_MESSAGE = (
    "Before you use the staff pages, set up two-step verification. "
    "It keeps the personal details people trust us with safe if your password is ever guessed."
)


def has_second_factor(user) -> bool:
    """An authenticator app or a passkey (recovery codes alone are a fallback, not a factor)."""
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def in_groups(user, groups: Iterable[str]) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=list(groups)).exists()


def staff_page(*, groups: Iterable[str]) -> Callable:
    """Decorate a view that only members of `groups` (and superusers) may use, after setting up two-step verification.

    Signed out: sent to sign in. Signed in without the group: 403. In the group without a second factor: sent to set
    one up, with a message saying why.
    """
    groups = tuple(groups)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not in_groups(user, groups):
                raise PermissionDenied
            if not has_second_factor(user):
                messages.info(request, SECOND_FACTOR_MESSAGE)
                return redirect("mfa_index")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
