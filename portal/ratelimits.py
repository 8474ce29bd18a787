"""Rate limits: one decorator for every limited view, and whose requests count together.

`rate_limit(group=..., rate=...)` wraps django-ratelimit with `block=True`: over the limit, the view is not run and
RatelimitMiddleware (installed in settings) answers with RATELIMIT_VIEW, the portal's kind 429 page. Counts live in
the RATELIMIT_USE_CACHE cache, which must be shared by every process (Redis) for a limit to hold: the deploy check
portal.E001 (portal.checks) refuses a per-process cache when DEBUG is off.

Counting is per client address: the person's own, not the load balancer's. Behind N trusted proxies
(DJANGO_TRUSTED_PROXY_COUNT) the client's address is the Nth entry from the right of X-Forwarded-For: each trusted
proxy appends the address it received the request from, and anything further left was written by the client and
cannot be trusted. With no trusted proxy, REMOTE_ADDR is the client.
"""

from collections.abc import Callable
from typing import Protocol, TypeAlias, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django_ratelimit.decorators import ratelimit

Rate: TypeAlias = str | Callable[[str, HttpRequest], str | None]

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


class ViewDecorator(Protocol):
    """Wraps a function view and returns one with the same signature."""

    def __call__(self, view: _View, /) -> _View: ...


def ip_for_request(request: HttpRequest) -> str:
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies:
        header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    remote_addr: str = request.META.get("REMOTE_ADDR", "")
    return remote_addr


def client_ip(group: str, request: HttpRequest) -> str:
    """A django-ratelimit `key=` callable: the client's address as above."""
    return ip_for_request(request)


def rate_limit(*, group: str, rate: Rate, method: str | list[str] = "POST", block: bool = True) -> ViewDecorator:
    """Limit a view to `rate` (e.g. "5/h") requests per client address, counted together under `group`.

    `rate` may be a callable `(group, request) -> rate or None` (None: no limit for this request). Only `method`
    requests count, so reading a page is never limited. For a class-based view, wrap it with
    `method_decorator(rate_limit(...), name="post")`.

    `block=False` runs the view anyway with `request.limited` set (see `is_limited`), for forms that must answer
    over the limit with their own kind message and keep what the person wrote (the community's posting forms).
    """
    decorator: ViewDecorator = ratelimit(group=group, key=client_ip, rate=rate, method=method, block=block)  # untyped
    return decorator


def is_limited(request: HttpRequest) -> bool:
    """Whether a `rate_limit(..., block=False)` on this view found the request over its limit."""
    return bool(getattr(request, "limited", False))
