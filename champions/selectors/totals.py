"""Training delivered locally, totalled by practice level, council area and period, for the filterable totals page
and its CSV. Three aggregate queries whatever the number of records."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter, TruncYear

from champions.models import TrainingDelivery
from champions.selectors.dashboard import LevelTotal, training_by_level

PERIODS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


@dataclass(frozen=True)
class Total:
    label: str
    sessions: int
    attendees: int
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass(frozen=True)
class TrainingTotals:
    by_level: list[LevelTotal]
    by_area: list[Total]
    by_period: list[Total]
    overall: Total


def period_label(start: datetime.date, period: str) -> str:
    if period == "year":
        return str(start.year)
    if period == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return start.strftime("%B %Y")


def _sums() -> dict[str, object]:
    return {
        "sessions": Count("pk"),
        "attendees": Coalesce(Sum("attendee_count"), 0),
        "minutes": Coalesce(Sum("duration_minutes"), 0),
    }


def filtered_deliveries(
    *,
    level: str = "",
    area: str = "",
    training_type: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[TrainingDelivery]:
    rows = TrainingDelivery.objects.all()
    if level:
        rows = rows.filter(practice_level__slug=level)
    if area:
        rows = rows.filter(council_area__slug=area)
    if training_type:
        rows = rows.filter(training_type=training_type)
    if since:
        rows = rows.filter(delivered_on__gte=since)
    if until:
        rows = rows.filter(delivered_on__lte=until)
    return rows


def training_totals(
    *,
    level: str = "",
    area: str = "",
    training_type: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    period: str = "month",
) -> TrainingTotals:
    """Totals of the training records that match the filters: by level, by council area (records with no area
    count as "No council area given") and by month, quarter or year, newest first. Four queries."""
    rows = filtered_deliveries(level=level, area=area, training_type=training_type, since=since, until=until)
    by_area = [
        Total(label=row["council_area__name"] or "No council area given", **_counts(row))
        for row in rows.order_by().values("council_area__name").annotate(**_sums()).order_by("council_area__name")
    ]
    trunc = PERIODS.get(period, TruncMonth)
    by_period = [
        Total(label=period_label(row["start"], period if period in PERIODS else "month"), **_counts(row))
        for row in rows.order_by()
        .annotate(start=trunc("delivered_on"))
        .values("start")
        .annotate(**_sums())
        .order_by("-start")
    ]
    overall = rows.order_by().aggregate(**_sums())
    return TrainingTotals(
        by_level=training_by_level(rows),
        by_area=by_area,
        by_period=by_period,
        overall=Total(label="All training shown", **_counts(overall)),
    )


def _counts(row: Mapping[str, Any]) -> dict[str, int]:
    return {name: int(row[name] or 0) for name in ("sessions", "attendees", "minutes")}
