"""Who may see staff pages. One place: the admin (through the middleware) and staff pages outside it both use this."""

from collections.abc import Callable, Iterable
from functools import wraps

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
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


def staff_access(
    request: HttpRequest, *, groups: Iterable[str], why: str = SECOND_FACTOR_MESSAGE
) -> HttpResponse | None:
    """The rule for every staff page outside the admin. None means "come in"; otherwise the response to send.

    Signed out: sent to sign in. Signed in but not in `groups` (nor a superuser): Http404, so staff pages do not
    announce themselves. In the group without a second factor: sent to set one up, with `why`.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not in_groups(user, groups):
        raise Http404("No such page")
    if not has_second_factor(user):
        messages.info(request, why)
        return redirect("mfa_index")
    return None


def staff_page(*, groups: Iterable[str]) -> Callable:
    """Decorate a view that only members of `groups` (and superusers) may use: see `staff_access`."""
    groups = tuple(groups)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return staff_access(request, groups=groups) or view(request, *args, **kwargs)

        return wrapped

    return decorator
