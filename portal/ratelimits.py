"""Whose requests count together for rate limits: the person's own address, not the load balancer's.

Behind N trusted proxies (DJANGO_TRUSTED_PROXY_COUNT) the client's address is the Nth entry from the right of
X-Forwarded-For: each trusted proxy appends the address it received the request from, and anything further left
was written by the client and cannot be trusted. With no trusted proxy, REMOTE_ADDR is the client.
"""

from django.conf import settings
from django.http import HttpRequest


def ip_for_request(request: HttpRequest) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_ip(group: str, request: HttpRequest) -> str:
    """A django-ratelimit `key=` callable: the client's address as above."""
    return ip_for_request(request)
