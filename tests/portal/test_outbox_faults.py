"""The outbox under the faults of issue 11, one test per finding: real workers, a private redis-server, and an SMTP
server that stalls, refuses with 421 or 451 and keeps the bytes of what it accepts (tests/support/services.py).

Each sets short timeouts in the worker's environment so a fault plays out in seconds, not minutes.
"""

import time
from datetime import timedelta
from email import message_from_bytes

from django.db import transaction
from django.utils import timezone

from portal.notifications import services
from portal.notifications.models import OutboundEmail
from portal.notifications.tasks import sweep_outbox
from tests.support.outbox import FAULT_TEST_MARKS, KIND, by_address, notify, people, statuses, use_broker
from tests.support.services import SMTPSink, wait_for

pytestmark = FAULT_TEST_MARKS

# Seconds, not the production minutes: EMAIL_TIMEOUT well inside the lease, as the E002 check demands.
FAST = {
    "EMAIL_TIMEOUT": "1",
    "OUTBOX_SENDING_LEASE_SECONDS": "8",
    "OUTBOX_RETRY_BASE_SECONDS": "1",
    "OUTBOX_RETRY_MAX_SECONDS": "2",
    "OUTBOX_REQUEUE_AFTER_SECONDS": "5",
}


def sweeping_until(predicate, *, timeout: float, what: str) -> None:
    """What beat does, faster: sweep, then look."""

    def swept() -> bool:
        services.outbox_sweep()
        return predicate()

    wait_for(swept, timeout=timeout, interval=0.5, what=what)


def all_sent(n: int):
    return lambda: statuses() == {OutboundEmail.Status.SENT: n}


def assert_once_each(sink: SMTPSink, n: int) -> None:
    copies = sink.copies()
    assert len(copies) == n, f"{len(copies)} different emails delivered, expected {n}"
    assert [mid for mid, raw in copies.items() if len(raw) > 1] == [], "an email was delivered twice"


# 1 -----------------------------------------------------------------------------------------------------------------


def test_after_a_broker_loss_the_backlog_drains_at_worker_speed_not_one_sweep_a_minute(
    broker, sink, start_worker, settings
):
    settings.OUTBOX_BATCH_SIZE, settings.OUTBOX_QUEUE_BATCHES = 20, 2  # one sweep hands over 40
    users = people(200)
    with transaction.atomic():
        notify(users)
    # Everything was handed over, then the broker lost it (restarted without persistence).
    OutboundEmail.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    broker.stop()
    broker.start()
    use_broker(broker.url)
    start_worker(broker_url=broker.url, email_url=sink.url, OUTBOX_BATCH_SIZE="20", OUTBOX_QUEUE_BATCHES="2", **FAST)
    assert services.outbox_sweep() == 40
    started = time.monotonic()
    # No more sweeps: the workers' finished batches hand over the rest.
    wait_for(all_sent(200), timeout=60, interval=0.3, what="all 200 sent without another sweep")
    assert time.monotonic() - started < 30
    assert_once_each(sink, 200)


# 2 -----------------------------------------------------------------------------------------------------------------


def test_a_single_email_and_the_sweeper_do_not_wait_behind_a_bulk_send(broker, start_worker, settings):
    settings.OUTBOX_BATCH_SIZE, settings.OUTBOX_QUEUE_BATCHES = 25, 100  # the whole backlog queued at once
    users = people(301)
    stuck = OutboundEmail.objects.create(kind=KIND.name, to_email="stuck@example.org", subject="S", body_text="B")
    with SMTPSink(rcpt_delay=0.02) as sink:
        start_worker(
            broker_url=broker.url, email_url=sink.url, concurrency=1, OUTBOX_BATCH_SIZE="25",
            OUTBOX_QUEUE_BATCHES="100", **FAST,
        )  # fmt: skip
        with transaction.atomic():
            notify(users[:300])
        wait_for(lambda: sink.count() >= 10, timeout=30, what="the bulk send to start")
        assert OutboundEmail.objects.filter(enqueued_at__isnull=False).count() >= 290  # all of it queued
        # A worker died holding the stuck one long ago; the sweeper's task must run now, not after 300 emails.
        OutboundEmail.objects.filter(pk=stuck.pk).update(
            status=OutboundEmail.Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
        )
        settings.OUTBOX_SENDING_LEASE_SECONDS = 8
        sweep_outbox.apply_async()  # as beat sends it: the default queue
        with transaction.atomic():
            notify(users[300:])  # a reply to one person: the default queue too
        single = users[300].email
        wait_for(lambda: single in {m["To"] for m in sink.messages}, timeout=20, what="the single email")
        assert sink.count() < 200, f"the single email waited for {sink.count()} bulk ones"
        stuck.refresh_from_db()
        assert stuck.status != OutboundEmail.Status.SENDING, "the sweep waited behind the bulk send"


# 3 -----------------------------------------------------------------------------------------------------------------


def test_a_retry_is_sent_when_its_backoff_ends_not_after_the_backlog(broker, start_worker, settings):
    settings.OUTBOX_BATCH_SIZE, settings.OUTBOX_QUEUE_BATCHES = 25, 2
    users = people(300)
    with transaction.atomic():
        notify(users)  # no worker yet: the delivery waits in the broker
    first = OutboundEmail.objects.order_by("id").values_list("to_email", flat=True)[0]  # in the first batch
    with SMTPSink(rcpt_delay=0.01) as sink:
        sink.refuse_once = {first}
        start_worker(
            broker_url=broker.url, email_url=sink.url, concurrency=1, OUTBOX_BATCH_SIZE="25", OUTBOX_QUEUE_BATCHES="2",
            **FAST,
        )  # fmt: skip

        def backed_off() -> bool:
            row = OutboundEmail.objects.get(to_email=first)
            return row.attempts == 1 and row.status == OutboundEmail.Status.PENDING

        wait_for(backed_off, timeout=30, interval=0.05, what="the greylisted email to back off")
        due_at = OutboundEmail.objects.get(to_email=first).due_at
        wait_for(lambda: any(first in r.to for r in sink.received), timeout=30, what="the retry")
        arrived = next(r for r in sink.received if first in r.to)
        before = sum(1 for r in sink.received if r.at < arrived.at)
        assert arrived.at - due_at.timestamp() < 10, "the retry waited well past its backoff"
        assert before < 200, f"the retry waited behind {before} of the backlog"
        wait_for(all_sent(300), timeout=90, what="the rest")
        assert_once_each(sink, 300)


# 4 -----------------------------------------------------------------------------------------------------------------


def test_a_dropped_connection_is_reconnected_once_and_a_4xx_puts_the_batch_off(broker, sink, start_worker, settings):
    start_worker(broker_url=broker.url, email_url=sink.url, **FAST)
    sink.drop_every = 3  # 421 and hang up after every third message on a connection
    with transaction.atomic():
        notify(people(30))  # one batch
    wait_for(all_sent(30), timeout=30, what="30 sent despite the dropped connections")
    assert sink.dropped >= 9
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {1}, "a drop cost an attempt"
    assert_once_each(sink, 30)

    sink.drop_every = None
    sink.refuse = True  # 451 to everyone, for a while
    with transaction.atomic():
        notify(people(30))
    wait_for(lambda: OutboundEmail.objects.filter(attempts=1, status="pending").exists(), timeout=30, what="a refusal")
    time.sleep(0.5)
    waiting = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING)
    assert waiting.count() == 30
    # One attempt recorded, and the rest of the batch put off with it, untried: no "please run connect() first".
    assert sorted(waiting.values_list("attempts", flat=True)) == [0] * 29 + [1]
    assert len({row.due_at for row in waiting.filter(attempts=0)}) == 1  # all put off to the same "later"
    assert "451" in waiting.get(attempts=1).last_error
    sink.refuse = False
    sweeping_until(all_sent(60), timeout=30, what="the refused batch sent later")
    assert not OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED).exists()
    assert_once_each(sink, 60)


# 5 -----------------------------------------------------------------------------------------------------------------


def test_a_stalled_mail_server_is_cut_off_before_the_lease_ends_and_another_worker_never_resends(
    broker, sink, start_worker, settings
):
    settings.OUTBOX_SENDING_LEASE_SECONDS = 6
    users = people(6)
    stalled = users[0].email
    sink.stall, sink.stall_at, sink.stall_only, sink.stall_once = 7, "rcpt", {stalled}, True  # longer than the lease
    short_lease = {**FAST, "OUTBOX_SENDING_LEASE_SECONDS": "6"}
    start_worker(broker_url=broker.url, email_url=sink.url, **short_lease)
    start_worker(broker_url=broker.url, email_url=sink.url, **short_lease)  # another, ready to take over a lease
    with transaction.atomic():
        notify(users)
    sweeping_until(all_sent(6), timeout=30, what="all six sent, the stalled one too")
    accepted_at = next(r.at for r in sink.received if stalled in r.to)
    assert accepted_at - sink.stalled_at[stalled] < sink.stall, "the worker waited for the stalled server"
    # Past the stall and the lease, sweeping all the while: still one copy each.
    sweeping_until(lambda: time.time() > sink.stalled_at[stalled] + 8, timeout=15, what="the stall to end")
    assert_once_each(sink, 6)
    row = by_address()[stalled]
    assert row.attempts == 1 and row.last_error == ""  # timed out after EMAIL_TIMEOUT, reconnected, sent


def test_a_worker_whose_claim_was_taken_over_does_not_overwrite_the_row(settings):
    settings.EMAIL_BACKEND = "tests.portal.email_backends.ReclaimingBackend"
    row = OutboundEmail.objects.create(kind="account.security", to_email="a@example.org", subject="Hi", body_text="x")
    assert services.outbound_email_send(email_id=row.pk) == "claim-lost"
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENDING and row.claim_token == "another-worker"


# 6 -----------------------------------------------------------------------------------------------------------------


def test_an_email_resent_after_the_post_data_window_is_byte_identical(broker, sink, start_worker):
    users = people(3)
    target = users[0].email
    # The server keeps the message, then says nothing for longer than EMAIL_TIMEOUT: the worker cannot know.
    sink.stall, sink.stall_at, sink.stall_only, sink.stall_once = 3, "data", {target}, True
    start_worker(broker_url=broker.url, email_url=sink.url, **FAST)
    with transaction.atomic():
        notify(users)
    wait_for(all_sent(3), timeout=30, what="all three sent")
    copies = sink.copies()
    row = by_address()[target]
    assert len(copies[row.message_id]) == 2, "the ambiguous email was not sent again"
    first, second = copies[row.message_id]
    assert first == second  # same bytes: Message-ID, Date, boundaries, unsubscribe link
    assert "/notifications/unsubscribe/" in message_from_bytes(first)["List-Unsubscribe"]
    assert row.raw_message is None  # kept only until sent
    assert sum(len(c) for c in copies.values()) == 4


# 7 -----------------------------------------------------------------------------------------------------------------


def test_readyz_says_the_outbox_is_stuck_while_the_broker_is_down(broker, client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with transaction.atomic():
        notify(people(2))  # no worker: they wait in the broker
    body = client.get("/readyz").json()
    assert body["checks"]["broker"] == "ok"
    assert body["checks"]["outbox"].startswith("ok (2 due emails waiting")
    broker.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker", "outbox"]
    assert "the broker cannot be reached: 2 due emails wait" in response.json()["checks"]["outbox"]
    broker.start()
    assert client.get("/readyz").status_code == 200
