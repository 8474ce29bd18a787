"""Caching what is the same for everyone, invalidated by version numbers that the writers bump.

Each namespace ("pledges", "training", "reference") has a version number in the cache. Every entry's key includes
the current version of its namespaces, so `bump(namespace)` makes every entry built from the old data unreachable at
once, on every server sharing the cache (Redis in production). Old entries are never deleted: they expire.

In development the cache is local memory, private to each process: a bump in one process is not seen by another.
Run one process (`make run` does), or set REDIS_URL.

    rows = cached("pledges", "open-data-rows", build_rows)   # built once per version, then read from the cache
    bump("pledges")                                          # in the service that changed public data

`public_page(...)` caches whole pages for people who are not signed in (see its docstring for what it refuses), and
portal/front_cache.py answers the next such request before the middleware runs.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeAlias, TypeVar, cast

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.response import SimpleTemplateResponse

from portal import front_cache

T = TypeVar("T")
_P = ParamSpec("_P")
# A view: a request and its URL arguments in, a response out (class-based views' as_view() promise no more than
# HttpResponseBase; only an HttpResponse is ever stored).
_View: TypeAlias = Callable[Concatenate[HttpRequest, _P], HttpResponseBase]

# Entries of a superseded version are unreachable but still take memory until they expire.
TIMEOUT = 60 * 60
# Whole pages expire sooner: a resource scheduled for publication later appears on them within this time.
PAGE_TIMEOUT = 5 * 60

_MISSING = object()

# A small copy in each process of what it read last, keyed by the full versioned key: a hit then costs one round
# trip for the versions and no transfer or unpickling (the open data is megabytes, the catalogue index thousands of
# objects). A bump changes the key, so this copy can never be staler than the shared cache.
_LOCAL_SIZE = 64
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str) -> object:
    with _local_lock:
        found = _local.get(key)
        if found is None:
            return _MISSING
        expires, value = found
        if expires < time.monotonic():
            del _local[key]
            return _MISSING
        _local.move_to_end(key)
        return value


def _local_set(key: str, value: object, timeout: int) -> None:
    with _local_lock:
        _local[key] = (time.monotonic() + timeout, value)
        _local.move_to_end(key)
        while len(_local) > _LOCAL_SIZE:
            _local.popitem(last=False)


def clear_local() -> None:
    """Forget this process's copies (tests clear the shared cache and this together)."""
    with _local_lock:
        _local.clear()
    with _learned_lock:
        _learned.clear()
    front_cache.clear_local()
    from portal import member_pages

    member_pages.forget_kept()


# --- One round trip a request -------------------------------------------------------------------------------------
# portal.middleware.CacheRoundTripMiddleware asks Redis once, at the start of each request, for every version (and the
# few personal values) a page is likely to read, and keeps the answers in this request's memo. Reads below look in the
# memo first and ask Redis only for what it lacks. A bump in this request drops its key from the memo, so the rest of
# the request sees the new version; another process's bump is seen by the next request (as it always was: a request
# that read a version a moment earlier could equally have read the old one).
_ABSENT = object()
_memo: ContextVar[dict[str, object] | None] = ContextVar("portal_cache_memo", default=None)
# The keys this request had to read after its first round trip (see learn()).
_missed: ContextVar[list[str] | None] = ContextVar("portal_cache_missed", default=None)


def _get_many(keys: list[str]) -> dict[str, Any]:
    memo = _memo.get()
    if memo is None:
        return cache.get_many(keys)
    missing = [key for key in keys if key not in memo]
    if missing:
        found = cache.get_many(missing)
        for key in missing:
            memo[key] = found.get(key, _ABSENT)
        missed = _missed.get()
        if missed is not None:
            missed.extend(missing)
    return {key: memo[key] for key in keys if memo[key] is not _ABSENT}


def _forget(key: str) -> None:
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


def _remember(key: str, value: object) -> None:
    memo = _memo.get()
    if memo is not None:
        memo[key] = value


@contextmanager
def request_memo() -> Iterator[None]:
    """Around one request (portal.middleware.AuthenticationMiddleware): reads inside share one memo."""
    token, missed_token = _memo.set({}), _missed.set([])
    try:
        yield
    finally:
        _memo.reset(token)
        _missed.reset(missed_token)


# What each signed-in person's last request for a page had to read after the first round trip (their learning record
# on My learning, a pathway's entry), kept in each process for its last _LEARNED_SIZE (person, path) pairs: the next
# request for the same page reads them in its first round trip too. A guess that no longer fits costs a few keys read
# for nothing; nothing is ever served from it that the versions do not vouch for.
_LEARNED_SIZE = 1024
_learned: OrderedDict[tuple[int, str], tuple[str, ...]] = OrderedDict()
_learned_lock = threading.Lock()


def learned_keys(who: tuple[int, str]) -> tuple[str, ...]:
    with _learned_lock:
        return _learned.get(who, ())


def learn(who: tuple[int, str]) -> None:
    """Remember what this request read after its first round trip, for the next request by `who` (person, path)."""
    missed = _missed.get()
    with _learned_lock:
        if missed:
            _learned[who] = tuple(dict.fromkeys(missed))
            _learned.move_to_end(who)
            while len(_learned) > _LEARNED_SIZE:
                _learned.popitem(last=False)


def prefetched(key: str) -> Any:
    """What this request's first round trip found under `key`, or None (absent, or not asked for)."""
    memo = _memo.get()
    found = memo.get(key) if memo is not None else None
    return None if found is _ABSENT else found


def prefetch(keys: Iterable[str]) -> None:
    """Read `keys` (version_key, value_key) into this request's memo in one round trip."""
    memo = _memo.get()
    if memo is None:
        return
    wanted = [key for key in keys if key not in memo]
    found = cache.get_many(wanted) if wanted else {}
    for key in wanted:
        memo[key] = found.get(key, _ABSENT)


# What every request reads first, in its one round trip: apps add their namespaces in AppConfig.ready().
_every_request: set[str] = set()
_every_signed_in_request: list[Callable[[int], Iterable[str]]] = []


def prefetch_on_every_request(*namespaces: str, personal_keys: Callable[[int], Iterable[str]] | None = None) -> None:
    """Read these namespaces' versions, and for someone signed in the keys `personal_keys(user_id)` names, in the
    round trip each request starts with (portal.middleware)."""
    _every_request.update(namespaces)
    if personal_keys is not None:
        _every_signed_in_request.append(personal_keys)


def request_keys(user_id: int | None) -> list[str]:
    keys = [version_key(name) for name in sorted(_every_request)]
    if user_id is not None:
        for personal_keys in _every_signed_in_request:
            keys.extend(personal_keys(user_id))
    return keys


def read(key: str) -> Any:
    """The value under `key` (None when absent), through this request's memo: a person's next request for the same
    page reads it in its first round trip (learn())."""
    return _get_many([key]).get(key)


def version_key(namespace: str) -> str:
    return f"portal:version:{namespace}"


def _new_version() -> int:
    # Start from the clock, not from 1: if a version key is evicted while entries of its old versions survive, a
    # restart at 1 could meet them again.
    return time.time_ns()


def versions(namespaces: Iterable[str]) -> str:
    """The current versions of the namespaces, as one string for a key. One round trip to the cache."""
    names = list(namespaces)
    found = _get_many([version_key(name) for name in names])
    parts = []
    for name in names:
        value = found.get(version_key(name))
        if value is None:
            value = _new_version()
            if not cache.add(version_key(name), value, timeout=None):
                value = cache.get(version_key(name), value)
            _remember(version_key(name), value)
        parts.append(f"{name}.{value}")
    return ":".join(parts)


def _increment(namespace: str) -> None:
    _forget(version_key(namespace))
    front_cache.forget_versions()
    try:
        cache.incr(version_key(namespace))
    except ValueError:  # no version yet (or evicted): any fresh value will do
        cache.set(version_key(namespace), _new_version(), timeout=None)


def bump(namespace: str) -> None:
    """Make everything cached for `namespace` stale: call it whenever its public data changes.

    It bumps now, so the rest of this request (and a test) sees the change, and again after the transaction commits,
    because a reader that ran between the two could have cached the old rows under the first new version.
    """
    _increment(namespace)
    transaction.on_commit(lambda: _increment(namespace))


def _namespaces(namespace: str | Iterable[str]) -> list[str]:
    return [namespace] if isinstance(namespace, str) else list(namespace)


def digest(text: str) -> str:
    """A short fixed-length key part for text that comes from people (search words, query strings)."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cached(
    namespace: str | Iterable[str], key: str, builder: Callable[[], T], *, timeout: int = TIMEOUT, local: bool = True
) -> T:
    """The value stored under `key` for the current version of `namespace` (one or several), built on a miss.

    `local=False` for values with many keys (one person's, one resource's): they would push what everyone shares
    out of this process's small copy. Those are read in one round trip with the versions: the value is stored under
    a key without them, beside the versions it was built from, and rebuilt when they no longer match."""
    names = _namespaces(namespace)
    if not local:
        return _cached_remote(names, key, builder, timeout)
    full_key = f"portal:data:{versions(names)}:{key}"
    value = _local_get(full_key)
    if value is not _MISSING:
        return cast(T, value)
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = builder()
        cache.set(full_key, value, timeout)
    _local_set(full_key, value, timeout)
    return cast(T, value)


def value_key(namespace: str | Iterable[str], key: str) -> str:
    """Where `cached(namespace, key, ..., local=False)` keeps its value (for prefetch)."""
    return f"portal:value:{':'.join(_namespaces(namespace))}:{key}"


def _cached_remote(names: list[str], key: str, builder: Callable[[], T], timeout: int) -> T:
    stored_key = value_key(names, key)
    found = _get_many([*(version_key(name) for name in names), stored_key])
    if all(version_key(name) in found for name in names):
        current = ":".join(f"{name}.{found[version_key(name)]}" for name in names)
    else:  # a namespace with no version yet (or evicted): start one
        current = versions(names)
    stored = found.get(stored_key)
    if stored is not None and stored[0] == current:
        return cast(T, stored[1])
    value = builder()
    # Stored beside the versions read before building: a writer's bump during the build makes it stale at once.
    cache.set(stored_key, (current, value), timeout)
    _remember(stored_key, (current, value))
    return value


def personal(namespace: str, user_id: int) -> str:
    """The namespace of one person's data ("learning.42"), bumped by whatever writes their rows, so a page can
    cache what only they see (their learning record, their unread count) until it changes."""
    return f"{namespace}.{user_id}"


# One person's cached values are read far less often than shared ones: they expire sooner.
PERSONAL_TIMEOUT = 15 * 60


# --- Whole pages --------------------------------------------------------------------------------------------------


def _serves_from_cache(request: HttpRequest, vary_on_query: bool, signed_in: bool) -> bool:
    if request.method != "GET" or (request.META.get("QUERY_STRING") and not vary_on_query):
        return False
    if request.user.is_authenticated and not signed_in:
        return False
    # A message waiting to be shown ("Thank you for your feedback") belongs to this person's next page only.
    return not len(get_messages(request))


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", ""):
        return False
    # The page asked for a CSRF token (it has a form that posts): the token is this person's, never anyone else's.
    # (A page rendered for everyone signed in leaves the header's sign-out form out until it is personalised.)
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def personalise(request: HttpRequest, content: bytes) -> bytes:
    """Put the person's own header links where a page rendered for everyone signed in left the marker."""
    from portal.templatetags.portal_shell import ACCOUNT_LINKS_MARKER, account_links_html

    return content.replace(ACCOUNT_LINKS_MARKER.encode(), account_links_html(request).encode(), 1)


def public_page(
    *namespaces: str, vary_on_query: bool = False, signed_in: bool = False
) -> Callable[[_View[_P]], _View[_P]]:
    """Cache a view's whole page for people who are not signed in, until one of `namespaces` is bumped.

    Served from the cache only for a GET by someone signed out, with no message waiting, and (unless
    `vary_on_query`) no query string. Stored only for a 200 that sets no cookie, did not change the session, asked
    for no CSRF token and is not marked private. The key holds the host, the scheme and the full path.

    `signed_in=True`, for a view whose page is the same for everyone signed in (it never reads who they are: only
    the header differs): also cached for people who are signed in, as a second entry rendered with a marker in
    place of the header's account links (portal_shell.account_links), which each request fills with the person's
    own (their unread count, the staff link, the sign-out form's CSRF token). The same rules decide what is stored.

    Only the view's own response is stored here: the middleware still runs on every response, so the security
    headers, the Content-Security-Policy (this portal uses no per-request nonce; a nonce would make pages
    uncacheable) and `Vary: Cookie` are added fresh each time, exactly as for a page built now. For someone signed
    out, the finished response is offered to portal.front_cache too, which answers the next such request before the
    middleware runs.
    """

    def decorator(view: _View[_P]) -> _View[_P]:
        @wraps(view)
        def wrapper(request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponseBase:
            if not _serves_from_cache(request, vary_on_query, signed_in):
                return view(request, *args, **kwargs)
            for_signed_in = bool(request.user.is_authenticated)
            where = front_cache.address(request)
            current = versions(namespaces)
            key = f"portal:page:{current}:{'in' if for_signed_in else 'out'}:{digest(where)}"
            stored: Any = _local_get(key)
            if stored is _MISSING:
                stored = cache.get(key)
                if stored is not None:
                    _local_set(key, stored, PAGE_TIMEOUT)
            if stored is not None:
                if not for_signed_in:
                    front_cache.offer(request, namespaces, current)
                content, status, headers = stored
                return front_cache.stored_response(
                    personalise(request, content) if for_signed_in else content, status, headers
                )
            if for_signed_in:
                from portal.templatetags.portal_shell import render_shared

                render_shared(request)
            response = view(request, *args, **kwargs)

            def store(rendered: HttpResponseBase) -> None:
                # Not an HttpResponse: a streaming one, which _storable refuses too.
                if not isinstance(rendered, HttpResponse):
                    return
                if _storable(request, rendered):
                    stored = (rendered.content, rendered.status_code, list(rendered.items()))
                    cache.set(key, stored, PAGE_TIMEOUT)
                    _local_set(key, stored, PAGE_TIMEOUT)
                    if not for_signed_in:
                        front_cache.offer(request, namespaces, current)
                if for_signed_in:
                    rendered.content = personalise(request, rendered.content)

            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.add_post_render_callback(store)  # it renders later, in the handler: store what it becomes
            else:
                store(response)
            return response

        return wrapper

    return decorator
