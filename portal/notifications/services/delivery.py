"""Handing the outbox to Celery: after commit, by the sweeper, and as workers finish batches; the backlog's figures.

The rules:
- After commit, delivery is handed to Celery. If the broker is down, the rows wait and the sweeper hands them over
  later: nothing is lost.
- Two queues: a few emails at a time (an account email, a reply) and every control task (per-event delivery, the
  sweeper, digests) go on Celery's default queue; bulk batches go on OUTBOX_BULK_QUEUE. Workers consume both, so a
  sweep or a password reset never waits behind thousands of announcements.
- The bulk queue is kept about OUTBOX_QUEUE_BATCHES deep, never dumped whole: each batch a worker finishes tops it
  up (outbox_top_up), so a backlog drains as fast as the workers send, however it arose, and what is handed over is
  what will be sent soon (a row handed over but never sent, its message lost with the broker, is handed over again
  after OUTBOX_REQUEUE_AFTER_SECONDS).
- Hand-over order: rows with a time of their own (a retry backing off, a batch the server put off, a held email) as
  soon as that time comes, then the rest oldest first. So a backoff means what it says even behind a backlog.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any, NamedTuple, NotRequired, TypedDict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from portal.notifications.models import OutboundEmail

logger = logging.getLogger(__name__)


# The tasks are imported when first needed, in the two functions below: tasks import these services, so the
# dependency runs one way at import time. (Not `send_task` by name: that would bypass eager mode, which development
# and tests rely on.)


def _publish_send_emails(email_ids: list[int], *, bulk: bool) -> None:
    from portal.notifications.tasks import send_emails

    options = _publish_options()
    if bulk:
        options["queue"] = settings.OUTBOX_BULK_QUEUE
    send_emails.apply_async((email_ids,), **options)


def _publish_deliver_event(event_id: int) -> None:
    from portal.notifications.tasks import deliver_event

    deliver_event.apply_async((event_id,), **_publish_options())


# --- Handing over to Celery ---------------------------------------------------------------------------------------


def enqueue_emails(email_ids: list[int]) -> None:
    """Hand emails to the broker (a few on the default queue, more on the bulk one). Never raises: if the broker is
    down the rows wait for the sweeper."""
    if not email_ids:
        return
    bulk = len(email_ids) > settings.OUTBOX_SMALL_HANDOVER
    try:
        for chunk in _chunks(email_ids):
            _publish_send_emails(chunk, bulk=bulk)
    except Exception:  # noqa: BLE001 - the broker being down must not undo the person's action
        logger.warning("Could not hand %s email(s) to the broker; the sweeper will retry.", len(email_ids))
        return
    OutboundEmail.objects.filter(pk__in=email_ids, enqueued_at__isnull=True).update(enqueued_at=timezone.now())


def enqueue_event(event_id: int) -> None:
    """After commit: one small message, whatever the number of recipients; the worker finds the event's emails."""
    try:
        _publish_deliver_event(event_id)
    except Exception:  # noqa: BLE001 - as above: the sweeper delivers what waits
        logger.warning("Could not hand event %s to the broker; the sweeper will deliver its emails.", event_id)


def event_deliver(*, event_id: int) -> int:
    """In the worker: hand over an event's due emails. Returns how many were handed over now.

    A few go at once on the default queue; for more, the bulk queue is topped up, and the batches finishing hand
    over the rest, oldest first with everything else due.
    """
    small = settings.OUTBOX_SMALL_HANDOVER
    # Whether already handed over or not: a worker topping the bulk queue up may have put a reply's email at its
    # end a moment ago; this puts it on the default queue as well (the claim makes the second a no-op).
    ids = list(
        OutboundEmail.objects.due().filter(event_id=event_id).order_by("id").values_list("id", flat=True)[: small + 1]
    )
    if len(ids) <= small:
        enqueue_emails(ids)
        return len(ids)
    return outbox_top_up()


def _chunks(ids: list[int]) -> list[list[int]]:
    size = settings.OUTBOX_BATCH_SIZE
    return [ids[i : i + size] for i in range(0, len(ids), size)]


class _RetryPolicy(TypedDict):
    max_retries: int
    interval_start: float
    interval_step: float


class _PublishOptions(TypedDict):
    retry: bool
    retry_policy: _RetryPolicy
    queue: NotRequired[str]


def _publish_options() -> _PublishOptions:
    # Fail fast when the broker is down: the request must not hang, and the sweeper will catch up.
    return {"retry": True, "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}}


def outbox_sweep(*, now: datetime | None = None) -> int:
    """Beat, every OUTBOX_SWEEP_SECONDS: return to the queue any email whose worker died mid-send (claimed longer
    ago than the lease), then top the bulk queue up. Returns how many emails were handed over."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING, claimed_at__lt=now - lease).update(
        status=OutboundEmail.Status.PENDING, due_at=now, enqueued_at=None
    )
    return outbox_top_up(now=now)


def outbox_top_up(*, now: datetime | None = None) -> int:
    """Hand over due emails until about OUTBOX_QUEUE_BATCHES batches wait in the bulk queue. Returns how many.

    Called by the sweeper and by every batch a worker finishes, so workers with capacity keep getting work. With no
    broker (tasks run in-process) everything due is sent now.
    """
    if tasks_run_in_process():
        limit = None
    else:
        waiting = bulk_queue_depth()
        if waiting is None:
            logger.warning("The broker cannot be reached; due emails wait for the next sweep.")
            return 0
        limit = max(0, settings.OUTBOX_QUEUE_BATCHES - waiting) * settings.OUTBOX_BATCH_SIZE
        if not limit:
            return 0
    return _hand_over(now=now or timezone.now(), limit=limit)


def _hand_over(*, now: datetime, limit: int | None) -> int:
    requeue_before = now - timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER_SECONDS)
    # Rows with a time of their own first (see the module's docstring), then the rest by age.
    own_time = Case(When(Q(attempts__gt=0) | Q(due_at__gt=F("created_at")), then=Value(0)), default=Value(1))
    with transaction.atomic():
        rows = (
            OutboundEmail.objects.due(now)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=requeue_before))
            .order_by(own_time, "due_at", "id")
        )
        if connection.features.has_select_for_update_skip_locked:
            # Two sweepers (or a sweeper and a finishing batch) pick different rows instead of waiting on each other.
            rows = rows.select_for_update(skip_locked=True)
        ids = list(rows.values_list("id", flat=True)[:limit])
        if ids:
            OutboundEmail.objects.filter(pk__in=ids).update(enqueued_at=now)
    if ids:
        try:
            for chunk in _chunks(ids):
                _publish_send_emails(chunk, bulk=True)
        except Exception:  # noqa: BLE001 - still down: the rows wait for the next sweep
            logger.warning("Broker still unavailable; %s email(s) wait for the next sweep.", len(ids))
            OutboundEmail.objects.filter(pk__in=ids, status=OutboundEmail.Status.PENDING).update(enqueued_at=None)
            return 0
    return len(ids)


def tasks_run_in_process() -> bool:
    """No broker (development, most tests): a task "handed over" runs there and then."""
    from portal.celery import app

    return bool(app.conf.task_always_eager)


def bulk_queue_depth() -> int | None:
    """How many batches wait in the bulk queue (not counting those workers hold), or None if the broker is down."""
    from amqp.exceptions import ChannelError as AMQPChannelError
    from kombu.exceptions import ChannelError

    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            channel: Any = conn.default_channel  # kombu's virtual channels have queue_declare; its stub does not say
            try:
                declared = channel.queue_declare(queue=settings.OUTBOX_BULK_QUEUE, passive=True)
            except (ChannelError, AMQPChannelError):
                return 0  # no such queue yet: nothing waits in it
            return int(declared.message_count)
    except Exception:  # any broker failure means "cannot hand over now"
        logger.debug("Could not read the bulk queue's depth", exc_info=True)
        return None


def outbound_email_retry(*, email_ids: Iterable[int]) -> int:
    """Staff retry of failed emails: back to pending, attempts reset, handed over after commit.

    A failed email whose grouped notification has a newer email on its way is left failed: that one carries the
    news, and a notification has at most one unsent email.
    """
    ids = list(email_ids)
    newer = OutboundEmail.objects.unsent().filter(notification_id=OuterRef("notification_id"))
    with transaction.atomic():
        failed = OutboundEmail.objects.filter(pk__in=ids, status=OutboundEmail.Status.FAILED)
        count = failed.exclude(Exists(newer)).update(
            status=OutboundEmail.Status.PENDING, attempts=0, due_at=timezone.now(), enqueued_at=None
        )
        transaction.on_commit(partial(enqueue_emails, ids))
    return count


class Backlog(NamedTuple):
    """Due emails not yet sent: how many (counted up to a bound) and how long the oldest has waited."""

    size: int
    oldest_age: float | None


def outbox_backlog(*, now: datetime | None = None, count_up_to: int = 100_000) -> Backlog:
    now = now or timezone.now()
    due = OutboundEmail.objects.unsent().filter(due_at__lte=now)
    size = due.order_by()[:count_up_to].count()
    oldest = due.order_by("due_at").values_list("due_at", flat=True).first()
    return Backlog(size=size, oldest_age=(now - oldest).total_seconds() if oldest else None)


def outbox_oldest_due_age(*, now: datetime | None = None) -> float | None:
    """Seconds since the oldest unsent email became due, or None when nothing is waiting."""
    return outbox_backlog(now=now, count_up_to=1).oldest_age
