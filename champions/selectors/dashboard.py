"""Reads for the IS admins' network dashboard: coverage of the council areas, NHS boards and health and social care
partnerships, upcoming sessions, overdue follow-ups, attendance per cohort and training delivered by level.

Each figure is one aggregate query, so the dashboard costs the same with 10 champions or 1,000 and with 10,000
attendance rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from champions.caching import NETWORK
from champions.models import AttendanceStatus, ChampionStatus, Cohort, Session, SupportLog, TrainingDelivery
from portal.cache import PAGE_TIMEOUT, cached
from portal.models import CouncilArea, HealthAndSocialCarePartnership, HealthBoard, ReferenceItem

UPCOMING_LIMIT = 10
OVERDUE_LIMIT = 20


@dataclass(frozen=True)
class CoverageItem:
    name: str
    slug: str
    champion_count: int

    @property
    def covered(self) -> bool:
        return self.champion_count > 0


@dataclass(frozen=True)
class Coverage:
    """One kind of place (council areas, say) and, for each, how many active champions cover it."""

    key: str  # "area", "board" or "hscp": the champion list's filter for this kind of place
    title: str  # "Council areas"
    singular: str  # "council area"
    items: list[CoverageItem]

    @property
    def covered_count(self) -> int:
        return sum(1 for item in self.items if item.covered)

    @property
    def gaps(self) -> list[CoverageItem]:
        return [item for item in self.items if not item.covered]


def _coverage(queryset: QuerySet[ReferenceItem], *, lookup: str, key: str, title: str, singular: str) -> Coverage:
    active = Q(**{f"{lookup}__status": ChampionStatus.ACTIVE})
    rows = (
        queryset.filter(is_active=True)
        .annotate(champion_count=Count(lookup, filter=active, distinct=True))
        .order_by("order", "name")
        .values_list("name", "slug", "champion_count")
    )
    return Coverage(
        key=key,
        title=title,
        singular=singular,
        items=[CoverageItem(name=name, slug=slug, champion_count=count) for name, slug, count in rows],
    )


def network_coverage() -> list[Coverage]:
    """Which council areas, NHS boards and partnerships have an active champion: three queries. A board or a
    partnership is covered by a champion whose record names it; a council area by one who covers it."""
    return [
        _coverage(
            CouncilArea.objects.all(), lookup="champions", key="area", title="Council areas", singular="council area"
        ),
        _coverage(HealthBoard.objects.all(), lookup="champions", key="board", title="NHS boards", singular="NHS board"),
        _coverage(
            HealthAndSocialCarePartnership.objects.all(),
            lookup="champions",
            key="hscp",
            title="Health and social care partnerships",
            singular="partnership",
        ),
    ]


def upcoming_sessions(*, limit: int = UPCOMING_LIMIT) -> list[Session]:
    """The next sessions not cancelled, with their cohort and how many current members are booked: one query."""
    return list(
        Session.objects.upcoming()
        .select_related("cohort")
        .annotate(
            booked=Count(
                "cohort__memberships",
                filter=Q(cohort__memberships__left_on__isnull=True)
                & ~Q(cohort__memberships__champion__status=ChampionStatus.STEPPED_DOWN),
                distinct=True,
            )
        )[:limit]
    )


@dataclass(frozen=True)
class Overdue:
    logs: Sequence[SupportLog]
    total: int


def overdue_follow_ups(*, limit: int = OVERDUE_LIMIT) -> Overdue:
    """One-to-one records whose follow-up date has passed and which are not marked done, oldest first, with the
    champion, the IS owner and how many agreed actions are still open. Nothing confidential is read here (no topics,
    notes or action text): the page links to the record, whose read is logged. Two queries."""
    overdue = SupportLog.objects.follow_up_overdue()
    logs = list(
        overdue.select_related("champion", "is_person")
        .only(
            "id",
            "follow_up_on",
            "met_on",
            "champion__id",
            "champion__name",
            "is_person__id",
            "is_person__email",
            "is_person__display_name",
        )
        .annotate(open_actions=Count("actions", filter=Q(actions__done_at__isnull=True)))
        .order_by("follow_up_on", "pk")[:limit]
    )
    total = overdue.count()
    return Overdue(logs=logs, total=total)


@dataclass(frozen=True)
class CohortAttendance:
    pk: int
    name: str
    present: int
    apologies: int
    absent: int

    @property
    def recorded(self) -> int:
        return self.present + self.apologies + self.absent

    @property
    def rate(self) -> int | None:
        """Present as a whole percentage of the attendance recorded; None when none is recorded yet."""
        return round(100 * self.present / self.recorded) if self.recorded else None


def attendance_by_cohort() -> list[CohortAttendance]:
    """For every cohort, how many recorded attendances were present, apologies or absent: one query."""

    def counted(status: str) -> Count:
        return Count("sessions__attendance", filter=Q(sessions__attendance__status=status))

    rows = (
        Cohort.objects.annotate(
            present=counted(AttendanceStatus.PRESENT),
            apologies=counted(AttendanceStatus.APOLOGIES),
            absent=counted(AttendanceStatus.ABSENT),
        )
        .order_by("-starts_on", "name")
        .values_list("pk", "name", "present", "apologies", "absent")
    )
    return [CohortAttendance(*row) for row in rows]


@dataclass(frozen=True)
class LevelTotal:
    name: str
    sessions: int
    attendees: int
    minutes: int

    @property
    def label(self) -> str:
        return self.name

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def training_by_level(deliveries: QuerySet[TrainingDelivery] | None = None) -> list[LevelTotal]:
    """Training sessions delivered, people who attended and time spent, per practice level in the framework's
    order (levels with nothing delivered are left out): one query."""
    rows = (
        (TrainingDelivery.objects.all() if deliveries is None else deliveries)
        .order_by()
        .values("practice_level__order", "practice_level__name")
        .annotate(
            sessions=Count("pk"),
            attendees=Coalesce(Sum("attendee_count"), 0),
            minutes=Coalesce(Sum("duration_minutes"), 0),
        )
        .order_by("practice_level__order", "practice_level__name")
    )
    return [
        LevelTotal(
            name=row["practice_level__name"],
            sessions=row["sessions"],
            attendees=row["attendees"],
            minutes=row["minutes"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class NetworkFigures:
    coverage: list[Coverage]
    upcoming: list[Session]
    cohorts: list[CohortAttendance]
    levels: list[LevelTotal]


def network_figures(*, now: datetime.datetime | None = None) -> NetworkFigures:
    """The dashboard's figures that are the same for every IS admin, from the cache (champions.caching.NETWORK,
    bumped by every service that changes them; reference data has its own namespace). Sessions that have ended
    since the figures were kept are dropped here, and the entry lives five minutes at most, so the list of upcoming
    sessions is never more than that behind the clock. Nothing from the one-to-one log is kept."""

    def build() -> NetworkFigures:
        return NetworkFigures(
            coverage=network_coverage(),
            upcoming=upcoming_sessions(limit=UPCOMING_LIMIT + 5),
            cohorts=attendance_by_cohort(),
            levels=training_by_level(),
        )

    figures = cached((NETWORK, "reference"), "champions-dashboard", build, timeout=PAGE_TIMEOUT)
    now = now or timezone.now()
    upcoming = [session for session in figures.upcoming if session.ends_at >= now][:UPCOMING_LIMIT]
    return NetworkFigures(coverage=figures.coverage, upcoming=upcoming, cohorts=figures.cohorts, levels=figures.levels)
