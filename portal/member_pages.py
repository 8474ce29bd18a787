"""Whole pages kept for one signed-in person, for pages they read again and again (the forum's lists and topics).

A page built for one person (their unread marks, their own reactions and controls, the forms with their CSRF token)
is kept for them alone, under:

- the shared namespaces the page is built from (the forum's version: any new post, edit, reaction or moderation);
- their own `user.<id>` version (the account row and their groups: becoming a moderator, for instance);
- their own `pages.<id>` version, bumped after every POST (PUT, PATCH, DELETE) they make anywhere in the portal
  (portal.middleware.AuthenticationMiddleware), so whatever they just did shows on their next page;
- the personal namespaces the view names (`community.<id>`, bumped by what others change about them: a group
  membership decided, a block);
- the page's full address. The CSRF secret the page's forms were made with is kept beside it: served only to a
  browser holding that secret, or none (which is then given it, as Django gives a new one to a browser without).

It lives `MEMBER_PAGE_TIMEOUT` seconds at most, so what depends on the clock alone (an edit window closing, a
suspension ending, "new" marks) is never more than that behind. The header's account links (the unread count) are
filled in afresh on every request, as for pages cached for everyone signed in (portal.cache.public_page).

Served only for a GET with no message waiting, stored only for a 200 that sets no cookie other than the CSRF
cookie's renewal, changes nothing in the session and is not marked private or no-store. A view whose GET writes
(a topic page moves the reader's own read position) must bump a personal namespace it names when it does, or the
next request would be served the page built before the write; the write then happens once, not on every visit.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeAlias

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.response import SimpleTemplateResponse

from portal import cache as versioned
from portal import front_cache
from portal.user_cache import USER_CACHE

_P = ParamSpec("_P")
_View: TypeAlias = Callable[Concatenate[HttpRequest, _P], HttpResponseBase]

MEMBER_PAGE_TIMEOUT = 60
# personal(PAGES, user_id) is bumped after every request of theirs that may change something.
PAGES = "pages"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def person_acted(user_id: int) -> None:
    """After a request by `user_id` that may have changed something: their kept pages are stale."""
    versioned.bump(versioned.personal(PAGES, user_id))


def prefetch_keys(user_id: int) -> list[str]:
    return [versioned.version_key(versioned.personal(PAGES, user_id))]


def _serves(request: HttpRequest) -> bool:
    return request.method == "GET" and request.user.is_authenticated and not len(get_messages(request))


def _csrf_secret_fits(request: HttpRequest, secret: str) -> bool:
    """Whether the kept page's forms (their tokens made from `secret`) will post from this browser: it holds the same
    CSRF secret, or none yet, in which case it is given that one, as Django gives a new secret to a browser without.
    The page is this person's alone (its key holds their id), so only someone signed in as them receives it."""
    if not secret:  # built without a form that posts
        return True
    held = request.META.get("CSRF_COOKIE")
    if held is None:
        request.META["CSRF_COOKIE"] = secret
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # CsrfViewMiddleware sets the cookie on the response
        return True
    return held == secret


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    # The only cookie such a page may set is the CSRF cookie (Django sets or renews it whenever a form asks for a
    # token): the secret is kept with the page.
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _names(namespaces: tuple[str, ...], personal_namespaces: tuple[str, ...], user_id: int) -> tuple[str, ...]:
    return (
        *namespaces,
        versioned.personal(USER_CACHE, user_id),
        versioned.personal(PAGES, user_id),
        *(versioned.personal(name, user_id) for name in personal_namespaces),
    )


def _key(user_id: int, names: tuple[str, ...], where: str) -> str:
    return f"portal:member-page:{user_id}:{versioned.digest(f'{versioned.versions(names)}|{where}')}"


def _kept_response(request: HttpRequest, key: str) -> HttpResponse | None:
    stored: Any = versioned.read(key)
    if stored is None or not _csrf_secret_fits(request, stored[0]):
        return None
    _, content, status, headers = stored
    return front_cache.stored_response(versioned.personalise(request, content), status, headers)


# Which pages each process kept for whom, and under which namespaces: (user id, address) -> names, its last 4,096.
_KEPT_SIZE = 4096
_kept: OrderedDict[tuple[int, str], tuple[str, ...]] = OrderedDict()
_kept_lock = threading.Lock()


def forget_kept() -> None:
    with _kept_lock:
        _kept.clear()


def answer_early(request: HttpRequest, user_id: int) -> HttpResponse | None:
    """portal.middleware.AuthenticationMiddleware asks this before the rest of the middleware and the URL resolver run:
    the page kept for this person at this address, if this process kept one and it is still current (the same rules
    as member_page's own lookup; the versions and the page were read in the request's first round trip). The
    middleware this skips does nothing for such a GET but set X-Frame-Options, which is set here."""
    if request.method != "GET":
        return None
    where = front_cache.address(request)
    with _kept_lock:
        names = _kept.get((user_id, where))
    if names is None:
        return None
    # A message waiting (in its cookie or the session) belongs on a page built now.
    if "messages" in request.COOKIES or "_messages" in request.session:
        return None
    user = request.user
    if not user.is_authenticated or user.pk != user_id:  # the session checked against the account, as ever
        return None
    page = _kept_response(request, _key(user_id, names, where))
    if page is not None and "X-Frame-Options" not in page:
        page["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
    return page


def member_page(*namespaces: str, personal_namespaces: tuple[str, ...] = ()) -> Callable[[_View[_P]], _View[_P]]:
    """Keep a view's page for each signed-in person who reads it (see the module's docstring for when)."""

    def decorator(view: _View[_P]) -> _View[_P]:
        @wraps(view)
        def wrapper(request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponseBase:
            if not _serves(request):
                return view(request, *args, **kwargs)
            from portal.templatetags.portal_shell import render_shared

            user_id: int = request.user.pk  # type: ignore[assignment]  # signed in (_serves)
            names = _names(namespaces, personal_namespaces, user_id)
            where = front_cache.address(request)
            key = _key(user_id, names, where)
            page = _kept_response(request, key)
            if page is not None:
                return page
            render_shared(request)
            try:
                response = view(request, *args, **kwargs)
            except Exception:
                # An error page (a 404, say) is rendered later, for this person: with their own links, not the marker.
                render_shared(request, False)
                raise

            def store(rendered: HttpResponseBase) -> None:
                if not isinstance(rendered, HttpResponse):
                    return
                if _storable(request, rendered):
                    secret = request.META.get("CSRF_COOKIE", "")
                    kept = (secret, rendered.content, rendered.status_code, list(rendered.items()))
                    cache.set(key, kept, MEMBER_PAGE_TIMEOUT)
                    with _kept_lock:
                        _kept[(user_id, where)] = names
                        _kept.move_to_end((user_id, where))
                        while len(_kept) > _KEPT_SIZE:
                            _kept.popitem(last=False)
                rendered.content = versioned.personalise(request, rendered.content)

            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.add_post_render_callback(store)
            else:
                store(response)
            return response

        return wrapper

    return decorator
