"""Keeping the notification tables small: what is done with and old enough is deleted, a batch at a time."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils import timezone

from portal.cache import bump
from portal.notifications.models import Event, Notification, OutboundEmail
from portal.notifications.selectors import NOTIFICATIONS_CACHE

PURGE_BATCH_SIZE = 1000


def notifications_purge(
    *, now: datetime | None = None, days: int | None = None, batch_size: int = PURGE_BATCH_SIZE
) -> dict[str, int]:
    """Delete, older than `days` (NOTIFICATIONS_RETENTION_DAYS): outbox rows that are finished (sent, or skipped as
    not needed), notifications the person has read, and then events nothing points at any more.

    Unsent and failed emails, unread notifications and anything recent are kept. Each DELETE takes at most
    `batch_size` ids and commits on its own, so a large backlog never holds long locks. Returns the count deleted
    for each table.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS if days is None else days)
    finished = [OutboundEmail.Status.SENT, OutboundEmail.Status.SKIPPED]
    emails = _delete_in_batches(
        # due_at is when the row was last tried (retries move it on), and it is indexed with status.
        OutboundEmail.objects.filter(status__in=finished, due_at__lt=cutoff),
        batch_size,
    )
    notifications = _delete_in_batches(
        # created_at is the latest activity: a grouped notification's clock restarts with each fold.
        Notification.objects.filter(read_at__isnull=False, created_at__lt=cutoff),
        batch_size,
    )
    if notifications:  # people's cached first pages of notifications (selectors.notification_page) listed them
        bump(NOTIFICATIONS_CACHE)
    events = _delete_in_batches(
        Event.objects.filter(created_at__lt=cutoff)
        .exclude(Exists(Notification.objects.filter(event=OuterRef("pk"))))
        .exclude(Exists(OutboundEmail.objects.filter(event=OuterRef("pk")))),
        batch_size,
    )
    return {"emails": emails, "notifications": notifications, "events": events}


def _delete_in_batches(rows: QuerySet[Model], batch_size: int) -> int:
    deleted = 0
    while ids := list(rows.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        rows.model._default_manager.filter(pk__in=ids).delete()
        deleted += len(ids)
    return deleted
