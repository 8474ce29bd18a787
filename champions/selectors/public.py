"""Reads for "Find your trauma champion": only active champions who chose to be listed, and only their public
fields. Rows are built from .values(), so nothing private can reach the page by accident."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from champions.models import Champion
from portal.models import CouncilArea, HealthAndSocialCarePartnership, HealthBoard

PUBLIC_FIELDS = (
    "pk",
    "name",
    "job_title",
    "organisation_name",
    "public_email",
    "public_phone",
    "public_statement",
)


@dataclass(frozen=True)
class PublicChampion:
    name: str
    job_title: str
    organisation_name: str
    public_email: str
    public_phone: str
    public_statement: str
    areas: list[str]


@dataclass(frozen=True)
class FindChoices:
    areas: list[CouncilArea]
    boards: list[HealthBoard]
    partnerships: list[HealthAndSocialCarePartnership]


def find_choices() -> FindChoices:
    return FindChoices(
        areas=list(CouncilArea.objects.active()),
        boards=list(HealthBoard.objects.active()),
        partnerships=list(HealthAndSocialCarePartnership.objects.active()),
    )


def find_champions(
    *,
    area: CouncilArea | None = None,
    board: HealthBoard | None = None,
    partnership: HealthAndSocialCarePartnership | None = None,
) -> list[PublicChampion]:
    """Listed, active champions covering the place asked about: those who name it, and those who cover one of its
    council areas. Three queries (the place's areas, the champions, their area names)."""
    rows = Champion.objects.public()
    if area is not None:
        rows = rows.filter(council_areas=area)
    elif board is not None:
        rows = rows.filter(Q(health_board=board) | Q(council_areas__in=board.council_areas.all()))
    elif partnership is not None:
        rows = rows.filter(Q(partnership=partnership) | Q(council_areas__in=partnership.council_areas.all()))
    else:
        return []
    found = list(rows.distinct().order_by("name", "pk").values(*PUBLIC_FIELDS))
    names: dict[int, list[str]] = defaultdict(list)
    links = Champion.council_areas.through.objects.filter(champion_id__in=[row["pk"] for row in found])
    for champion_id, area_name in links.order_by("councilarea__name").values_list("champion_id", "councilarea__name"):
        names[champion_id].append(area_name)
    return [
        PublicChampion(**{key: row[key] for key in PUBLIC_FIELDS if key != "pk"}, areas=names[row["pk"]])
        for row in found
    ]
