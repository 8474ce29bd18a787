"""Reads about local work: improvement plans with their ratings, and training delivered locally."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from champions.models import Champion, ImprovementPlan, PlanRating, TrainingDelivery
from champions.selectors.paging import Page, keyset_page

TRAINING_PAGE_SIZE = 50


def _with_latest_rating(plans: QuerySet[ImprovementPlan]) -> QuerySet[ImprovementPlan]:
    latest = PlanRating.objects.filter(plan=OuterRef("pk")).order_by("-rated_on", "-pk")
    return plans.annotate(
        latest_rating=Subquery(latest.values("rating")[:1]),
        latest_rated_on=Subquery(latest.values("rated_on")[:1]),
    )


def plan_list(*, area: str = "") -> QuerySet[ImprovementPlan]:
    """Every plan with its area and latest rating: one query."""
    plans = ImprovementPlan.objects.select_related("council_area")
    if area:
        plans = plans.filter(council_area__slug=area)
    return _with_latest_rating(plans).order_by("council_area__name", "-starts_on", "-pk")


def _plan_detail(plans: QuerySet[ImprovementPlan], pk: int) -> ImprovementPlan:
    ratings = PlanRating.objects.select_related("rated_by").order_by("-rated_on", "-pk")
    return get_object_or_404(plans.select_related("council_area").prefetch_related(Prefetch("ratings", ratings)), pk=pk)


def plan_detail(pk: int) -> ImprovementPlan:
    return _plan_detail(ImprovementPlan.objects.all(), pk)


def plan_for_champion(*, pk: int, champion_id: int) -> ImprovementPlan:
    return _plan_detail(ImprovementPlan.objects.filter(council_area__champions__id=champion_id).distinct(), pk)


def plans_for_champion(champion: Champion) -> QuerySet[ImprovementPlan]:
    """The plans of the council areas a champion covers: one query."""
    return _with_latest_rating(
        ImprovementPlan.objects.filter(council_area__champions=champion).select_related("council_area").distinct()
    ).order_by("council_area__name", "-starts_on", "-pk")


def _deliveries() -> QuerySet[TrainingDelivery]:
    return TrainingDelivery.objects.select_related("champion", "council_area", "practice_level").prefetch_related(
        "service_areas"
    )


def training_list(
    *,
    area: str = "",
    level: str = "",
    champion_id: int | None = None,
    cursor: str | None = None,
    size: int = TRAINING_PAGE_SIZE,
) -> Page[TrainingDelivery]:
    """Training delivered, newest first, a page at a time: two queries (the rows and their areas of work)."""
    rows = _deliveries()
    if area:
        rows = rows.filter(council_area__slug=area)
    if level:
        rows = rows.filter(practice_level__slug=level)
    if champion_id is not None:
        rows = rows.filter(champion_id=champion_id)
    return keyset_page(rows, field="delivered_on", kind="date", descending=True, cursor=cursor, size=size)


def training_delivery_detail(pk: int) -> TrainingDelivery:
    return get_object_or_404(_deliveries(), pk=pk)


def training_delivery_for_champion(*, pk: int, champion_id: int) -> TrainingDelivery:
    return get_object_or_404(_deliveries().filter(champion_id=champion_id), pk=pk)
