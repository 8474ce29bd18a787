"""Writing notifications and delivering the outbox.

The rules:
- `notify` writes everything in the caller's transaction; a rolled-back action tells nobody.
- After commit, delivery is handed to Celery. If the broker is down, the rows wait and the sweeper hands them over
  later: nothing is lost.
- Each email row is claimed by one atomic UPDATE before it is sent, so two workers racing on one row send one email.
- Failures back off exponentially with jitter, up to OUTBOX_MAX_ATTEMPTS, then the row is marked failed for staff.
"""

import logging
import random
from collections.abc import Iterable
from datetime import timedelta
from email.utils import make_msgid
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, models, transaction
from django.db.models import F, QuerySet
from django.template import Context, engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.notifications import registry
from portal.notifications.models import EmailSuppression, Event, Notification, OutboundEmail, Preference
from portal.notifications.registry import Delivery, Kind

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "portal.notifications.unsubscribe"
SENT_BODY_CLEARED = "(Cleared after sending: account emails hold one-time links.)"


# --- Writing ------------------------------------------------------------------------------------------------------


def notify(
    *,
    recipients: Iterable | QuerySet,
    kind: str,
    title: str = "",
    context: dict | None = None,
    subject_object: models.Model | None = None,
    url: str = "",
) -> Event:
    """Tell people that something happened, by the way each of them chose.

    `recipients` is a QuerySet of users, or any iterable of users and plain email addresses (for people without an
    account, such as a pledge contact). `context` must be JSON-serialisable: it is stored and the email is rendered
    from it when it is sent, so the caller does no per-recipient rendering. Side effects: one Event row, bulk-inserted
    Notification and OutboundEmail rows, and after commit a hand-over to Celery. Raises LookupError for an
    unregistered kind.
    """
    kind_def = registry.get(kind)
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.create(
            kind=kind,
            context=context or {},
            url=url,
            subject_type=ContentType.objects.get_for_model(subject_object) if subject_object is not None else None,
            subject_id=str(subject_object.pk) if subject_object is not None else "",
            created_at=now,
        )
        users, addresses = _split_recipients(recipients)
        if users is not None:
            _insert_for_users(event=event, kind=kind_def, users=users, title=title, now=now)
        suppressed = _suppressed_addresses(kind_def, addresses)
        OutboundEmail.objects.bulk_create(
            [
                OutboundEmail(kind=kind, event=event, to_email=address, due_at=now, created_at=now)
                for address in addresses
                if address not in suppressed
            ]
        )
        transaction.on_commit(partial(enqueue_event, event.pk))
    return event


def _split_recipients(recipients) -> tuple[QuerySet | None, list[str]]:
    """Users as one QuerySet (so rows can be written set-based in SQL) and plain addresses as a list."""
    if isinstance(recipients, QuerySet):
        return recipients, []
    user_ids, addresses = [], set()
    for recipient in recipients:
        if isinstance(recipient, str):
            addresses.add(recipient.strip().lower())
        else:
            user_ids.append(recipient.pk)
    users = get_user_model().objects.filter(pk__in=user_ids) if user_ids else None
    return users, sorted(addresses)


def _insert_for_users(*, event: Event, kind: Kind, users: QuerySet, title: str, now) -> None:
    """Write every recipient's notification and email with two INSERT ... SELECT statements.

    The database joins the recipients with their preferences, so the request does no per-recipient work in Python
    however many people are told: 10,000 recipients cost the same two statements as one.
    """
    ops = connection.ops
    quote = ops.quote_name
    users_sql, users_params = users.order_by().values("id", "email").query.sql_with_params()
    if kind.can_opt_out:
        delivery = "COALESCE(p.delivery, %s)"
        delivery_params: list = [kind.default.value]
        preference_join = f"LEFT JOIN {quote(Preference._meta.db_table)} p ON p.user_id = u.id AND p.kind = %s"
        join_params: list = [kind.name]
    else:
        delivery, delivery_params, preference_join, join_params = "%s", [Delivery.IMMEDIATE.value], "", []
    stamp = ops.adapt_datetimefield_value(now)
    held_until = ops.adapt_datetimefield_value(now + timedelta(seconds=kind.email_delay_seconds))
    notification_table = quote(Notification._meta.db_table)

    with connection.cursor() as cursor:
        if kind.in_app:
            cursor.execute(
                f"INSERT INTO {notification_table} "  # noqa: S608 - names from _meta; every value is a parameter
                "(recipient_id, event_id, title, read_at, digest_pending, created_at) "
                f"SELECT u.id, %s, %s, NULL, CASE WHEN {delivery} = %s THEN %s ELSE %s END, %s "
                f"FROM ({users_sql}) u {preference_join} WHERE {delivery} <> %s",
                [
                    event.pk, title, *delivery_params, Delivery.DIGEST.value, True, False, stamp,
                    *users_params, *join_params, *delivery_params, Delivery.OFF.value,
                ],
            )  # fmt: skip
        cursor.execute(
            f"INSERT INTO {quote(OutboundEmail._meta.db_table)} "  # noqa: S608 - as above
            "(kind, event_id, notification_id, recipient_id, to_email, subject, body_text, body_html, status, due_at, "
            "attempts, message_id, last_error, created_at) "
            "SELECT %s, %s, n.id, u.id, u.email, '', '', '', %s, CASE WHEN n.id IS NULL THEN %s ELSE %s END, "
            "0, '', '', %s "
            f"FROM ({users_sql}) u {preference_join} "
            f"LEFT JOIN {notification_table} n ON n.event_id = %s AND n.recipient_id = u.id "
            f"WHERE {delivery} = %s AND u.email <> ''",
            [
                kind.name, event.pk, OutboundEmail.Status.PENDING.value, stamp, held_until, stamp,
                *users_params, *join_params, event.pk, *delivery_params, Delivery.IMMEDIATE.value,
            ],
        )  # fmt: skip


def queue_rendered_email(
    *, kind: str, to_email: str, subject: str, body_text: str, body_html: str = "", recipient=None
) -> OutboundEmail:
    """Put an email that is already rendered (allauth's account emails) through the outbox."""
    registry.get(kind)
    email = OutboundEmail.objects.create(
        kind=kind,
        to_email=to_email,
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )
    transaction.on_commit(partial(enqueue_emails, [email.pk]))
    return email


def _suppressed_addresses(kind: Kind, addresses: list[str]) -> set[str]:
    if not addresses or not kind.can_opt_out:
        return set()
    return set(EmailSuppression.objects.filter(kind=kind.name, email__in=addresses).values_list("email", flat=True))


# --- Handing over to Celery ---------------------------------------------------------------------------------------


def enqueue_emails(email_ids: list[int]) -> None:
    """Hand emails to the broker. Never raises: if the broker is down the rows wait for the sweeper."""
    if not email_ids:
        return
    from portal.notifications import tasks

    try:
        for chunk in _chunks(email_ids):
            tasks.send_emails.apply_async((chunk,), **_publish_options())
    except Exception:  # noqa: BLE001 - the broker being down must not undo the person's action
        logger.warning("Could not hand %s email(s) to the broker; the sweeper will retry.", len(email_ids))
        return
    OutboundEmail.objects.filter(pk__in=email_ids, enqueued_at__isnull=True).update(enqueued_at=timezone.now())


def enqueue_event(event_id: int) -> None:
    """After commit: one small message, whatever the number of recipients; the worker finds the event's emails."""
    from portal.notifications import tasks

    try:
        tasks.deliver_event.apply_async((event_id,), **_publish_options())
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


def _publish_options() -> dict:
    # Fail fast when the broker is down: the request must not hang, and the sweeper will catch up.
    return {"retry": True, "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}}


def outbox_sweep(*, now=None, batch_size: int = 500) -> int:
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
        from portal.notifications import tasks

        try:
            for chunk in _chunks(ids):
                tasks.send_emails.apply_async((chunk,), **_publish_options())
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


def outbound_email_send(*, email_id: int, mail_connection=None) -> str:
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


def _finish(email: OutboundEmail, **fields) -> None:
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
    ceiling = min(settings.OUTBOX_RETRY_MAX_SECONDS, settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1))
    return ceiling * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not security


def _reason_to_skip(email: OutboundEmail) -> str:
    if email.notification_id and email.notification.read_at:
        return "Seen in the portal before the email was due."
    if email.event_id is None:
        return ""
    kind = registry.get(email.kind)
    if not kind.can_opt_out:
        return ""
    if email.recipient_id:
        delivery = (
            Preference.objects.filter(user_id=email.recipient_id, kind=email.kind)
            .values_list("delivery", flat=True)
            .first()
        )
        if delivery not in (None, Delivery.IMMEDIATE):
            return "The person changed their choice before it was sent."
    elif EmailSuppression.objects.filter(email=email.to_email, kind=email.kind).exists():
        return "The address unsubscribed before it was sent."
    return ""


def outbound_email_retry(*, email_ids: Iterable[int]) -> int:
    """Staff retry of failed emails: back to pending, attempts reset, handed over after commit."""
    ids = list(email_ids)
    with transaction.atomic():
        count = OutboundEmail.objects.filter(pk__in=ids, status=OutboundEmail.Status.FAILED).update(
            status=OutboundEmail.Status.PENDING, attempts=0, due_at=timezone.now(), enqueued_at=None
        )
        transaction.on_commit(partial(enqueue_emails, ids))
    return count


# --- Rendering ----------------------------------------------------------------------------------------------------


def build_message(email: OutboundEmail, connection=None) -> EmailMultiAlternatives:
    kind = registry.get(email.kind)
    headers = {"Message-ID": email.message_id, "Auto-Submitted": "auto-generated"}
    if email.subject:
        subject, text, html = email.subject, email.body_text, email.body_html
    else:
        subject, text, html = render_email(email, kind)
    if kind.can_opt_out:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(email)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers=headers,
        connection=connection,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def render_email(email: OutboundEmail, kind: Kind) -> tuple[str, str, str]:
    event = email.event
    context = {
        **(event.context if event else {}),
        "kind": kind,
        "recipient": email.recipient,
        "site_url": settings.SITE_URL,
        "url": absolute_url(event.url) if event and event.url else "",
        "unsubscribe_url": unsubscribe_url(email) if kind.can_opt_out else "",
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }
    if event and "notification_ids" in event.context:
        context["items"] = list(
            Notification.objects.filter(pk__in=event.context["notification_ids"]).select_related("event")
        )
    subject = _render_plain(f"{kind.template}_subject.txt", context).strip()
    text = _render_plain(f"{kind.template}.txt", context)
    html = render_to_string(f"{kind.template}.html", context)
    return " ".join(subject.split()), text, html


def _render_plain(template_name: str, context: dict) -> str:
    """Subjects and text bodies are plain text: "Smith & Jones" must not arrive as "Smith &amp; Jones"."""
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def absolute_url(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


# --- Unsubscribing ------------------------------------------------------------------------------------------------


def unsubscribe_token(*, kind: str, user_id: int | None = None, email: str = "") -> str:
    return signing.dumps({"k": kind, "u": user_id, "e": "" if user_id else email}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(email: OutboundEmail) -> str:
    token = unsubscribe_token(kind=email.kind, user_id=email.recipient_id, email=email.to_email)
    return absolute_url(reverse("notifications:unsubscribe", args=[token]))


def unsubscribe_read(*, token: str) -> tuple[Kind, int | None, str]:
    """Read a signed unsubscribe token. Raises signing.BadSignature if it was altered."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    kind = registry.get(data["k"])
    if not kind.can_opt_out:
        raise signing.BadSignature("This kind cannot be turned off.")
    return kind, data.get("u"), data.get("e", "")


def unsubscribe(*, token: str) -> Kind:
    """Stop emails of one kind for the person or address in the token. Idempotent."""
    kind, user_id, address = unsubscribe_read(token=token)
    if user_id:
        preference_set(user_id=user_id, kind=kind.name, delivery=Delivery.IN_APP if kind.in_app else Delivery.OFF)
    else:
        EmailSuppression.objects.get_or_create(email=address, kind=kind.name)
    return kind


def preferences_set(*, user_id: int, choices: dict[str, str]) -> None:
    """Save a person's choices for several kinds at once: all of them or, if one is refused, none."""
    with transaction.atomic():
        for kind, delivery in choices.items():
            preference_set(user_id=user_id, kind=kind, delivery=delivery)


def preference_set(*, user_id: int, kind: str, delivery: Delivery | str) -> None:
    kind_def = registry.get(kind)
    if not kind_def.can_opt_out:
        raise ValueError(f"{kind} cannot be changed.")
    Preference.objects.update_or_create(user_id=user_id, kind=kind, defaults={"delivery": Delivery(delivery)})


# --- In the portal ------------------------------------------------------------------------------------------------


def notifications_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())


def notifications_mark_seen(*, user, subject_object: models.Model) -> int:
    """The person has looked at this thing in the portal: their notifications about it are read, and emails that
    were held back about it are not sent. Apps call this from the thing's detail view."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return (
        Notification.objects.for_user(user)
        .unread()
        .filter(
            event__subject_type=ContentType.objects.get_for_model(subject_object),
            event__subject_id=str(subject_object.pk),
        )
        .update(read_at=timezone.now())
    )


# --- Daily summaries ----------------------------------------------------------------------------------------------


def digests_send(*, now=None) -> int:
    """Build one summary email per person with unread notifications waiting for it. Nothing for nobody.

    Returns the number of summaries queued.
    """
    from portal.notifications.kinds import DIGEST

    now = now or timezone.now()
    waiting = Notification.objects.filter(digest_pending=True, created_at__lte=now)
    user_ids = list(waiting.values_list("recipient_id", flat=True).distinct().order_by("recipient_id"))
    queued = 0
    for user_id in user_ids:
        with transaction.atomic():
            notes = list(waiting.filter(recipient_id=user_id).select_for_update().select_related("recipient"))
            if not notes:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in notes]).update(digest_pending=False)
            unread = [n for n in notes if n.read_at is None]
            if not unread:
                continue
            event = Event.objects.create(
                kind=DIGEST.name, context={"notification_ids": [n.pk for n in unread]}, created_at=now
            )
            email = OutboundEmail.objects.create(
                kind=DIGEST.name, event=event, recipient_id=user_id, to_email=notes[0].recipient.email, due_at=now
            )
            transaction.on_commit(partial(enqueue_emails, [email.pk]))
            queued += 1
    return queued


# --- Operations ---------------------------------------------------------------------------------------------------


def outbox_oldest_due_age(*, now=None) -> float | None:
    """Seconds since the oldest unsent email became due, or None when nothing is waiting."""
    now = now or timezone.now()
    oldest = (
        OutboundEmail.objects.unsent().filter(due_at__lte=now).order_by("due_at").values_list("due_at", flat=True)
    ).first()
    return (now - oldest).total_seconds() if oldest else None
