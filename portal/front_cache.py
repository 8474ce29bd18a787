"""Pages for people who are not signed in, answered before the rest of the middleware runs.

`portal.cache.public_page` stores a view's page under its namespaces' versions, but a request served from there still
passes through every middleware (the session, the user, messages, allauth, history, the CSP builder, URL resolution):
about two thirds of what a cached page costs. This keeps the finished response, with every header the middleware
added, under the same versions, and `portal.middleware.FrontPageCacheMiddleware` (first in MIDDLEWARE) answers from
it when it can:

- only a GET with no session cookie and no messages cookie (nobody signed in, no message waiting, no anonymous
  learner's progress), for an address a public_page view has answered before in this process (its namespaces are
  remembered per address, so a lookup for any other address costs nothing);
- only what public_page itself would serve to someone signed out, for the versions that page was built from: a bump
  of any of its namespaces makes the entry unreachable at once, as for the page itself;
- only a finished 200 that sets no cookie and is not marked private or no-store.

So the headers on a hit are exactly those of the response stored: the security headers and the
Content-Security-Policy (this portal uses no nonce) are the same for every signed-out visitor. A hit reads the page
from this process's copy (or, the first time, from the shared cache), under the versions this process read at most
VERSIONS_TRUSTED_FOR ago: a bump made in this process shows at once, one made in another process (another server, or
another worker of this one) shows to the visitors this process answers at most that much later. A hit then makes no
round trip at all.
"""

import threading
import time
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from portal import cache as versioned

# Each process's last pages, keyed by the versioned key, and which namespaces each address's page depends on.
_LOCAL_SIZE = 256
_ADDRESSES_SIZE = 4096
_pages: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_addresses: OrderedDict[str, tuple[str, ...]] = OrderedDict()
_lock = threading.Lock()

_OFFER = "_front_cache_offer"

VERSIONS_TRUSTED_FOR = 1.0  # seconds
_versions: dict[tuple[str, ...], tuple[float, str]] = {}


def clear_local() -> None:
    with _lock:
        _pages.clear()
        _addresses.clear()
        _versions.clear()


def forget_versions() -> None:
    """A namespace was bumped in this process (portal.cache.bump): read the versions afresh."""
    with _lock:
        _versions.clear()


def _current_versions(namespaces: tuple[str, ...]) -> str:
    now = time.monotonic()
    with _lock:
        found = _versions.get(namespaces)
    if found is not None and found[0] > now:
        return found[1]
    current = versioned.versions(namespaces)
    with _lock:
        _versions[namespaces] = (now + VERSIONS_TRUSTED_FOR, current)
    return current


def address(request: HttpRequest) -> str:
    """The page's full address (scheme, host, path and query string): what every kept page's key holds."""
    return f"{request.scheme}://{request.get_host()}{request.get_full_path()}"


def may_answer(request: HttpRequest) -> bool:
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(versions: str, where: str) -> str:
    return f"portal:front:{versions}:{versioned.digest(where)}"


def lookup(request: HttpRequest) -> HttpResponse | None:
    where = address(request)
    with _lock:
        namespaces = _addresses.get(where)
    if namespaces is None:
        return None
    key = _key(_current_versions(namespaces), where)
    with _lock:
        found = _pages.get(key)
        if found is not None and found[0] < time.monotonic():
            del _pages[key]
            found = None
    stored = found[1] if found is not None else cache.get(key)
    if stored is None:
        return None
    if found is None:
        _keep(key, stored)
    content, status, headers = stored
    return stored_response(content, status, headers)


def stored_response(content: bytes, status: int, headers: list[tuple[str, str]]) -> HttpResponse:
    """A response made again from what was kept of one: its body, status and headers."""
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def offer(request: HttpRequest, namespaces: tuple[str, ...], versions: str) -> None:
    """Called by public_page for a signed-out request it serves or stores: the finished response may be kept."""
    setattr(request, _OFFER, (namespaces, versions))


def store(request: HttpRequest, response: HttpResponseBase) -> None:
    offered = getattr(request, _OFFER, None)
    if offered is None or not isinstance(response, HttpResponse):
        return
    if response.status_code != 200 or response.streaming or response.cookies:
        return
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return
    namespaces, versions = offered
    where = address(request)
    key = _key(versions, where)
    stored = (response.content, response.status_code, list(response.items()))
    cache.set(key, stored, versioned.PAGE_TIMEOUT)
    _keep(key, stored)
    with _lock:
        _addresses[where] = namespaces
        _addresses.move_to_end(where)
        while len(_addresses) > _ADDRESSES_SIZE:
            _addresses.popitem(last=False)


def _keep(key: str, stored: Any) -> None:
    with _lock:
        _pages[key] = (time.monotonic() + versioned.PAGE_TIMEOUT, stored)
        _pages.move_to_end(key)
        while len(_pages) > _LOCAL_SIZE:
            _pages.popitem(last=False)
