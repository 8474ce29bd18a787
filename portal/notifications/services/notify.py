"""Writing notifications: the one function every app calls, and the outbox entry for pre-rendered account emails.

Everything is written in the caller's transaction, so a rolled-back action tells nobody; delivery is handed to Celery
after commit (see delivery.py).
"""

from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from portal.notifications.models import EmailSuppression, Event, Notification, OutboundEmail, Preference
from portal.notifications.registry import Delivery, Kind, registered
from portal.notifications.services.delivery import enqueue_emails, enqueue_event


def notify(
    *,
    recipients: Iterable | QuerySet,
    kind: Kind,
    title: str = "",
    context: dict | None = None,
    subject_object: models.Model | None = None,
    url: str = "",
    group_key: str = "",
) -> Event:
    """Tell people that something happened, by the way each of them chose.

    `recipients` is a QuerySet of users, or any iterable of users and plain email addresses (for people without an
    account, such as a pledge contact). `context` must be JSON-serialisable: it is stored and the email is rendered
    from it when it is sent, so the caller does no per-recipient rendering.

    `group_key` (e.g. "topic:123") folds repeats: a person who already has an unread notification of this kind with
    this key gets that one updated (count + 1, this title, link and context) instead of a new line, and an email of
    it still waiting to be sent carries the latest instead of a second email following it. Only account holders'
    notifications are grouped, so only kinds shown in the portal take a key.

    Side effects: one Event row, set-based writes of Notification and OutboundEmail rows (a fixed number of
    statements whatever the number of recipients), and after commit a hand-over to Celery. Raises TypeError for a
    kind that is not a Kind, LookupError for an unregistered one and ValueError for a key on a kind not in the portal.
    """
    kind = registered(kind)
    if group_key and not kind.in_app:
        raise ValueError(f"{kind.name} is not shown in the portal, so it has nothing to group: drop group_key.")
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.create(
            kind=kind.name,
            context=context or {},
            url=url,
            subject_type=ContentType.objects.get_for_model(subject_object) if subject_object is not None else None,
            subject_id=str(subject_object.pk) if subject_object is not None else "",
            created_at=now,
        )
        users, addresses = _split_recipients(recipients)
        if users is not None:
            _write_for_users(event=event, kind=kind, users=users, title=title, group_key=group_key, now=now)
        suppressed = _suppressed_addresses(kind, addresses)
        OutboundEmail.objects.bulk_create(
            [
                OutboundEmail(kind=kind.name, event=event, to_email=address, due_at=now, created_at=now)
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


def _write_for_users(*, event: Event, kind: Kind, users: QuerySet, title: str, group_key: str, now) -> None:
    """Write every recipient's notification and email set-based: the database joins the recipients with their
    preferences, so the request does no per-recipient work in Python however many people are told.

    Without a group key that is two INSERT ... SELECT statements. With one, two UPDATEs come first: one folds this
    event into each recipient's unread notification with the key, one points that notification's still-pending
    email at this event; the INSERTs then write only what was not folded. Two transactions grouping for the same
    person at the same moment can each miss the other's row and write two lines: a rare second line, never a lost one.
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
    email_table = quote(OutboundEmail._meta.db_table)
    pending = OutboundEmail.Status.PENDING.value
    count = quote("count")

    def recipients_whose(condition: str, condition_params: list) -> tuple[str, list]:
        # names from _meta; every value is a parameter
        sql = f"SELECT u.id FROM ({users_sql}) u {preference_join} WHERE {delivery} {condition}"  # noqa: S608
        return sql, [*users_params, *join_params, *delivery_params, *condition_params]

    with connection.cursor() as cursor:
        if kind.in_app and group_key:
            told_sql, told_params = recipients_whose("<> %s", [Delivery.OFF.value])
            digest_sql, digest_params = recipients_whose("= %s", [Delivery.DIGEST.value])
            cursor.execute(
                f"UPDATE {notification_table} SET {count} = {count} + 1, title = %s, event_id = %s, created_at = %s, "  # noqa: S608
                f"digest_pending = CASE WHEN recipient_id IN ({digest_sql}) THEN %s ELSE %s END "
                f"WHERE kind = %s AND group_key = %s AND read_at IS NULL AND recipient_id IN ({told_sql})",
                [title, event.pk, stamp, *digest_params, True, False, kind.name, group_key, *told_params],
            )
        if kind.in_app:
            not_folded, not_folded_params = "", []
            if group_key:
                not_folded = (
                    f" AND NOT EXISTS (SELECT 1 FROM {notification_table} g WHERE g.recipient_id = u.id "  # noqa: S608
                    "AND g.kind = %s AND g.group_key = %s AND g.read_at IS NULL)"
                )
                not_folded_params = [kind.name, group_key]
            cursor.execute(
                f"INSERT INTO {notification_table} "  # noqa: S608 - as above
                f"(recipient_id, event_id, kind, title, group_key, {count}, read_at, digest_pending, created_at) "
                f"SELECT u.id, %s, %s, %s, %s, 1, NULL, CASE WHEN {delivery} = %s THEN %s ELSE %s END, %s "
                f"FROM ({users_sql}) u {preference_join} WHERE {delivery} <> %s{not_folded}",
                [
                    event.pk, kind.name, title, group_key, *delivery_params, Delivery.DIGEST.value, True, False,
                    stamp, *users_params, *join_params, *delivery_params, Delivery.OFF.value, *not_folded_params,
                ],
            )  # fmt: skip
        no_pending_email, no_pending_params = "", []
        if kind.in_app and group_key:
            # The email still waiting for a folded notification now renders this, the latest, event.
            cursor.execute(
                f"UPDATE {email_table} SET event_id = %s WHERE status = %s AND notification_id IN "  # noqa: S608
                f"(SELECT n.id FROM {notification_table} n WHERE n.event_id = %s)",
                [event.pk, pending, event.pk],
            )
            no_pending_email = (
                f" AND NOT EXISTS (SELECT 1 FROM {email_table} e WHERE e.notification_id = n.id AND e.status = %s)"  # noqa: S608
            )
            no_pending_params = [pending]
        cursor.execute(
            f"INSERT INTO {email_table} "  # noqa: S608 - as above
            "(kind, event_id, notification_id, recipient_id, to_email, subject, body_text, body_html, status, due_at, "
            "attempts, message_id, last_error, created_at) "
            "SELECT %s, %s, n.id, u.id, u.email, '', '', '', %s, CASE WHEN n.id IS NULL THEN %s ELSE %s END, "
            "0, '', '', %s "
            f"FROM ({users_sql}) u {preference_join} "
            f"LEFT JOIN {notification_table} n ON n.event_id = %s AND n.recipient_id = u.id "
            f"WHERE {delivery} = %s AND u.email <> ''{no_pending_email}",
            [
                kind.name, event.pk, pending, stamp, held_until, stamp,
                *users_params, *join_params, event.pk, *delivery_params, Delivery.IMMEDIATE.value, *no_pending_params,
            ],
        )  # fmt: skip


def queue_rendered_email(
    *, kind: Kind, to_email: str, subject: str, body_text: str, body_html: str = "", recipient=None
) -> OutboundEmail:
    """Put an email that is already rendered (allauth's account emails) through the outbox."""
    kind = registered(kind)
    email = OutboundEmail.objects.create(
        kind=kind.name,
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
