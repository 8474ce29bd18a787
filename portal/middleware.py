from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.middleware import auser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from portal import cache, front_cache, member_pages, user_cache
from portal.permissions import SECOND_FACTOR_MESSAGE, has_second_factor, is_admin_account


class FrontPageCacheMiddleware:
    """First in MIDDLEWARE: answers a signed-out visitor's GET for a page cached whole before anything else runs, and
    keeps the finished response of every page portal.cache.public_page offers (portal/front_cache.py says when)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not front_cache.may_answer(request):
            return self.get_response(request)
        found = front_cache.lookup(request)
        if found is not None:
            return found
        response = self.get_response(request)
        front_cache.store(request, response)
        return response


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, with the user row from the cache (portal/user_cache.py says how it stays current), and every cache
    version the request is likely to read fetched in one round trip before the view runs (portal.cache.prefetch),
    with whatever the person's last request for this page read after it (portal.cache.learn).

    A subclass, so that whatever checks for Django's middleware (the admin's system checks) still finds it."""

    sync_capable = True
    async_capable = False

    def __call__(self, request: HttpRequest) -> Any:
        with cache.request_memo():
            try:  # the session is read here (one round trip to Redis) rather than later
                user_id: int | None = int(request.session[SESSION_KEY])
            except (KeyError, TypeError, ValueError):
                user_id = None
            who = None if user_id is None else (user_id, request.path)
            cache.prefetch([*cache.request_keys(user_id), *(cache.learned_keys(who) if who else ())])
            request.user = SimpleLazyObject(lambda: user_cache.lazy_user(request))  # type: ignore[assignment]
            request.auser = partial(auser, request)
            response = self.get_response(request)
            if who is not None:
                cache.learn(who)
                if request.method not in member_pages.SAFE_METHODS:
                    member_pages.person_acted(who[0])  # what they just did shows on their next page
            return response


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
