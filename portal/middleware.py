import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from typing import Any

import csp.constants
import csp.middleware
import csp.utils
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.middleware import auser
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from portal import cache, front_cache, member_pages, user_cache
from portal.permissions import SECOND_FACTOR_MESSAGE, has_second_factor, is_admin_account


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's, with the policy built once per process for every response that does not change it (no view in
    this portal does: no nonce, no per-view update). django-csp builds the header string afresh for every response,
    about a twentieth of what a cached page costs. A response or request that asks for anything else goes through
    django-csp's own code."""

    _CHANGES = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    )

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, a) for a in self._CHANGES):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (500, 404):
            return response
        for header, policy in _csp_headers():
            if header not in response and not request.path_info.startswith(policy[1]):
                response[header] = policy[0]
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


@functools.cache
def _csp_headers() -> tuple[tuple[str, tuple[str, tuple[str, ...]]], ...]:
    """Each CSP header this portal sends with its policy string and excluded URL prefixes (rebuilt when a test
    changes the settings)."""
    found = []
    for header, name, report_only in (
        (csp.constants.HEADER, "CONTENT_SECURITY_POLICY", False),
        (csp.constants.HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        policy = csp.utils.build_policy(report_only=report_only)
        if policy:
            prefixes = tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
            found.append((header, (policy, prefixes)))
    return tuple(found)


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _csp_headers.cache_clear()


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
            # One round trip for the session's entry (portal.sessions), the versions, and the personal keys of whoever
            # this session belonged to on its last request here (and what their last visit to this page read).
            session = request.session
            session_key = session.session_key
            guess = _session_users.get(session_key) if session_key else None
            first = [getattr(session, "cache_key", None)] if session_key else []
            cache.prefetch([*(key for key in first if key), *self._keys(guess, request.path)])
            try:
                user_id: int | None = int(session[SESSION_KEY])
            except (KeyError, TypeError, ValueError):
                user_id = None
            if user_id != guess:  # a new session, or a new person: their own keys in a second round trip
                cache.prefetch(self._keys(user_id, request.path))
                if session_key:
                    _session_users.remember(session_key, user_id)
            who = None if user_id is None else (user_id, request.path)
            request.user = SimpleLazyObject(lambda: user_cache.lazy_user(request))  # type: ignore[assignment]
            request.auser = partial(auser, request)
            early = member_pages.answer_early(request, user_id) if user_id is not None else None
            response = early if early is not None else self.get_response(request)
            if who is not None:
                cache.learn(who)
                if request.method not in member_pages.SAFE_METHODS:
                    member_pages.person_acted(who[0])  # what they just did shows on their next page
            return response

    @staticmethod
    def _keys(user_id: int | None, path: str) -> list[str]:
        learned = cache.learned_keys((user_id, path)) if user_id is not None else ()
        return [*cache.request_keys(user_id), *learned]


class _SessionUsers:
    """Which person each session belonged to on its last request in this process (its last 4,096 sessions)."""

    SIZE = 4096

    def __init__(self) -> None:
        self._users: OrderedDict[str, int | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session_key: str) -> int | None:
        with self._lock:
            return self._users.get(session_key)

    def clear(self) -> None:
        with self._lock:
            self._users.clear()

    def remember(self, session_key: str, user_id: int | None) -> None:
        with self._lock:
            self._users[session_key] = user_id
            self._users.move_to_end(session_key)
            while len(self._users) > self.SIZE:
                self._users.popitem(last=False)


_session_users = _SessionUsers()


def forget_sessions() -> None:
    """Forget which person each session belonged to (tests start afresh)."""
    _session_users.clear()


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
