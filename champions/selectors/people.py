"""Reads about champions: the IS admins' list and record, and a champion's own record."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from champions.models import Champion, CohortMembership
from champions.selectors.paging import Page, keyset_page

LIST_PAGE_SIZE = 50


def _with_areas(queryset: QuerySet[Champion]) -> QuerySet[Champion]:
    return queryset.select_related("health_board", "partnership").prefetch_related("council_areas")


def champion_list(
    *,
    area: str = "",
    board: str = "",
    partnership: str = "",
    status: str = "",
    q: str = "",
    cursor: str | None = None,
    size: int = LIST_PAGE_SIZE,
) -> Page[Champion]:
    """One page of champions by name, filtered by council area, NHS board, HSCP (slugs) and status. Three queries
    whatever the page holds: the rows, their council areas, and nothing per row."""
    rows = Champion.objects.all()
    if area:
        rows = rows.filter(council_areas__slug=area)
    if board:
        rows = rows.filter(health_board__slug=board)
    if partnership:
        rows = rows.filter(partnership__slug=partnership)
    if status:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(name__icontains=q) | rows.filter(organisation_name__icontains=q)
    return keyset_page(
        _with_areas(rows.distinct()), field="name", kind="str", descending=False, cursor=cursor, size=size
    )


def champion_detail(pk: int) -> Champion:
    memberships = CohortMembership.objects.select_related("cohort").order_by("-cohort__starts_on")
    return get_object_or_404(
        _with_areas(Champion.objects.all())
        .select_related("user", "invited_by")
        .prefetch_related(Prefetch("memberships", queryset=memberships)),
        pk=pk,
    )


def champion_history(champion: Champion, *, limit: int = 50) -> list[Any]:
    """The latest changes to a champion's record, newest first, with who made each (simple-history)."""
    return list(champion.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])


def champion_for_account(user_id: int) -> Champion | None:
    return Champion.objects.filter(user_id=user_id).first()


def champion_own(pk: int) -> Champion:
    """A champion's record as they see it in their space, with their areas and cohorts."""
    return champion_detail(pk)


def champions_for_choice() -> QuerySet[Champion]:
    """Champions not stepped down, for a choice of who to add to a cohort or record training for."""
    return Champion.objects.exclude(status="stepped_down").only("pk", "name", "organisation_name").order_by("name")
