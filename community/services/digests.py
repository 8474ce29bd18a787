"""The opt-in weekly digest of active topics (community.tasks.send_weekly_digests, from Celery beat).

The topics are the same for everyone, so it is one `notify()` for every member who asked, whatever their number:
the notification API writes the outbox rows set-wise and each email goes out through the outbox. Only topics anyone
may read are listed (never a group's private topics, which would need a list per reader), and only visible ones.
A member is sent one digest a week at most (`last_digest_at`), so a beat task run twice sends nothing twice.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from community.models import CommunityProfile, Group, Topic
from community.notifications import WEEKLY_DIGEST
from portal.models import User
from portal.notifications.services import notify

DIGEST_TOPICS = 10
WEEK = datetime.timedelta(days=7)
# A little under a week, so a beat task that runs a few minutes early still finds last week's recipients due.
RESEND_AFTER = datetime.timedelta(days=6, hours=12)


def active_topics(*, now: datetime.datetime, limit: int = DIGEST_TOPICS) -> list[Topic]:
    """Visible topics outside private groups with activity in the last week, most replies first. Reads the topics
    active this week through the last-activity index, never every topic."""
    return list(
        Topic.objects.filter(last_activity_at__gte=now - WEEK, hidden=False, merged_into__isnull=True)
        .filter(Q(category__group__isnull=True) | ~Q(category__group__kind=Group.Kind.PRIVATE))
        .filter(reply_count__gt=0)
        .select_related("category")
        .order_by("-reply_count", "-last_activity_at", "-id")[:limit]
    )


def weekly_digests_send(*, now: datetime.datetime | None = None) -> int:
    """Send this week's digest to every active member who turned it on and has not had one this week. Returns how
    many members it was sent to (0, sending nothing, when no topic was active). Side effects: one notification
    event for them all (delivered after commit by the outbox, honouring their choice for the kind), and their
    `last_digest_at`."""
    now = now or timezone.now()
    with transaction.atomic():
        due = CommunityProfile.objects.select_for_update(skip_locked=True).filter(
            Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - RESEND_AFTER),
            weekly_digest=True,
            status=CommunityProfile.Status.ACTIVE,
            user__is_active=True,
        )
        user_ids = list(due.values_list("user_id", flat=True))
        topics = active_topics(now=now)
        if not user_ids or not topics:
            return 0
        notify(
            recipients=User.objects.filter(pk__in=user_ids),
            kind=WEEKLY_DIGEST,
            title="This week in the community",
            context={
                "topics": [
                    {
                        "title": topic.title,
                        "url": _absolute(topic.get_absolute_url()),
                        "replies": topic.reply_count,
                        "category": topic.category.name,
                    }
                    for topic in topics
                ],
                "profile_url": _absolute(reverse("community:profile-edit")),
            },
            url=reverse("community:landing"),
        )
        CommunityProfile.objects.filter(user_id__in=user_ids).update(last_digest_at=now)
    return len(user_ids)


def _absolute(path: str) -> str:
    from portal.notifications.services.rendering import absolute_url

    return absolute_url(path)
