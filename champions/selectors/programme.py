"""Reads about the action learning programme: cohorts, their members and sessions, attendance, notes and what is
shared with them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from champions.caching import NETWORK
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
from portal.cache import PAGE_TIMEOUT, cached


def cohort_list() -> QuerySet[Cohort]:
    """Every cohort with how many members and sessions it has: one query."""
    return Cohort.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True), distinct=True),
        session_count=Count("sessions", distinct=True),
    ).order_by("-starts_on", "name")


def _members() -> Prefetch[str, QuerySet[CohortMembership], str]:
    return Prefetch(
        "memberships",
        queryset=CohortMembership.objects.filter(left_on__isnull=True)
        .select_related("champion", "champion__health_board")
        .order_by("champion__name"),
        to_attr="current_memberships",
    )


def _resources() -> Prefetch[str, QuerySet[SharedResource], str]:
    return Prefetch(
        "shared_resources",
        queryset=SharedResource.objects.select_related("training_resource", "session").order_by("-shared_at", "-pk"),
    )


def cohort_detail(pk: int) -> Cohort:
    """A cohort with its facilitators, current members, sessions and shared resources: five queries."""
    sessions = Session.objects.annotate(
        present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT))
    ).order_by("starts_at", "pk")
    return get_object_or_404(
        Cohort.objects.prefetch_related("facilitators", _members(), _resources(), Prefetch("sessions", sessions)),
        pk=pk,
    )


def session_detail(pk: int) -> Session:
    notes = SessionNote.objects.select_related("author").order_by("created_at", "pk")
    return get_object_or_404(
        Session.objects.select_related("cohort").prefetch_related(Prefetch("notes", notes), _session_resources()),
        pk=pk,
    )


def _session_resources() -> Prefetch[str, QuerySet[SharedResource], str]:
    return Prefetch("shared_resources", SharedResource.objects.select_related("training_resource"))


def session_for_champion(*, pk: int, champion_id: int) -> Session:
    """A session of a cohort the champion belongs to, with only the notes meant for the cohort."""
    notes = (
        SessionNote.objects.filter(audience=NoteAudience.COHORT).select_related("author").order_by("created_at", "pk")
    )
    return get_object_or_404(
        Session.objects.filter(cohort__memberships__champion_id=champion_id)
        .select_related("cohort")
        .prefetch_related(Prefetch("notes", notes), _session_resources()),
        pk=pk,
    )


@dataclass(frozen=True)
class AttendanceRow:
    champion: Champion
    status: str  # "" when not yet recorded


def session_attendance(session: Session) -> list[AttendanceRow]:
    """Everyone who was a member of the session's cohort on the day, and anyone recorded, with what was recorded.
    Two queries."""
    day = timezone.localtime(session.starts_at).date()
    members = (
        CohortMembership.objects.filter(cohort_id=session.cohort_id, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .select_related("champion")
    )
    recorded = {row.champion_id: row for row in Attendance.objects.filter(session=session).select_related("champion")}
    champions = {m.champion_id: m.champion for m in members}
    champions.update({pk: row.champion for pk, row in recorded.items()})
    return [
        AttendanceRow(champion=champion, status=recorded[pk].status if pk in recorded else "")
        for pk, champion in sorted(champions.items(), key=lambda item: (item[1].name, item[0]))
    ]


def shared_resource_detail(pk: int) -> SharedResource:
    return get_object_or_404(SharedResource.objects.select_related("cohort"), pk=pk)


def shared_resource_for_champion(*, pk: int, champion_id: int) -> SharedResource:
    return get_object_or_404(
        SharedResource.objects.filter(cohort__memberships__champion_id=champion_id).select_related("cohort"), pk=pk
    )


@dataclass(frozen=True)
class ChampionSpace:
    cohorts: list[Cohort]
    upcoming: list[Session]
    notes: list[SessionNote]
    resources: list[SharedResource]


def champion_space(
    champion_id: int, *, notes: int = 10, resources: int = 20, now: datetime.datetime | None = None
) -> ChampionSpace:
    """What a champion sees first: their cohorts with fellow members, upcoming sessions, the latest notes and
    resources shared with their cohorts. It depends only on which cohorts they are in, so champions of one cohort
    share one cached entry (champions.caching.NETWORK, bumped by every programme and champion change; "training" for
    a catalogue resource's title). Sessions that ended since it was kept are dropped here, and it lives five minutes
    at most. One query (their cohorts) when cached, seven when not, however large the cohorts."""
    cohort_ids = sorted(
        CohortMembership.objects.filter(champion_id=champion_id, left_on__isnull=True).values_list(
            "cohort_id", flat=True
        )
    )
    key = f"champion-space:{notes}:{resources}:{','.join(map(str, cohort_ids))}"
    space = cached(
        (NETWORK, "training"),
        key,
        lambda: _cohorts_space(cohort_ids, notes=notes, resources=resources),
        timeout=PAGE_TIMEOUT,
    )
    now = now or timezone.now()
    upcoming = [session for session in space.upcoming if session.ends_at >= now][:UPCOMING_SHOWN]
    return replace(space, upcoming=upcoming)


UPCOMING_SHOWN = 20


def _cohorts_space(cohort_ids: list[int], *, notes: int, resources: int) -> ChampionSpace:
    cohorts = list(
        Cohort.objects.filter(pk__in=cohort_ids).prefetch_related("facilitators", _members()).order_by("-starts_on")
    )
    upcoming = list(
        Session.objects.filter(cohort_id__in=cohort_ids).upcoming().select_related("cohort")[: UPCOMING_SHOWN + 5]
    )
    latest_notes = list(
        SessionNote.objects.filter(session__cohort_id__in=cohort_ids, audience=NoteAudience.COHORT)
        .select_related("session", "session__cohort")
        .order_by("-created_at", "-pk")[:notes]
    )
    shared = list(
        SharedResource.objects.filter(cohort_id__in=cohort_ids)
        .select_related("training_resource", "cohort")
        .order_by("-shared_at", "-pk")[:resources]
    )
    return ChampionSpace(cohorts=cohorts, upcoming=upcoming, notes=latest_notes, resources=shared)


def champion_calendar(champion_id: int, *, limit: int = 100) -> list[Session]:
    """The sessions for a champion's calendar feed: upcoming ones and those of the last 60 days, not cancelled."""
    since = timezone.now() - datetime.timedelta(days=60)
    return list(
        Session.objects.filter(
            cohort__memberships__champion_id=champion_id,
            cohort__memberships__left_on__isnull=True,
            ends_at__gte=since,
            cancelled_at__isnull=True,
        )
        .select_related("cohort")
        .order_by("starts_at", "pk")[:limit]
    )


CANDIDATES_SHOWN = 50


def cohort_candidates(
    *, cohort: Cohort, text: str = "", area_id: int | None = None, limit: int = CANDIDATES_SHOWN
) -> tuple[list[Champion], bool]:
    """Champions who could join the cohort (not stepped down, not in it now), whose name or organisation contains
    `text`, covering the council area `area_id`: the first `limit` by name, and whether more match. Two queries
    (the champions, their areas) however many there are."""
    rows = Champion.objects.exclude(status="stepped_down").exclude(
        pk__in=CohortMembership.objects.filter(cohort=cohort, left_on__isnull=True).values("champion_id")
    )
    if text.strip():
        rows = rows.filter(Q(name__icontains=text.strip()) | Q(organisation_name__icontains=text.strip()))
    if area_id is not None:
        rows = rows.filter(council_areas__id=area_id)
    found = list(
        rows.only("pk", "name", "job_title", "organisation_name")
        .prefetch_related("council_areas")
        .order_by("name", "pk")[: limit + 1]
    )
    return found[:limit], len(found) > limit
