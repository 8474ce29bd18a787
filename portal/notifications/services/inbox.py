"""What a person has read in the portal."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from portal.cache import bump, personal
from portal.notifications.models import Notification
from portal.notifications.selectors import NOTIFICATIONS_CACHE, unread_count


def _read(*, user: User, rows: models.QuerySet[Notification]) -> int:
    count = rows.update(read_at=timezone.now())
    if count:  # the header's unread count (selectors.unread_count) is cached until this
        bump(personal(NOTIFICATIONS_CACHE, user.pk))
    return count


if TYPE_CHECKING:
    from portal.models import User
    from portal.permissions import Person


def notifications_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return _read(user=user, rows=rows)


def notifications_mark_seen(*, user: Person, subject_object: models.Model) -> int:
    """The person has looked at this thing in the portal: their notifications about it are read, and emails that
    were held back about it are not sent. Apps call this from the thing's detail view."""
    if user is None or not user.is_authenticated:
        return 0
    if not unread_count(user=user):  # the usual case, answered by the cache: no UPDATE on every page view
        return 0
    return _read(
        user=user,
        rows=Notification.objects.for_user(user)
        .unread()
        .filter(
            event__subject_type=ContentType.objects.get_for_model(subject_object),
            event__subject_id=str(subject_object.pk),
        ),
    )
