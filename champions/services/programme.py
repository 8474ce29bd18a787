"""Writes to the action learning programme: cohorts and their members, sessions, attendance, notes and what is
shared with a cohort."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from champions.caching import programme_changed
from champions.models import (
    Attendance,
    AttendanceStatus,
    Champion,
    Cohort,
    CohortMembership,
    NoteAudience,
    Session,
    SessionNote,
    SharedResource,
)
from champions.services.cohort_groups import cohort_group_sync
from portal.markdown import render_markdown
from portal.models import User

COHORT_FIELDS = ("name", "description", "starts_on", "ends_on")
SESSION_FIELDS = ("theme", "description", "starts_at", "ends_at", "online_url", "venue")


class ProgrammeError(Exception):
    """The change cannot be made; the message says why, kindly."""


@transaction.atomic
def cohort_save(*, cohort: Cohort | None, data: Mapping[str, object], facilitators: Iterable[User]) -> Cohort:
    """Create a cohort (`cohort` None) or change one, with its facilitators."""
    cohort = cohort or Cohort()
    for name in COHORT_FIELDS:
        if name in data:
            setattr(cohort, name, data[name])
    cohort.save()
    cohort.facilitators.set(list(facilitators))
    cohort_group_sync(cohort=cohort)
    programme_changed()
    return cohort


@transaction.atomic
def cohort_members_add(*, cohort: Cohort, champions: Iterable[Champion], joined_on: datetime.date | None = None) -> int:
    """Add champions to a cohort (those who left come back; those already in stay as they are). Returns how many
    joined."""
    joined_on = joined_on or timezone.localdate()
    added = 0
    for champion in champions:
        membership, created = CohortMembership.objects.get_or_create(
            cohort=cohort, champion=champion, defaults={"joined_on": joined_on}
        )
        if created:
            added += 1
        elif membership.left_on is not None:
            membership.left_on = None
            membership.joined_on = joined_on
            membership.save(update_fields=["left_on", "joined_on"])
            added += 1
    if added:
        cohort_group_sync(cohort=cohort)
        programme_changed()
    return added


@transaction.atomic
def cohort_member_remove(*, membership: CohortMembership, left_on: datetime.date | None = None) -> CohortMembership:
    """The champion leaves the cohort; their attendance stays on record."""
    membership.left_on = left_on or timezone.localdate()
    membership.save(update_fields=["left_on"])
    cohort_group_sync(cohort=membership.cohort)
    programme_changed()
    return membership


def _check_session(data: Mapping[str, object]) -> None:
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if isinstance(starts, datetime.datetime) and isinstance(ends, datetime.datetime) and ends <= starts:
        raise ProgrammeError("The session must end after it starts.")
    if not data.get("online_url") and not str(data.get("venue") or "").strip():
        raise ProgrammeError("Give a link to join online or a venue.")


@transaction.atomic
def session_save(*, cohort: Cohort, session: Session | None, data: Mapping[str, object]) -> Session:
    """Create a session of `cohort` or change one. A change goes up a step in the calendar SEQUENCE, so calendar
    apps that imported the .ics pick it up. Raises ProgrammeError if it ends before it starts or has neither a link
    nor a venue."""
    _check_session(data)
    is_new = session is None
    session = session or Session(cohort=cohort)
    for name in SESSION_FIELDS:
        if name in data:
            setattr(session, name, data[name])
    if not is_new:
        session.sequence = F("sequence") + 1
        # A new time is worth reminding about again.
        session.reminder_early_sent_at = None
        session.reminder_day_sent_at = None
    session.save()
    session.refresh_from_db()
    programme_changed()
    return session


@transaction.atomic
def session_cancel(*, session: Session) -> Session:
    session.cancelled_at = timezone.now()
    session.sequence = F("sequence") + 1
    session.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    session.refresh_from_db()
    programme_changed()
    return session


@transaction.atomic
def attendance_record(*, session: Session, statuses: Mapping[int, str], by: User) -> int:
    """Record who was present, sent apologies or was absent, one row per champion (a second recording replaces the
    first). Champions with no status given are left as they were. Two statements whatever the number of rows.
    Raises ProgrammeError for a status that does not exist or a champion who is not in the cohort."""
    chosen = {pk: status for pk, status in statuses.items() if status}
    if any(status not in AttendanceStatus.values for status in chosen.values()):
        raise ProgrammeError("Choose present, sent apologies or absent for each champion.")
    members = set(
        CohortMembership.objects.filter(cohort_id=session.cohort_id, champion_id__in=chosen).values_list(
            "champion_id", flat=True
        )
    )
    if set(chosen) - members:
        raise ProgrammeError("Attendance can only be recorded for members of the cohort.")
    now = timezone.now()
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, champion_id=pk, status=status, recorded_by=by, recorded_at=now)
            for pk, status in chosen.items()
        ],
        update_conflicts=True,
        unique_fields=["session", "champion"],
        update_fields=["status", "recorded_by", "recorded_at"],
    )
    programme_changed()
    return len(chosen)


@transaction.atomic
def session_note_create(*, session: Session, audience: str, body: str, author: User) -> SessionNote:
    """A note on a session, for the Improvement Service only or for the cohort's champions. The Markdown is
    rendered (and sanitised) once, here."""
    if audience not in NoteAudience.values:
        raise ProgrammeError("Choose who the note is for.")
    note = SessionNote.objects.create(
        session=session, audience=audience, body=body, body_html=str(render_markdown(body)), author=author
    )
    programme_changed()
    return note


@transaction.atomic
def shared_resource_create(
    *,
    cohort: Cohort,
    title: str,
    description: str = "",
    by: User,
    session: Session | None = None,
    training_resource_id: int | None = None,
    upload: UploadedFile[bytes] | None = None,
    link: str = "",
) -> SharedResource:
    """Share a resource from the catalogue, a PDF (checked by the form) or a link with a cohort: exactly one.
    Raises ProgrammeError otherwise, or for a session of another cohort."""
    if sum([training_resource_id is not None, upload is not None, bool(link)]) != 1:
        raise ProgrammeError("Share one thing at a time: a resource from the catalogue, a file or a link.")
    if session is not None and session.cohort_id != cohort.pk:
        raise ProgrammeError("That session belongs to another cohort.")
    shared = SharedResource(
        cohort=cohort,
        session=session,
        title=title,
        description=description,
        training_resource_id=training_resource_id,
        link=link,
        shared_by=by,
    )
    if upload is not None:
        shared.file.save(upload.name or "shared.pdf", upload, save=False)
    shared.save()
    programme_changed()
    return shared
