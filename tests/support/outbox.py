"""Fixtures and helpers for the outbox fault tests: a private redis-server as the broker, an SMTP sink, real workers.

Imported by the test modules that use them (tests/portal/test_outbox_*.py).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count

from portal.celery import app
from portal.notifications import services
from portal.notifications.kinds import ANNOUNCEMENT
from portal.notifications.models import OutboundEmail, Preference
from portal.notifications.registry import Delivery
from tests.factories import UserFactory
from tests.support.services import RedisServer, SMTPSink, Worker, use_broker, worker_env

# What every fault-test module needs: PostgreSQL (row locks, SKIP LOCKED) and a redis-server binary to start.
FAULT_TEST_MARKS = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")),
        reason="The outbox fault tests need PostgreSQL: set DATABASE_URL=postgres://... (.ci/run does).",
    ),
    pytest.mark.skipif(
        shutil.which("redis-server") is None,
        reason="The outbox fault tests start their own Redis: install redis-server (.ci/run does).",
    ),
    pytest.mark.django_db(transaction=True),
]

# A kind the worker process knows too; each test person chose to get it by email straight away.
KIND = ANNOUNCEMENT
CONTEXT = {"headline": "Something happened", "message": "A message from the outbox fault tests."}
LOG_DIR = Path(os.environ.get("OUTBOX_TEST_LOG_DIR", "/tmp"))


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server):
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    use_broker(redis_server.url)
    yield redis_server
    use_broker(saved[0])
    app.conf.task_always_eager = saved[1]


@pytest.fixture
def sink():
    with SMTPSink() as smtp:
        yield smtp


@pytest.fixture
def start_worker(request):
    workers: list[Worker] = []

    def start(*, broker_url: str, email_url: str, concurrency: int = 1, **extra: str) -> Worker:
        env = worker_env(database=connection.settings_dict, broker_url=broker_url, email_url=email_url, **extra)
        log = LOG_DIR / f"outbox-worker-{request.node.name}-{len(workers)}.log"
        worker = Worker(env=env, concurrency=concurrency, log_path=log).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def people(n: int) -> list:
    users = UserFactory.create_batch(n)
    Preference.objects.bulk_create([Preference(user=u, kind=KIND.name, delivery=Delivery.IMMEDIATE) for u in users])
    return users


def notify(users):
    return services.notify(recipients=users, kind=KIND, title="Something happened", context=CONTEXT)


def statuses() -> dict[str, int]:
    return dict(OutboundEmail.objects.values_list("status").annotate(n=Count("id")).order_by())


def by_address() -> dict[str, OutboundEmail]:
    return {row.to_email: row for row in OutboundEmail.objects.all()}
