"""Health endpoints for load balancers and operators: /healthz (the process answers) and /readyz (its dependencies)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

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

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def check_outbox() -> str:
    from portal.notifications.services import outbox_oldest_due_age

    age = outbox_oldest_due_age()
    if age is None:
        return "ok (nothing waiting)"
    if age > settings.OUTBOX_MAX_AGE_SECONDS:
        raise RuntimeError(f"oldest due email has waited {int(age)}s")
    return f"ok (oldest due email waited {int(age)}s)"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker, "outbox": check_outbox}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


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
    return JsonResponse(
        {"status": "down" if down else "ok", "checks": results, "down": down},
        status=503 if down else 200,
    )
