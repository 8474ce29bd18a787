"""Keyset paging: a page of rows after a cursor, never an OFFSET or a COUNT, so the tenth page costs what the first
does however many rows there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import models
from django.db.models import Q

_M = TypeVar("_M", bound=models.Model)


@dataclass(frozen=True)
class Page(Generic[_M]):
    items: list[_M]
    next_cursor: str | None  # for the "Next" link; None on the last page
    is_first: bool


def _parse(raw: str, kind: str) -> object:
    if kind == "date":
        return datetime.date.fromisoformat(raw)
    if kind == "int":
        return int(raw)
    return raw


def keyset_page(
    queryset: models.QuerySet[_M], *, field: str, kind: str, descending: bool, cursor: str | None, size: int
) -> Page[_M]:
    """Rows ordered by `field` then pk (both descending or both ascending), starting after `cursor` (made by this
    function: "<value>|<pk>"). A cursor that does not parse starts from the beginning. `kind` is how `field`'s value
    is read back from the cursor: "str", "int" or "date"."""
    order = [f"-{field}", "-pk"] if descending else [field, "pk"]
    rows = queryset.order_by(*order)
    is_first = True
    if cursor:
        try:
            raw_value, raw_pk = cursor.rsplit("|", 1)
            value, pk = _parse(raw_value, kind), int(raw_pk)
        except ValueError:
            pass
        else:
            op = "lt" if descending else "gt"
            rows = rows.filter(Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": pk}))
            is_first = False
    items = list(rows[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        value = getattr(last, field)
        next_cursor = f"{value.isoformat() if isinstance(value, datetime.date) else value}|{last.pk}"
    return Page(items=items, next_cursor=next_cursor, is_first=is_first)
