"""Benchmark: notify 10,000 people of one event on PostgreSQL, then deliver with one real Celery worker.

Measures (1) the time notify() takes to write every row inside the caller's transaction, with its query count, and
(2) the delivery throughput of one worker into a local SMTP server (aiosmtpd). Results go in docs/performance.md.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal .venv/bin/python benchmarks/outbox.py \
        [--recipients N] [--grouped]

It creates (and afterwards drops) its own database, `<name>_bench`, and starts its own redis-server and SMTP sink.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5, help="how many times to time the write")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes in the one worker")
    parser.add_argument(
        "--grouped", action="store_true", help="also time a grouped notify() that folds into everyone's unread one"
    )
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark is about PostgreSQL).")
    bench_url = base_url.rsplit("/", 1)[0] + "/" + base_url.rsplit("/", 1)[1].split("?")[0] + "_bench"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijkl"),
        DJANGO_DEBUG="false",
        DATABASE_URL=bench_url,
    )

    import psycopg

    admin_dsn = base_url.replace("postgres://", "postgresql://", 1)
    bench_name = bench_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
        conn.execute(f'CREATE DATABASE "{bench_name}"')

    from tests.support.services import RedisServer, SMTPSink, Worker, wait_for, worker_env

    redis = RedisServer()
    redis.start()
    os.environ["REDIS_URL"] = redis.url
    try:
        run(args, redis, SMTPSink, Worker, wait_for, worker_env)
    finally:
        redis.stop()
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')


def run(args, redis, SMTPSink, Worker, wait_for, worker_env) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from portal.models import OutboundEmail, Preference, User
    from portal.notifications import services
    from portal.notifications.kinds import ANNOUNCEMENT
    from portal.notifications.registry import Delivery

    call_command("migrate", verbosity=0)
    n = args.recipients
    users = User.objects.bulk_create(
        [User(email=f"person{i}@example.org", display_name=f"Person {i}", password="!") for i in range(n)],
        batch_size=5000,
    )
    Preference.objects.bulk_create(
        [Preference(user=u, kind=ANNOUNCEMENT.name, delivery=Delivery.IMMEDIATE) for u in users], batch_size=5000
    )
    context = {"headline": "New trauma training", "message": "A new resource is ready for you."}

    # (1) The write, inside the caller's transaction. Delivery is switched off here (no broker consumer runs yet and
    # the hand-over happens after commit), so the figure is the request's own cost.
    recipients = User.objects.order_by("pk")
    timings, queries = [], 0
    for repeat in range(args.repeats):
        with transaction.atomic():
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                services.notify(recipients=recipients, kind=ANNOUNCEMENT, title="New training", context=context)
            timings.append(time.perf_counter() - start)
            queries = len(captured)
            if repeat < args.repeats - 1:
                transaction.set_rollback(True)  # keep only the last run's rows for delivery
    print(f"notify() to {n} recipients inside a transaction: queries={queries}")
    print(f"  write time: median {statistics.median(timings):.3f}s, min {min(timings):.3f}s, max {max(timings):.3f}s")

    if args.grouped:
        # (1b) The same with a group key, each person already having an unread one with it: every row folds.
        fold_timings = []
        for _ in range(args.repeats):
            with transaction.atomic():
                grouped = {"kind": ANNOUNCEMENT, "title": "New replies", "context": context, "group_key": "bench:1"}
                services.notify(recipients=recipients, **grouped)
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    services.notify(recipients=recipients, **grouped)
                fold_timings.append(time.perf_counter() - start)
                transaction.set_rollback(True)
        print(f"grouped notify() folding into {n} unread notifications: queries={len(captured)}")
        print(f"  write time: median {statistics.median(fold_timings):.3f}s, max {max(fold_timings):.3f}s")

    # (2) Delivery throughput of one worker into a local SMTP server.
    pending = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).count()
    with SMTPSink() as sink:
        env = worker_env(database=connection.settings_dict, broker_url=redis.url, email_url=sink.url)
        worker = Worker(env=env, concurrency=args.concurrency, log_path=Path("/tmp/outbox-benchmark-worker.log"))
        worker.start()
        try:
            wait_for(lambda: sink.count() > 0, timeout=120, what="the first email")
            start = time.perf_counter()
            first = sink.count()

            def done() -> bool:
                if sink.count() < pending:
                    return False
                return not OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).exists()

            wait_for(done, timeout=1800, interval=0.5, what=f"{pending} emails")
            elapsed = time.perf_counter() - start
        finally:
            worker.stop()
    sent = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count()
    print(f"delivery: {pending} emails, one worker (concurrency {args.concurrency}), {sent} marked sent")
    delivered = sink.count() - first
    print(f"  {delivered} delivered in {elapsed:.1f}s after the first: {delivered / elapsed:.0f}/s")
    print(f"  unique Message-IDs in the sink: {len(set(sink.message_ids()))} of {sink.count()}")


if __name__ == "__main__":
    main()
