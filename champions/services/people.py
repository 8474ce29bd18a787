"""Writes to champion records: creating and editing them (IS admins), changing status, and a champion keeping their
own details current. Every change is kept in the record's history (simple-history) with who made it and why."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from champions.caching import champions_changed
from champions.models import Champion, ChampionStatus, new_calendar_token
from champions.services._history import set_change_reason, set_history_user
from champions.services.cohort_groups import champion_groups_sync
from portal.models import CouncilArea, User

# What an IS admin edits on the record's form (status has its own step, so its dates stay consistent).
ADMIN_FIELDS = (
    "name",
    "job_title",
    "email",
    "phone",
    "organisation_name",
    "organisation_type",
    "health_board",
    "partnership",
    "date_joined",
    "local_contacts",
    "notes",
    "public_listed",
    "public_email",
    "public_phone",
    "public_statement",
)
# What a champion may change on their own record: how to reach them and what they share publicly.
OWN_FIELDS = (
    "job_title",
    "phone",
    "organisation_name",
    "local_contacts",
    "public_listed",
    "public_email",
    "public_phone",
    "public_statement",
)


def _save_with_areas(champion: Champion, council_areas: Iterable[CouncilArea]) -> None:
    """Save the record and its council areas as ONE history entry: simple-history would otherwise write one for the
    save and another for each change of the areas."""
    champion.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        champion.save()
        champion.council_areas.set(list(council_areas))
    finally:
        del champion.skip_history_when_saving  # type: ignore[attr-defined]
    champion.save(update_fields=["updated_at"])


class ChampionStateError(Exception):
    """The change cannot be made to the record as it is now."""


def _apply(champion: Champion, data: Mapping[str, object], fields: Iterable[str]) -> None:
    was_listed = champion.public_listed if champion.pk else False
    for name in fields:
        if name in data:
            setattr(champion, name, data[name])
    if champion.public_listed and not was_listed:
        champion.public_listed_at = timezone.now()
    elif not champion.public_listed:
        champion.public_listed_at = None


@transaction.atomic
def champion_create(*, data: Mapping[str, object], council_areas: Iterable[CouncilArea], by: User) -> Champion:
    """A new champion record, active from today unless `data` says otherwise. Recorded in its history as added by
    `by`. Raises IntegrityError if another record has the same email (the form checks first)."""
    champion = Champion()
    _apply(champion, data, ADMIN_FIELDS)
    champion.email = champion.email.strip().lower()
    set_history_user(champion, by)
    set_change_reason(champion, "Added")
    _save_with_areas(champion, council_areas)
    champions_changed()
    return champion


@transaction.atomic
def champion_update(
    *, champion: Champion, data: Mapping[str, object], council_areas: Iterable[CouncilArea], by: User
) -> Champion:
    """Change a record. A new email address also ends any invitation sent to the old one (the link carries a hash
    of the address)."""
    _apply(champion, data, ADMIN_FIELDS)
    champion.email = champion.email.strip().lower()
    set_history_user(champion, by)
    set_change_reason(champion, "Details changed")
    _save_with_areas(champion, council_areas)
    champions_changed()
    return champion


@transaction.atomic
def champion_update_own(*, champion: Champion, data: Mapping[str, object], user: User) -> Champion:
    """A champion keeps their own details current: only OWN_FIELDS, whatever else `data` holds. Raises
    ChampionStateError if `user` is not the champion linked to the record."""
    if champion.user_id != user.pk:
        raise ChampionStateError("Only the champion can change their own details here.")
    _apply(champion, data, OWN_FIELDS)
    set_history_user(champion, user)
    set_change_reason(champion, "Updated by the champion")
    champion.save()
    champions_changed()
    return champion


@transaction.atomic
def champion_change_status(
    *,
    champion: Champion,
    status: str,
    since: datetime.date,
    by: User,
    expected_return_on: datetime.date | None = None,
    reason: str = "",
) -> Champion:
    """Active, on leave or stepped down, from `since`. Stepping down also takes the champion off the public list
    (they can choose to be listed again if they return) and out of their cohorts' community groups. Raises
    ChampionStateError for an unknown status or a return date before the leave begins."""
    if status not in ChampionStatus.values:
        raise ChampionStateError("Choose active, on leave or stepped down.")
    if expected_return_on is not None and (status != ChampionStatus.ON_LEAVE or expected_return_on < since):
        raise ChampionStateError("A return date is only for leave, and comes after the leave begins.")
    champion.status = status
    champion.status_since = since
    champion.expected_return_on = expected_return_on if status == ChampionStatus.ON_LEAVE else None
    champion.stepped_down_on = since if status == ChampionStatus.STEPPED_DOWN else None
    if status == ChampionStatus.STEPPED_DOWN:
        champion.public_listed = False
        champion.public_listed_at = None
    set_history_user(champion, by)
    label = ChampionStatus(status).label
    set_change_reason(champion, f"Status: {label.lower()}" + (f" ({reason.strip()})" if reason.strip() else ""))
    champion.save()
    champion_groups_sync(champion=champion)
    champions_changed()
    return champion


@transaction.atomic
def champion_calendar_renew(*, champion: Champion, user: User) -> Champion:
    """A new secret address for the champion's calendar feed: the old one stops working at once. Raises
    ChampionStateError if `user` is not the champion linked to the record."""
    if champion.user_id != user.pk:
        raise ChampionStateError("Only the champion can change their calendar address.")
    champion.calendar_token = new_calendar_token()
    champion.save_without_historical_record(update_fields=["calendar_token"])  # type: ignore[attr-defined]
    return champion
