"""Health endpoints for load balancers and operators: /healthz (the process answers) and /readyz (its dependencies).

/readyz answers 200 or 503 to everyone, with the status alone; the detail of each check (the backlog's size and age,
which dependency is down and why) only to IS admins with two-step verification and to HEALTH_DETAIL_NETWORKS (the
load balancer, monitoring): the client's address as portal.ratelimits reads it, so set DJANGO_TRUSTED_PROXY_COUNT
behind a proxy, or every request looks as if it came from the proxy.
"""

import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from portal.permissions import StaffGroup, has_staff_power
from portal.ratelimits import ip_for_request

logger = logging.getLogger(__name__)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    cache.set("readyz", "1", timeout=5)
    if cache.get("readyz") != "1":
        raise RuntimeError("cache did not return what was written")
    return "ok"


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok (no broker: tasks run in-process)"
    from portal.celery import app

    # A new connection and a round trip: a pooled one would say "connected" about a broker that has since gone.
    with app.connection(connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        client = getattr(conn.default_channel, "client", None)
        if client is not None and hasattr(client, "ping"):
            client.ping()
    return "ok"


def check_outbox() -> str:
    """The backlog (due, unsent emails) against its limits, and whether it can be handed to the broker at all."""
    from portal.notifications.services import bulk_queue_depth, outbox_backlog, tasks_run_in_process

    backlog = outbox_backlog(count_up_to=settings.OUTBOX_MAX_BACKLOG + 1)
    queued = None if tasks_run_in_process() else bulk_queue_depth()
    if queued is None and not tasks_run_in_process():
        raise RuntimeError(f"the broker cannot be reached: {backlog.size} due emails wait in the database")
    if backlog.oldest_age is None:
        return "ok (nothing waiting)"
    age = int(backlog.oldest_age)
    size = f"{settings.OUTBOX_MAX_BACKLOG}+" if backlog.size > settings.OUTBOX_MAX_BACKLOG else str(backlog.size)
    figures = f"{size} due emails waiting, the oldest for {age}s" + (f"; {queued} batches queued" if queued else "")
    limits = f"limits {settings.OUTBOX_MAX_BACKLOG} emails, {settings.OUTBOX_MAX_AGE_SECONDS}s"
    if backlog.size > settings.OUTBOX_MAX_BACKLOG or age > settings.OUTBOX_MAX_AGE_SECONDS:
        raise RuntimeError(f"{figures} ({limits})")
    return f"ok ({figures})"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker, "outbox": check_outbox}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def may_see_detail(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(ip_for_request(request))
    except ValueError:
        address = None
    if address is not None and any(address in ipaddress.ip_network(n) for n in settings.HEALTH_DETAIL_NETWORKS):
        return True
    return has_staff_power(request.user, StaffGroup.IS_ADMINS)


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    down: list[str] = []
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"; say which and why
            logger.warning("readyz: %s is down: %s", name, exc)
            results[name] = f"down: {exc}" if isinstance(exc, RuntimeError) else f"down: {exc.__class__.__name__}"
            down.append(name)
    status = 503 if down else 200
    if not may_see_detail(request):
        return JsonResponse({"status": "down" if down else "ok"}, status=status)
    return JsonResponse({"status": "down" if down else "ok", "checks": results, "down": down}, status=status)
