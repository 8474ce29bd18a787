"""Reminders the network sends by itself (Celery beat, champions.tasks): a session reminder two days before and on
the morning, and a follow-up reminder to the Improvement Service person who owns a one-to-one record.

Each is sent once: a reminder is claimed by stamping its session or record with an UPDATE ... WHERE not yet stamped,
in the same transaction as the notification, so two beats running at once, or a beat run again, never send it twice.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from champions.models import ChampionStatus, Session, SupportLog
from champions.notifications import FOLLOW_UP_DUE, SESSION_REMINDER
from portal.models import User
from portal.notifications.services import notify

# The morning reminder goes from this hour (Europe/London) on the day of the session.
MORNING_HOUR = 7
EARLY = "early"
DAY = "day"


def _recipients(session: Session) -> list[User | str]:
    """Active members of the session's cohort: their account if linked, else the address on their record."""
    memberships = session.cohort.memberships.filter(
        left_on__isnull=True, champion__status=ChampionStatus.ACTIVE
    ).select_related("champion__user")
    return [m.champion.user if m.champion.user is not None else m.champion.email for m in memberships]


def _context(session: Session, which: str) -> dict[str, object]:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return {
        "which": which,
        "theme": session.theme,
        "cohort": session.cohort.name,
        "date": starts.strftime("%A %-d %B %Y"),
        "time": f"{starts:%H:%M} to {ends:%H:%M}",
        "online_url": session.online_url,
        "venue": session.venue,
    }


def session_remind(*, session: Session, which: str, now: datetime.datetime | None = None) -> bool:
    """Send one session's reminder ("early" or "day") unless it has already gone; True if this call sent it. The
    morning reminder also closes the early one, so a session added at short notice gets one reminder, not two."""
    now = now or timezone.now()
    with transaction.atomic():
        live = Session.objects.filter(pk=session.pk, cancelled_at__isnull=True)
        if which == DAY:
            claimed = live.filter(reminder_day_sent_at__isnull=True).update(reminder_day_sent_at=now)
            if claimed:
                live.filter(reminder_early_sent_at__isnull=True).update(reminder_early_sent_at=now)
        else:
            claimed = live.filter(reminder_early_sent_at__isnull=True).update(reminder_early_sent_at=now)
        if not claimed:
            return False
        recipients = _recipients(session)
        if recipients:
            starts = timezone.localtime(session.starts_at)
            title = (
                f"Today at {starts:%H:%M}: {session.theme}"
                if which == DAY
                else f"Coming up on {starts:%A %-d %B}: {session.theme}"
            )
            notify(
                recipients=recipients,
                kind=SESSION_REMINDER,
                title=title,
                context=_context(session, which),
                subject_object=session,
                url=reverse("champions:space-session", args=[session.pk]),
            )
    return True


def session_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Every reminder due now: the early one for sessions one or two days ahead (Europe/London), the morning one
    from MORNING_HOUR for today's sessions not yet begun. Cancelled sessions get none. Returns how many were sent."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = local.date()
    sent = 0
    soon = (
        Session.objects.filter(cancelled_at__isnull=True, starts_at__gt=now)
        .filter(starts_at__date__lte=today + datetime.timedelta(days=2))
        .filter(Q(reminder_early_sent_at__isnull=True) | Q(reminder_day_sent_at__isnull=True))
        .select_related("cohort")
        .order_by("starts_at", "pk")
    )
    for session in soon:
        day = timezone.localtime(session.starts_at).date()
        if day == today:
            if local.hour >= MORNING_HOUR and session.reminder_day_sent_at is None:
                sent += session_remind(session=session, which=DAY, now=now)
        elif session.reminder_early_sent_at is None:
            sent += session_remind(session=session, which=EARLY, now=now)
    return sent


def follow_up_reminders_send(*, today: datetime.date | None = None) -> int:
    """Tell the owner of each one-to-one record whose follow-up is due (today or earlier, not done) that a follow-up
    is due, once per record. Nothing from the record goes into the notification: a title, and a link the owner opens
    signed in (where the read is logged). Records with no owner, or whose owner's account is closed, are left for
    the dashboard's list. Returns how many were sent."""
    today = today or timezone.localdate()
    due = SupportLog.objects.filter(
        follow_up_on__lte=today,
        follow_up_done_at__isnull=True,
        follow_up_reminded_at__isnull=True,
        is_person__isnull=False,
        is_person__is_active=True,
    ).values_list("pk", "is_person_id")
    sent = 0
    for pk, owner_id in due:
        with transaction.atomic():
            if not SupportLog.objects.filter(pk=pk, follow_up_reminded_at__isnull=True).update(
                follow_up_reminded_at=timezone.now()
            ):
                continue
            notify(
                recipients=User.objects.filter(pk=owner_id),
                kind=FOLLOW_UP_DUE,
                title="A follow-up is due",
                context={},
                url=reverse("champions:admin-support-detail", args=[pk]),
            )
            sent += 1
    return sent
