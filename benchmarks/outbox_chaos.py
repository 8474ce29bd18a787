"""Chaos run for the outbox: thousands of emails through real Celery workers while the worker is SIGKILLed again and
again, Redis is stopped, the mail server refuses (451, then 421 and hang-ups) and stalls, and two workers run at
once. Then it counts: emails expected, delivered, duplicates (and whether each copy was byte-identical), lost,
failed, the time to drain after the last fault, throughput per worker, and the at-least-once window (the emails in
flight at each kill that the server had already accepted, and the time from acceptance to the row marked sent).

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal .venv/bin/python benchmarks/outbox_chaos.py \\
        [--emails 6000] [--kills 7] [--outage 30] [--refuse 30] [--stall 30]

It creates (and afterwards drops) its own database, `<name>_chaos`, and starts its own redis-server, SMTP sink and
workers; the workers run with the production defaults unless --fast. The figures go in docs/notifications.md.
tests/portal/test_outbox_chaos.py runs the same at a small size, with --fast timings, in CI.
"""

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Seconds instead of minutes, for CI: the same faults play out in a test's time.
FAST_ENV = {
    "EMAIL_TIMEOUT": "1",
    "OUTBOX_SENDING_LEASE_SECONDS": "6",
    "OUTBOX_REQUEUE_AFTER_SECONDS": "4",
    "OUTBOX_RETRY_BASE_SECONDS": "1",
    "OUTBOX_RETRY_MAX_SECONDS": "3",
    "OUTBOX_BATCH_SIZE": "25",
}


@dataclass
class Plan:
    emails: int = 6000
    kills: int = 7
    outage: float = 30.0  # Redis stopped
    refuse: float = 30.0  # the mail server answering 451, then 421 and hanging up, for this long each
    stall: float = 30.0  # the mail server silent before accepting, for this long
    post_data_stalls: int = 3  # addresses whose first delivery the server keeps but does not confirm in time
    kill_gap: tuple[float, float] = (1.0, 4.0)  # after the restarted worker is ready
    sweep_every: float = 30.0  # as beat does (OUTBOX_SWEEP_SECONDS)
    email_timeout: float = 10.0
    drain_timeout: float = 600.0
    concurrency: int = 2
    rcpt_delay: float = 0.002  # a mail server that takes a moment per message
    worker_env: dict[str, str] = field(default_factory=dict)
    seed: int = 11
    log_dir: Path = Path("/tmp")


@dataclass
class Report:
    expected: int = 0
    delivered: int = 0
    duplicates: int = 0
    duplicates_identical: int = 0
    duplicates_from_kills: int = 0
    duplicates_from_post_data_stalls: int = 0
    duplicates_unexplained: int = 0
    lost: int = 0
    failed: int = 0
    unsent: int = 0
    drain_seconds: float = 0.0
    unsent_at_last_fault: int = 0
    calm_rate_per_worker: float = 0.0
    in_flight_at_kills: list[int] = field(default_factory=list)
    accepted_before_kill: list[int] = field(default_factory=list)
    window_ms: list[float] = field(default_factory=list)
    timeline: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        window = sorted(self.window_ms) or [0.0]
        p99 = window[min(len(window) - 1, int(len(window) * 0.99))]
        return [
            f"emails expected: {self.expected}",
            f"delivered (distinct): {self.delivered}",
            f"duplicates: {self.duplicates} (byte-identical: {self.duplicates_identical}; from a kill in the "
            f"post-DATA window: {self.duplicates_from_kills}; from the server silent after accepting: "
            f"{self.duplicates_from_post_data_stalls}; from anything else: {self.duplicates_unexplained})",
            f"lost: {self.lost}",
            f"failed: {self.failed}",
            f"still unsent at the end: {self.unsent}",
            f"drained {self.drain_seconds:.0f}s after the last fault, with {self.unsent_at_last_fault} emails unsent "
            f"then (about {self.unsent_at_last_fault / max(self.calm_rate_per_worker * 2, 1):.0f}s of sending for "
            "two workers at the calm rate)",
            f"throughput per worker (calm, concurrency 2): {self.calm_rate_per_worker:.0f} emails/s",
            f"in flight at each kill: {self.in_flight_at_kills}; of them already accepted by the server: "
            f"{self.accepted_before_kill} (total {sum(self.accepted_before_kill)} of {sum(self.in_flight_at_kills)})",
            f"acceptance to row marked sent (the post-DATA window, servers that answered): median "
            f"{statistics.median(window):.1f} ms, p99 {p99:.1f} ms, max {window[-1]:.1f} ms",
        ]


def run_chaos(plan: Plan, *, database: dict, redis) -> Report:
    """The run itself, against the database Django is set up with, with `redis` (a started RedisServer) as the
    broker, which the run stops and starts again."""
    from django.db import transaction
    from django.db.models import Count

    from portal.models import OutboundEmail, Preference, User
    from portal.notifications import services
    from portal.notifications.kinds import ANNOUNCEMENT
    from portal.notifications.registry import Delivery
    from portal.notifications.tasks import sweep_outbox
    from tests.support.services import SMTPSink, Worker, use_broker, wait_for, worker_env

    rng = random.Random(plan.seed)  # noqa: S311 - a repeatable schedule of faults, not security
    report = Report()
    started = time.monotonic()

    def note(what: str) -> None:
        report.timeline.append(f"{time.monotonic() - started:6.1f}s {what}")

    n = plan.emails
    users = User.objects.bulk_create(
        [User(email=f"chaos{i}@example.org", display_name=f"Chaos {i}", password="!") for i in range(n)],
        batch_size=2000,
    )
    Preference.objects.bulk_create(
        [Preference(user=u, kind=ANNOUNCEMENT.name, delivery=Delivery.IMMEDIATE) for u in users], batch_size=2000
    )
    ids = [u.pk for u in users]
    # Waves: one large announcement, a few medium ones, and the rest one person at a time (replies, account emails).
    singles = min(60, n // 20)
    sizes = [n // 4, n // 4, n // 6, n // 6]
    sizes.append(n - sum(sizes) - singles)
    waves: list[list[int]] = []
    cursor = 0
    for size in sizes:
        waves.append(ids[cursor : cursor + size])
        cursor += size
    waves.extend([[pk] for pk in ids[cursor:]])

    use_broker(redis.url)
    sink = SMTPSink(rcpt_delay=plan.rcpt_delay)
    sink.__enter__()
    post_data = {u.email for u in rng.sample(users, plan.post_data_stalls)}
    workers: list[Worker] = []
    last_sweep = [0.0]
    seen_in_flight: set[int] = set()  # rows counted at an earlier kill (they stay "sending" for a lease)
    accepted_in_flight: set[str] = set()  # Message-IDs the server had accepted from a worker then killed

    def start_worker(name: str) -> Worker:
        env = worker_env(database=database, broker_url=redis.url, email_url=sink.url, **plan.worker_env)
        worker = Worker(env=env, concurrency=plan.concurrency, log_path=plan.log_dir / f"outbox-chaos-{name}.log")
        workers.append(worker.start())
        return worker

    def tick() -> None:
        """What beat does: publish the sweep every sweep_every seconds (and fail, as beat does, if Redis is down)."""
        if time.monotonic() - last_sweep[0] >= plan.sweep_every:
            last_sweep[0] = time.monotonic()
            try:
                sweep_outbox.apply_async(expires=plan.sweep_every, retry=False)
            except Exception:  # noqa: BLE001 - the broker is down: beat's publish fails the same way
                report.timeline.append(f"{time.monotonic() - started:6.1f}s (a sweep could not be published)")

    def ready(worker: Worker) -> None:
        def started() -> bool:
            tick()
            return worker.log_path is not None and b" ready." in worker.log_path.read_bytes()

        wait_for(started, timeout=120, interval=0.2, what="the worker to be ready")

    def wait(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            tick()
            time.sleep(min(0.2, max(0.0, end - time.monotonic())))

    def send_wave(wave: list[int]) -> None:
        with transaction.atomic():
            services.notify(
                recipients=User.objects.filter(pk__in=wave),
                kind=ANNOUNCEMENT,
                title="Chaos",
                context={"headline": "A chaos run", "message": "Counting every email."},
            )

    def sent_count() -> int:
        return OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count()

    try:
        # Calm: one worker, the first wave, no faults: throughput per worker.
        a = start_worker("a")
        send_wave(waves[0])
        wait_for(lambda: sink.count() > 0, timeout=120, what="the first email")
        calm_start, calm_first = time.monotonic(), sink.count()
        wait_for(lambda: sent_count() >= len(waves[0]), timeout=plan.drain_timeout, interval=0.2, what="wave 1")
        report.calm_rate_per_worker = (sink.count() - calm_first) / (time.monotonic() - calm_start)
        note(f"calm wave of {len(waves[0])} sent by one worker")

        # Two workers at once from here on; the post-DATA stalls armed.
        start_worker("b")
        sink.stall_only, sink.stall_once, sink.stall_at, sink.stall = post_data, True, "data", plan.email_timeout + 2
        pending_waves = waves[1:]
        rng.shuffle(pending_waves)
        per_phase = max(1, len(pending_waves) // 4)

        def feed() -> None:
            for wave in pending_waves[:per_phase]:
                send_wave(wave)
            del pending_waves[:per_phase]

        feed()
        for k in range(plan.kills):
            ready(a)  # a worker still starting up has nothing in flight: kill it at work
            wait(rng.uniform(*plan.kill_gap))
            a.kill()
            workers.remove(a)
            accepted = {mid for mid, copies in sink.copies().items() if copies}
            sending = dict(
                OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING).values_list("pk", "claim_token")
            )
            time.sleep(min(1.0, plan.email_timeout))
            still = OutboundEmail.objects.filter(pk__in=sending, status=OutboundEmail.Status.SENDING)
            mine = [
                (pk, mid)
                for pk, token, mid in still.values_list("pk", "claim_token", "message_id")
                # the same claim a second later: the dead worker's, not the live one's; and new since the last kill
                if sending[pk] == token and pk not in seen_in_flight
            ]
            seen_in_flight.update(pk for pk, _mid in mine)
            accepted_in_flight.update(mid for _pk, mid in mine if mid in accepted)
            report.in_flight_at_kills.append(len(mine))
            report.accepted_before_kill.append(sum(1 for _pk, mid in mine if mid in accepted))
            note(f"kill {k + 1}: {len(mine)} in flight, {report.accepted_before_kill[-1]} already accepted")
            a = start_worker(f"a{k + 1}")

        feed()
        redis.stop()
        note("Redis stopped")
        wait(plan.outage)
        redis.start()
        use_broker(redis.url)
        note("Redis started again, empty")

        feed()
        sink.refuse, sink.refuse_code = True, 451
        note("mail server refusing with 451")
        wait(plan.refuse / 2)
        sink.refuse, sink.drop_every = False, 2
        note("mail server hanging up with 421 every second message")
        wait(plan.refuse / 2)
        sink.drop_every = None

        feed()
        sink.stall_only, sink.stall_once, sink.stall_at, sink.stall = None, False, "rcpt", plan.email_timeout * 3
        note("mail server stalling before accepting")
        wait(plan.stall)
        sink.stall = 0.0
        last_fault = time.monotonic()
        report.unsent_at_last_fault = OutboundEmail.objects.unsent().count() + sum(len(w) for w in pending_waves)
        note("last fault over")
        for wave in pending_waves:
            send_wave(wave)

        def drained() -> bool:
            tick()
            return not OutboundEmail.objects.unsent().exists()

        wait_for(drained, timeout=plan.drain_timeout, interval=0.5, what="the outbox to drain")
        report.drain_seconds = time.monotonic() - last_fault
        note("drained")
    finally:
        for worker in workers:
            worker.stop()
        sink.__exit__(None, None, None)

    rows = dict(OutboundEmail.objects.values_list("message_id", "status"))
    counts = dict(OutboundEmail.objects.values_list("status").annotate(n=Count("id")).order_by())
    copies = sink.copies()
    report.expected = OutboundEmail.objects.count()
    report.delivered = len([mid for mid in copies if mid in rows])
    report.lost = report.expected - report.delivered
    report.failed = counts.get(OutboundEmail.Status.FAILED, 0)
    report.unsent = counts.get(OutboundEmail.Status.PENDING, 0) + counts.get(OutboundEmail.Status.SENDING, 0)
    by_mid = dict(OutboundEmail.objects.values_list("message_id", "to_email"))
    for mid, raw in copies.items():
        if len(raw) > 1:
            report.duplicates += len(raw) - 1
            report.duplicates_identical += sum(1 for copy in raw[1:] if copy == raw[0])
            if mid in accepted_in_flight:
                report.duplicates_from_kills += len(raw) - 1
            elif by_mid.get(mid) in post_data:
                report.duplicates_from_post_data_stalls += len(raw) - 1
            else:
                report.duplicates_unexplained += len(raw) - 1
    first_accept = {}
    for message, received in zip(sink.messages, sink.received, strict=True):
        first_accept.setdefault(str(message["Message-ID"]), received.at)
    sent = OutboundEmail.objects.filter(status="sent").exclude(to_email__in=post_data)
    for mid, sent_at in sent.values_list("message_id", "sent_at"):
        if mid in first_accept and sent_at:
            report.window_ms.append(max(0.0, (sent_at.timestamp() - first_accept[mid]) * 1000))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emails", type=int, default=6000)
    parser.add_argument("--kills", type=int, default=7)
    parser.add_argument("--outage", type=float, default=30.0, help="seconds Redis is stopped")
    parser.add_argument("--refuse", type=float, default=30.0, help="seconds the mail server refuses")
    parser.add_argument("--stall", type=float, default=30.0, help="seconds the mail server stalls")
    parser.add_argument("--fast", action="store_true", help="CI timings (seconds) instead of the defaults")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    name = base_url.rsplit("/", 1)[1].split("?")[0] + "_chaos"
    chaos_url = base_url.rsplit("/", 1)[0] + "/" + name
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "chaos-only-secret-key-0123456789abcdefghijklmnop"),
        DJANGO_DEBUG="false",
        DATABASE_URL=chaos_url,
    )
    import psycopg

    from tests.support.services import RedisServer

    redis = RedisServer()
    redis.start()
    # This process's cache stays in memory (Redis goes down on purpose); Celery uses the run's own redis-server.
    os.environ.pop("REDIS_URL", None)
    os.environ["CELERY_BROKER_URL"] = redis.url

    admin_dsn = base_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        plan = Plan(emails=args.emails, kills=args.kills, outage=args.outage, refuse=args.refuse, stall=args.stall)
        if args.fast:
            plan.worker_env, plan.sweep_every, plan.email_timeout = dict(FAST_ENV), 1.0, 1.0
        report = run_chaos(plan, database=connection.settings_dict, redis=redis)
        print("\n".join(report.timeline))
        print("\n".join(report.lines()))
    finally:
        redis.stop()
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
