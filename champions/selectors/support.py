"""Reads of the confidential one-to-one support log. Only for IS admins (champions.permissions decides); the views
that call these record every read in SupportLogAccess. Nothing here feeds an export, a notification or an email."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from champions.models import AgreedAction, SupportLog, SupportLogAccess
from champions.selectors.paging import Page, keyset_page

ACCESS_PAGE_SIZE = 100


def _logs() -> QuerySet[SupportLog]:
    return SupportLog.objects.select_related("is_person", "champion").prefetch_related(
        Prefetch("actions", AgreedAction.objects.order_by("pk"))
    )


def support_logs_for_champion(champion_id: int) -> list[SupportLog]:
    """A champion's one-to-one records, newest first, with their agreed actions: two queries."""
    return list(_logs().filter(champion_id=champion_id).order_by("-met_on", "-pk"))


def support_log_detail(pk: int) -> SupportLog:
    return get_object_or_404(_logs(), pk=pk)


def support_access_page(*, cursor: str | None = None, size: int = ACCESS_PAGE_SIZE) -> Page[SupportLogAccess]:
    """Who read or changed which record, newest first, a page at a time: one query."""
    rows = SupportLogAccess.objects.select_related("user", "champion", "log")
    return keyset_page(rows, field="pk", kind="int", descending=True, cursor=cursor, size=size)
