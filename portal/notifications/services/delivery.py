"""Delivering the outbox: handing rows to Celery, claiming and sending them, retrying, and the sweeper.

The rules:
- After commit, delivery is handed to Celery. If the broker is down, the rows wait and the sweeper hands them over
  later: nothing is lost.
- Each email row is claimed by one atomic UPDATE before it is sent, so two workers racing on one row send one email.
- Failures back off exponentially with jitter, up to OUTBOX_MAX_ATTEMPTS, then the row is marked failed for staff.
"""

import logging
import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import make_msgid
from functools import partial
from typing import TypedDict

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from portal.notifications import registry, selectors
from portal.notifications.models import EmailSuppression, OutboundEmail
from portal.notifications.registry import Delivery
from portal.notifications.services.rendering import build_message

logger = logging.getLogger(__name__)

SENT_BODY_CLEARED = "(Cleared after sending: account emails hold one-time links.)"


# The tasks are imported when first needed, in the two functions below: tasks import these services, so the
# dependency runs one way at import time. (Not `send_task` by name: that would bypass eager mode, which development
# and tests rely on.)


def _publish_send_emails(email_ids: list[int]) -> None:
    from portal.notifications.tasks import send_emails

    send_emails.apply_async((email_ids,), **_publish_options())


def _publish_deliver_event(event_id: int) -> None:
    from portal.notifications.tasks import deliver_event

    deliver_event.apply_async((event_id,), **_publish_options())


# --- Handing over to Celery ---------------------------------------------------------------------------------------


def enqueue_emails(email_ids: list[int]) -> None:
    """Hand emails to the broker. Never raises: if the broker is down the rows wait for the sweeper."""
    if not email_ids:
        return
    try:
        for chunk in _chunks(email_ids):
            _publish_send_emails(chunk)
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
    """In the worker: hand over an event's due emails in batches. Returns how many."""
    ids = list(
        OutboundEmail.objects.due()
        .filter(event_id=event_id, enqueued_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    enqueue_emails(ids)
    return len(ids)


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


def _publish_options() -> _PublishOptions:
    # Fail fast when the broker is down: the request must not hang, and the sweeper will catch up.
    return {"retry": True, "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}}


def outbox_sweep(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Hand over every due, unsent email that is not already on its way. Returns how many were handed over.

    Also returns to the queue any email whose worker died mid-send (claimed longer ago than the lease).
    """
    now = now or timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING, claimed_at__lt=now - lease).update(
        status=OutboundEmail.Status.PENDING, due_at=now
    )
    requeue_before = now - timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER_SECONDS)
    with transaction.atomic():
        rows = (
            OutboundEmail.objects.due(now)
            .filter(models.Q(enqueued_at__isnull=True) | models.Q(enqueued_at__lt=requeue_before))
            .order_by("due_at", "id")
        )
        if connection.features.has_select_for_update_skip_locked:
            # Two sweepers running at once pick different rows instead of waiting on each other.
            rows = rows.select_for_update(skip_locked=True)
        ids = list(rows.values_list("id", flat=True)[:batch_size])
        if ids:
            OutboundEmail.objects.filter(pk__in=ids).update(enqueued_at=now)
    if ids:
        try:
            for chunk in _chunks(ids):
                _publish_send_emails(chunk)
        except Exception:  # noqa: BLE001 - still down: the rows wait for the next sweep
            logger.warning("Broker still unavailable; %s email(s) wait for the next sweep.", len(ids))
            OutboundEmail.objects.filter(pk__in=ids, status=OutboundEmail.Status.PENDING).update(enqueued_at=None)
            return 0
    return len(ids)


# --- Sending ------------------------------------------------------------------------------------------------------


def outbound_emails_send(*, email_ids: list[int]) -> dict[str, int]:
    """Send a batch of outbox rows over one connection to the mail server. Returns a count of each outcome."""
    outcomes: dict[str, int] = {}
    with get_connection() as mail_connection:
        for email_id in email_ids:
            outcome = outbound_email_send(email_id=email_id, mail_connection=mail_connection)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def outbound_email_send(*, email_id: int, mail_connection: BaseEmailBackend | None = None) -> str:
    """Send one outbox row if it is still due and nobody else has claimed it. Returns what happened.

    The claim is a single UPDATE ... WHERE status = pending, so of two workers racing only one gets the row.
    """
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.PENDING, due_at__lte=now).update(
        status=OutboundEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "not-claimed"
    email = OutboundEmail.objects.select_related("event", "notification", "recipient").get(pk=email_id)

    try:
        reason = _reason_to_skip(email)
        if reason:
            _finish(email, status=OutboundEmail.Status.SKIPPED, last_error=reason)
            return "skipped"
        if not email.message_id:
            # Kept before sending, so a resend after a crash carries the same Message-ID.
            email.message_id = make_msgid(domain=settings.OUTBOX_MESSAGE_ID_DOMAIN)
            OutboundEmail.objects.filter(pk=email.pk).update(message_id=email.message_id)
        build_message(email, connection=mail_connection).send()
    except Exception as exc:  # noqa: BLE001 - any failure (render or send) is retried, then shown to staff
        return _record_failure(email, exc)
    sent = {"status": OutboundEmail.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
    if email.subject:
        # Pre-rendered account emails carry one-time links (password reset, email confirmation): once sent, the
        # outbox keeps that it was sent and when, not a working link for anyone who can read the table.
        sent.update(body_text=SENT_BODY_CLEARED, body_html="")
    _finish(email, **sent)
    return "sent"


def _finish(email: OutboundEmail, **fields: object) -> None:
    OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENDING).update(**fields)


def _record_failure(email: OutboundEmail, exc: Exception) -> str:
    error = f"{exc.__class__.__name__}: {exc}"[:2000]
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        logger.error("Email %s failed for good after %s attempts: %s", email.pk, email.attempts, error)
        _finish(email, status=OutboundEmail.Status.FAILED, last_error=error)
        return "failed"
    delay = retry_delay(email.attempts)
    logger.warning("Email %s failed (attempt %s), retrying in %ss: %s", email.pk, email.attempts, delay, error)
    _finish(
        email,
        status=OutboundEmail.Status.PENDING,
        due_at=timezone.now() + timedelta(seconds=delay),
        enqueued_at=None,
        last_error=error,
    )
    return "retry"


def retry_delay(attempts: int) -> float:
    """Exponential backoff with full jitter on the upper half: base * 2^(n-1), capped, then 50-100% of that."""
    ceiling: float = min(settings.OUTBOX_RETRY_MAX_SECONDS, settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1))
    return ceiling * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not security


def _reason_to_skip(email: OutboundEmail) -> str:
    if email.notification is not None and email.notification.read_at:
        return "Seen in the portal before the email was due."
    if email.event_id is None:
        return ""
    kind = registry.get(email.kind)
    if not kind.can_opt_out:
        return ""
    if email.recipient_id:
        if selectors.preference_get(user_id=email.recipient_id, kind=kind) != Delivery.IMMEDIATE:
            return "The person changed their choice before it was sent."
    elif EmailSuppression.objects.filter(email=email.to_email, kind=email.kind).exists():
        return "The address unsubscribed before it was sent."
    return ""


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


def outbox_oldest_due_age(*, now: datetime | None = None) -> float | None:
    """Seconds since the oldest unsent email became due, or None when nothing is waiting."""
    now = now or timezone.now()
    oldest = (
        OutboundEmail.objects.unsent().filter(due_at__lte=now).order_by("due_at").values_list("due_at", flat=True)
    ).first()
    return (now - oldest).total_seconds() if oldest else None
