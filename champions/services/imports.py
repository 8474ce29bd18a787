"""Saving a checked CSV import (champions.imports): all of it in one transaction, or nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db import IntegrityError, transaction

from champions.imports import Preview
from champions.models import Champion, Session
from champions.services import people, programme
from portal.models import User

CHAMPION_FIELDS = (
    "name",
    "job_title",
    "email",
    "phone",
    "organisation_name",
    "organisation_type",
    "health_board",
    "partnership",
    "date_joined",
    "notes",
)


class ImportNotSaved(Exception):
    """The import cannot be saved as it is; the message says why, and nothing was saved."""


def champions_import(*, preview: Preview, by: User) -> list[Champion]:
    """Add every champion in a valid preview, each with its history entry ("Added"), in one transaction. Raises
    ImportNotSaved if the preview has errors or if a row clashes with a record added meanwhile (nothing is saved)."""
    if not preview.is_valid:
        raise ImportNotSaved("Some rows still need a change, so nothing was saved.")
    try:
        with transaction.atomic():
            return [
                people.champion_create(
                    data={name: row[name] for name in CHAMPION_FIELDS},
                    council_areas=row["council_areas"],  # type: ignore[arg-type]
                    by=by,
                )
                for row in preview.valid_rows
            ]
    except IntegrityError:
        raise ImportNotSaved(
            "Someone added a champion with one of these email addresses while you were checking the file, so "
            "nothing was saved. Check the rows again."
        ) from None


def attendance_import(*, preview: Preview, by: User) -> int:
    """Record the attendance in a valid preview, session by session (a second recording for a champion replaces the
    first), in one transaction. Returns how many rows were recorded. Raises ImportNotSaved as champions_import does,
    or if a session or membership changed meanwhile."""
    if not preview.is_valid:
        raise ImportNotSaved("Some rows still need a change, so nothing was saved.")
    by_session: dict[int, dict[int, str]] = defaultdict(dict)
    for row in preview.valid_rows:
        by_session[int(row["session_id"])][int(row["champion_id"])] = str(row["attendance"])  # type: ignore[call-overload]
    sessions: Sequence[Session] = list(Session.objects.filter(pk__in=by_session).select_related("cohort"))
    if len(sessions) != len(by_session):
        raise ImportNotSaved("A session in the file was removed while you were checking it, so nothing was saved.")
    try:
        with transaction.atomic():
            return sum(
                programme.attendance_record(session=session, statuses=by_session[session.pk], by=by)
                for session in sessions
            )
    except programme.ProgrammeError as error:
        raise ImportNotSaved(f"{error} Nothing was saved.") from None
