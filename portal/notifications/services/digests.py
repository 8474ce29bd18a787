"""Daily summaries: one email per person listing what waited for it."""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from portal.notifications.kinds import DIGEST
from portal.notifications.models import Event, Notification, OutboundEmail
from portal.notifications.services.delivery import enqueue_emails


def digests_send(*, now: datetime | None = None) -> int:
    """Build one summary email per person with unread notifications waiting for it. Nothing for nobody.

    Grouped notifications are already one row each, so "5 new replies in ..." is one line of the summary.
    Returns the number of summaries queued.
    """
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
