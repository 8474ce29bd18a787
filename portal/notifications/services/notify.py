"""Writing notifications: the one function every app calls, and the outbox entry for pre-rendered account emails.

Everything is written in the caller's transaction, so a rolled-back action tells nobody; delivery is handed to Celery
after commit (see delivery.py).
"""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from portal.cache import bump
from portal.models import User
from portal.notifications.models import EmailSuppression, Event, Notification, OutboundEmail, Preference
from portal.notifications.registry import Delivery, Kind, registered
from portal.notifications.selectors import NOTIFICATIONS_CACHE
from portal.notifications.services.delivery import enqueue_emails, enqueue_event

# Inside `emails_withheld()`, notify() writes notifications but no emails (see there).
_EMAILS_WITHHELD: ContextVar[bool] = ContextVar("emails_withheld", default=False)


@contextmanager
def emails_withheld() -> Iterator[None]:
    """Within this block notify() tells people in the portal only: no email is written for anyone. For made-up
    activity (seed_demo's forum replies between demo accounts), never for anything that really happened."""
    token = _EMAILS_WITHHELD.set(True)
    try:
        yield
    finally:
        _EMAILS_WITHHELD.reset(token)


def notify(
    *,
    recipients: QuerySet[User] | Iterable[User | str],
    kind: Kind,
    title: str = "",
    context: Mapping[str, object] | None = None,
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

    Side effects: one Event row, set-based writes of Notification and OutboundEmail rows (two statements whatever
    the number of recipients, grouped or not), and after commit a hand-over to Celery. Raises TypeError for a
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
        if _EMAILS_WITHHELD.get():
            addresses = []
        if users is not None:
            _write_for_users(
                event=event, kind=kind, users=users, title=short_title(title), group_key=group_key, now=now
            )
            if kind.in_app:  # someone's unread count went up; which people's, only the database knows
                bump(NOTIFICATIONS_CACHE)
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


def short_title(title: str) -> str:
    """The title as stored: within the column's length, cut at a word with "…" when it is longer (a title built from
    what people wrote, such as a long name and a long topic title, can pass it; PostgreSQL would refuse the row)."""
    limit = Notification._meta.get_field("title").max_length or 200
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return f"{cut.rstrip()}…"


def _split_recipients(recipients: QuerySet[User] | Iterable[User | str]) -> tuple[QuerySet[User] | None, list[str]]:
    """Users as one QuerySet (so rows can be written set-based in SQL) and plain addresses as a list."""
    if isinstance(recipients, QuerySet):
        return recipients, []
    user_ids: list[int] = []
    addresses: set[str] = set()
    for recipient in recipients:
        if isinstance(recipient, str):
            addresses.add(recipient.strip().lower())
        else:
            user_ids.append(recipient.pk)
    users = get_user_model().objects.filter(pk__in=user_ids) if user_ids else None
    return users, sorted(addresses)


def _write_for_users(
    *, event: Event, kind: Kind, users: QuerySet[User], title: str, group_key: str, now: datetime
) -> None:
    """Write every recipient's notification and email with two INSERT ... SELECT statements.

    The database joins the recipients with their preferences, so the request does no per-recipient work in Python
    however many people are told: 10,000 recipients cost the same two statements as one. With a group key, each
    statement ends in ON CONFLICT ... DO UPDATE against a partial unique index (one unread notification per person,
    kind and key; one unsent email per notification), so folding costs no extra statement, no anti-join whose plan
    depends on fresh statistics, and two transactions folding at once make one line, not two.
    """
    ops = connection.ops
    quote = ops.quote_name
    # DISTINCT: a recipients query with joins may name a person twice, and ON CONFLICT may touch a row only once.
    users_sql, users_params = users.order_by().values("id", "email").distinct().query.sql_with_params()
    if kind.can_opt_out:
        delivery = "COALESCE(p.delivery, %s)"
        delivery_params: list[str] = [kind.default.value]
        preference_join = f"LEFT JOIN {quote(Preference._meta.db_table)} p ON p.user_id = u.id AND p.kind = %s"
        join_params: list[str] = [kind.name]
    else:
        delivery, delivery_params, preference_join, join_params = "%s", [Delivery.IMMEDIATE.value], "", []
    stamp = ops.adapt_datetimefield_value(now)
    held_until = ops.adapt_datetimefield_value(now + timedelta(seconds=kind.email_delay_seconds))
    notification_table = quote(Notification._meta.db_table)
    email_table = quote(OutboundEmail._meta.db_table)
    count = quote("count")
    pending = OutboundEmail.Status.PENDING.value
    fold_notification, fold_email = "", ""
    if group_key:
        # The conflict targets repeat the unique constraints' columns and conditions (see models.py) as the
        # migration wrote them, with literals: SQLite matches a partial index only to the same expression.
        fold_notification = (
            " ON CONFLICT (recipient_id, kind, group_key) WHERE (read_at IS NULL AND NOT (group_key = '')) "
            "DO UPDATE SET "
            f"{count} = {notification_table}.{count} + 1, title = excluded.title, event_id = excluded.event_id, "
            "created_at = excluded.created_at, digest_pending = excluded.digest_pending"
        )
        # The email not yet sent for a folded notification now renders this, the latest, event; when it is due and
        # whether it is already handed to the broker stay as they were. (One already being sent keeps what it has:
        # the bell shows the rest.)
        sending = OutboundEmail.Status.SENDING.value
        fold_email = (
            f" ON CONFLICT (notification_id) WHERE status IN ('{pending}', '{sending}') "
            "DO UPDATE SET event_id = excluded.event_id"
        )

    with connection.cursor() as cursor:
        if kind.in_app:
            cursor.execute(
                f"INSERT INTO {notification_table} "  # noqa: S608 - names from _meta; every value is a parameter
                f"(recipient_id, event_id, kind, title, group_key, {count}, read_at, digest_pending, created_at) "
                f"SELECT u.id, %s, %s, %s, %s, 1, NULL, CASE WHEN {delivery} = %s THEN %s ELSE %s END, %s "
                f"FROM ({users_sql}) u {preference_join} WHERE {delivery} <> %s{fold_notification}",
                [
                    event.pk, kind.name, title, group_key, *delivery_params, Delivery.DIGEST.value, True, False,
                    stamp, *users_params, *join_params, *delivery_params, Delivery.OFF.value,
                ],
            )  # fmt: skip
        if _EMAILS_WITHHELD.get():
            return
        cursor.execute(
            f"INSERT INTO {email_table} "  # noqa: S608 - as above
            "(kind, event_id, notification_id, recipient_id, to_email, subject, body_text, body_html, status, due_at, "
            "attempts, message_id, last_error, created_at) "
            "SELECT %s, %s, n.id, u.id, u.email, '', '', '', %s, CASE WHEN n.id IS NULL THEN %s ELSE %s END, "
            "0, '', '', %s "
            f"FROM ({users_sql}) u {preference_join} "
            f"LEFT JOIN {notification_table} n ON n.event_id = %s AND n.recipient_id = u.id "
            f"WHERE {delivery} = %s AND u.email <> ''{fold_email}",
            [
                kind.name, event.pk, pending, stamp, held_until, stamp,
                *users_params, *join_params, event.pk, *delivery_params, Delivery.IMMEDIATE.value,
            ],
        )  # fmt: skip


def queue_rendered_email(
    *, kind: Kind, to_email: str, subject: str, body_text: str, body_html: str = "", recipient: User | None = None
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
