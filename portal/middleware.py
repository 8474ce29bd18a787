from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from portal.permissions import SECOND_FACTOR_MESSAGE, has_second_factor, is_admin_account


class StaffMFARequiredMiddleware:
    """Staff reach the admin site only once they have set up two-step verification.

    The admin holds personal data about pledges, members and champions, so a stolen password alone must not open it.
    Staff pages outside the admin use `portal.permissions.staff_page`, which applies the same rule.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path.startswith(reverse("admin:index"))
            and is_admin_account(getattr(request, "user", None))
            and not has_second_factor(request.user)
        ):
            messages.info(request, SECOND_FACTOR_MESSAGE.replace("the staff pages", "the admin site"))
            return redirect("mfa_index")
        return self.get_response(request)
