"""Rate limits: one decorator for every limited view, and whose requests count together.

`rate_limit(group=..., rate=...)` wraps django-ratelimit with `block=True`: over the limit, the view is not run and
RatelimitMiddleware (installed in settings) answers with RATELIMIT_VIEW, the portal's kind 429 page. Counts live in
the RATELIMIT_USE_CACHE cache, which must be shared by every process (Redis) for a limit to hold: the deploy check
portal.E001 (portal.checks) refuses a per-process cache when DEBUG is off.

Counting is per client address, and for a signed-in person per account as well (`per_account`, on by default): a
member cannot get round a limit by changing networks, and people sharing an office address are still held to it
together. The client address is the person's own, not the load balancer's. Behind N trusted proxies
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


def account_key(group: str, request: HttpRequest) -> str:
    """A django-ratelimit `key=` callable: the signed-in account (only called when `_account_rate` gave a rate)."""
    return f"account:{request.user.pk}"


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _account_rate(rate: Rate) -> Callable[[str, HttpRequest], str | None]:
    """The same rate for signed-in people, and no account limit (None) for anyone else."""

    def account_rate(group: str, request: HttpRequest) -> str | None:
        if not _signed_in(request):
            return None
        return rate(group, request) if callable(rate) else rate

    return account_rate


def rate_limit(
    *, group: str, rate: Rate, method: str | list[str] = "POST", block: bool = True, per_account: bool = True
) -> ViewDecorator:
    """Limit a view to `rate` (e.g. "5/h") requests per client address, counted together under `group`, and, with
    `per_account` (the default), to `rate` requests per signed-in account as well (counted under "<group>:account",
    so from any address). Over either limit the request is limited.

    `rate` may be a callable `(group, request) -> rate or None` (None: no limit for this request). Only `method`
    requests count, so reading a page is never limited. For a class-based view, wrap it with
    `method_decorator(rate_limit(...), name="post")`.

    `block=False` runs the view anyway with `request.limited` set (see `is_limited`), for forms that must answer
    over the limit with their own kind message and keep what the person wrote (the community's posting forms).
    """
    by_address: ViewDecorator = ratelimit(group=group, key=client_ip, rate=rate, method=method, block=block)  # untyped
    if not per_account:
        return by_address
    by_account: ViewDecorator = ratelimit(
        group=f"{group}:account", key=account_key, rate=_account_rate(rate), method=method, block=block
    )

    def both(view: _View) -> _View:
        return by_address(by_account(view))

    return both


def is_limited(request: HttpRequest) -> bool:
    """Whether a `rate_limit(..., block=False)` on this view found the request over its limit."""
    return bool(getattr(request, "limited", False))
