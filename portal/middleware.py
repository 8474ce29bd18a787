from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class StaffMFARequiredMiddleware:
    """Staff reach the admin site only once they have set up two-step verification.

    The admin holds personal data about pledges, members and champions, so a stolen password alone must not open it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith(reverse("admin:index"))
            and not Authenticator.objects.filter(
                user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            ).exists()
        ):
            messages.info(
                request,
                "Before you use the admin site, set up two-step verification. "
                "It keeps the personal details people trust us with safe if your password is ever guessed.",
            )
            return redirect("mfa_index")
        return self.get_response(request)
