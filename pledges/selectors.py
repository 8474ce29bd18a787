"""Reads for the pledge pages. Each owns its joins so a page's query count does not grow with its rows.

What is the same for everyone (the open data, the summary's figures, the register's total and filter choices) is
cached until a service changes the register: see REGISTER_CACHE and portal/cache.py.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import django_filters
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear, TruncMonth
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from pledges import tokens
from pledges.forms import SCOTLAND_WIDE
from pledges.models import (
    ACTION_LABELS,
    OrganisationType,
    Pledge,
    PledgeStatus,
    ProgressUpdate,
    SizeBand,
    UpdateStatus,
)
from portal.cache import cached
from portal.models import CouncilArea, Sector

# The version namespaces of what is cached from the register (portal/cache.py): pledges.services bumps the first;
# council areas and sectors are reference data, bumped by portal.receivers.
REGISTER_CACHE = "pledges"
REGISTER_AND_REFERENCE = (REGISTER_CACHE, "reference")
REGISTER_PAGE_SIZE = 20
SEARCH_MAX_LENGTH = 200


# --- The register -----------------------------------------------------------------------------------------------


def signed_years() -> list[int]:
    def build() -> list[int]:
        years = (
            Pledge.objects.public()
            .annotate(year=ExtractYear("signed_at"))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        return [year for year in years if year]

    return cached(REGISTER_CACHE, "signed-years", build)


def area_choices() -> list[tuple[str, str]]:
    return cached(REGISTER_AND_REFERENCE, "area-choices", lambda: list(CouncilArea.objects.values_list("slug", "name")))


# django-filter ships no types (see pyproject.toml), so FilterSet is Any to mypy: subclassing it is the one way in.
class RegisterFilter(django_filters.FilterSet):  # type: ignore[misc]
    """Search and filters for the public register. Works as a plain GET form, so no JavaScript is needed."""

    q = django_filters.CharFilter(
        label="Search by organisation name",
        method="filter_name",
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": f"Please search with {SEARCH_MAX_LENGTH} characters or fewer."},
    )
    organisation_type = django_filters.ChoiceFilter(
        label="Type of organisation", choices=OrganisationType.choices, empty_label="Any type"
    )
    sector = django_filters.ModelChoiceFilter(
        label="Sector", queryset=Sector.objects.all(), to_field_name="slug", empty_label="Any sector"
    )
    area = django_filters.ChoiceFilter(label="Council area", method="filter_area", empty_label="Any area")
    year = django_filters.ChoiceFilter(label="Year signed", method="filter_year", empty_label="Any year")
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[("newest", "Newest first"), ("name", "Name (A to Z)")],
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Pledge
        fields = ["q", "organisation_type", "sector", "area", "year", "sort"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["area"].extra["choices"] = [(SCOTLAND_WIDE, "Scotland-wide"), *area_choices()]
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in signed_years()]

    def filter_name(self, queryset: QuerySet[Pledge], name: str, value: str) -> QuerySet[Pledge]:
        return queryset.filter(organisation_name__icontains=value.strip()) if value.strip() else queryset

    def filter_area(self, queryset: QuerySet[Pledge], name: str, value: str) -> QuerySet[Pledge]:
        if value == SCOTLAND_WIDE:
            return queryset.filter(scotland_wide=True)
        return queryset.filter(council_areas__slug=value)

    def filter_year(self, queryset: QuerySet[Pledge], name: str, value: str) -> QuerySet[Pledge]:
        return queryset.filter(signed_at__year=int(value))

    def filter_sort(self, queryset: QuerySet[Pledge], name: str, value: str) -> QuerySet[Pledge]:
        if value == "name":
            return queryset.order_by("organisation_name")
        return queryset.order_by("-signed_at", "organisation_name")


def register_filter(params: QueryDict) -> RegisterFilter:
    # Unknown filter values (an old link, a hand-edited URL) show everything rather than an error page.
    return RegisterFilter(params, queryset=Pledge.objects.for_register())


def register_total() -> int:
    return cached(REGISTER_CACHE, "total", lambda: Pledge.objects.public().count())


# --- One organisation -------------------------------------------------------------------------------------------


def organisation_by_slug(slug: str) -> Pledge:
    """The one getter for a public pledge: 404 for missing, waiting, removed and withdrawn alike."""
    queryset: QuerySet[Pledge] = (
        Pledge.objects.public().select_related("sector").prefetch_related("council_areas").with_approved_updates()
    )
    return get_object_or_404(queryset, slug=slug)


def pledge_from_link(token: str, *, salt: str, max_age: int) -> Pledge:
    """The pledge a signed link names, if the link is genuine, in date, and its contact has not changed since.

    Raises tokens.LinkExpired or tokens.LinkSuperseded (the person may ask for another), or Http404 for anything
    else.
    """
    try:
        claims = tokens.read_token(token, salt=salt, max_age=max_age)
    except tokens.LinkInvalid:
        raise Http404("No such link") from None
    pledge = (
        Pledge.objects.select_related("sector")
        .prefetch_related("council_areas", Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-created_at")))
        .filter(pk=claims.pledge_id)
        .first()
    )
    if pledge is None:
        raise Http404("No such link")
    if not claims.is_current_for(pledge):
        raise tokens.LinkSuperseded
    return pledge


def pledges_for_contact(email: str) -> QuerySet[Pledge]:
    return Pledge.objects.filter(contact_email=email.lower()).exclude(
        status__in=[PledgeStatus.WITHDRAWN, PledgeStatus.REMOVED, PledgeStatus.REJECTED]
    )


# --- Open data --------------------------------------------------------------------------------------------------

# Every column of the open data, in order, with what it holds. The open-data page lists these.
OPEN_DATA_COLUMNS: list[tuple[str, str]] = [
    ("name", "The organisation's name."),
    ("url", "The organisation's page on this register."),
    ("organisation_type", "Local authority, NHS board, health and social care partnership, and so on."),
    ("sector", "Public, third or private sector."),
    ("scotland_wide", "true when the organisation works across all of Scotland."),
    ("council_areas", "The council areas it serves, separated by semicolons."),
    ("website", "The organisation's website, or empty if it gave none."),
    ("size", "How many people work there, as a band."),
    ("statement", "Its public statement, as plain text."),
    ("actions", "The actions it committed to, separated by semicolons."),
    ("leader_name", "The senior leader who authorised the pledge."),
    ("leader_role", "Their role."),
    ("date_signed", "The date the pledge joined the register (YYYY-MM-DD)."),
    ("logo_url", "The address of its logo, or empty."),
]


def open_data_rows(*, site_url: str) -> list[dict[str, object]]:
    """The register as plain values: public fields only, never the contact's details.

    Read with values(), not model instances, and three queries whatever the size of the register; links are made
    from one reversed pattern rather than a reverse() per row. Callers cache what they make of the rows.
    """
    # A slug is letters, digits, hyphens and underscores: it goes into the path as it is.
    page_path = reverse("pledges:organisation-detail", kwargs={"slug": "__slug__"})
    logo = reverse("pledges:organisation-logo", kwargs={"slug": "__slug__"})
    organisation_types = dict(OrganisationType.choices)
    size_bands = dict(SizeBand.choices)
    public = Pledge.objects.public()
    areas: dict[int, list[str]] = defaultdict(list)
    through = Pledge.council_areas.through.objects.filter(pledge__in=public)
    for pledge_id, name in through.order_by("councilarea__order", "councilarea__name").values_list(
        "pledge_id", "councilarea__name"
    ):
        areas[pledge_id].append(name)
    rows: list[dict[str, object]] = []
    for pledge in public.order_by("signed_at", "pk").values(
        "pk",
        "slug",
        "organisation_name",
        "organisation_type",
        "sector__name",
        "scotland_wide",
        "website",
        "size_band",
        "statement",
        "actions",
        "own_actions",
        "leader_name",
        "leader_role",
        "signed_at",
        "logo",
    ):
        own = [line for line in pledge["own_actions"].splitlines() if line.strip()]
        signed_at = pledge["signed_at"]
        rows.append(
            {
                "name": pledge["organisation_name"],
                "url": site_url + page_path.replace("__slug__", pledge["slug"]),
                "organisation_type": organisation_types.get(pledge["organisation_type"], pledge["organisation_type"]),
                "sector": pledge["sector__name"],
                "scotland_wide": pledge["scotland_wide"],
                "council_areas": areas[pledge["pk"]],
                "website": pledge["website"],
                "size": size_bands.get(pledge["size_band"], pledge["size_band"]),
                "statement": pledge["statement"],
                "actions": [ACTION_LABELS[key] for key in pledge["actions"] if key in ACTION_LABELS] + own,
                "leader_name": pledge["leader_name"],
                "leader_role": pledge["leader_role"],
                "date_signed": timezone.localtime(signed_at).date().isoformat() if signed_at else "",
                "logo_url": site_url + logo.replace("__slug__", pledge["slug"]) if pledge["logo"] else "",
            }
        )
    return rows


def logo_path(pledge: Pledge) -> str:
    return reverse("pledges:organisation-logo", kwargs={"slug": pledge.slug})


def newest_signatories(limit: int = 30) -> QuerySet[Pledge]:
    return Pledge.objects.public().select_related("sector").order_by("-signed_at")[:limit]


# --- Summary ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date
    count: int


@dataclass(frozen=True)
class AreaCount:
    slug: str
    name: str
    pledge_count: int


@dataclass(frozen=True)
class Summary:
    months: list[MonthCount]
    per_type: list[tuple[str, int]]
    areas: list[AreaCount]
    scotland_wide: int
    total: int


def summary() -> Summary:
    """Every figure on the summary page, cached until the register or the council areas change."""

    def build() -> Summary:
        return Summary(
            months=signatories_per_month(),
            per_type=signatories_per_type(),
            areas=council_area_coverage(),
            scotland_wide=scotland_wide_count(),
            total=register_total(),
        )

    # Keyed by today's date too: the months run up to this one, so the chart grows a month with no new pledge.
    return cached(REGISTER_AND_REFERENCE, f"summary:{timezone.localdate().isoformat()}", build)


def signatories_per_month() -> list[MonthCount]:
    """Every month from the first signing to this one, with zero for months nobody signed (gaps should show)."""
    counts = dict(
        Pledge.objects.public()
        .annotate(month=TruncMonth("signed_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    if not counts:
        return []
    by_month = {(timezone.localtime(m) if isinstance(m, datetime.datetime) else m): n for m, n in counts.items()}
    normalised = {datetime.date(m.year, m.month, 1): n for m, n in by_month.items()}
    first = min(normalised)
    today = timezone.localdate()
    months, current = [], first
    while current <= datetime.date(today.year, today.month, 1):
        months.append(MonthCount(current, normalised.get(current, 0)))
        current = datetime.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def signatories_per_type() -> list[tuple[str, int]]:
    counts = dict(
        Pledge.objects.public()
        .values("organisation_type")
        .annotate(n=Count("pk"))
        .values_list("organisation_type", "n")
    )
    return [(label, counts.get(value, 0)) for value, label in OrganisationType.choices]


def council_area_coverage() -> list[AreaCount]:
    """Every council area with how many organisations on the register serve it, zero included."""
    rows = (
        CouncilArea.objects.annotate(
            pledge_count=Count("pledges", filter=Q(pledges__status=PledgeStatus.APPROVED), distinct=True)
        )
        .order_by("name")
        .values_list("slug", "name", "pledge_count")
    )
    return [AreaCount(slug, name, count) for slug, name, count in rows]


def scotland_wide_count() -> int:
    return Pledge.objects.public().filter(scotland_wide=True).count()


# --- Review -----------------------------------------------------------------------------------------------------


def review_queue() -> QuerySet[Pledge]:
    """New pledges and edits waiting for review, oldest first, with what the queue shows about each."""
    return (
        Pledge.objects.needing_review()
        .select_related("sector", "possible_duplicate_of")
        .prefetch_related("council_areas")
        .order_by("confirmed_at", "created_at")
    )


def updates_awaiting_review() -> QuerySet[ProgressUpdate]:
    return (
        ProgressUpdate.objects.filter(status=UpdateStatus.AWAITING_REVIEW)
        .select_related("pledge")
        .order_by("created_at")
    )


def other_pledges(status_in: list[str]) -> QuerySet[Pledge]:
    return Pledge.objects.filter(status__in=status_in).select_related("sector").order_by("-created_at")


def pledge_for_review(pk: int) -> Pledge:
    queryset = Pledge.objects.select_related("sector", "possible_duplicate_of").prefetch_related(
        "council_areas", Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-created_at"))
    )
    return get_object_or_404(queryset, pk=pk)


def pledge_history(pledge: Pledge) -> QuerySet[Model]:
    # django-simple-history is untyped and makes the historical model at run time: this says what it gives back.
    history: QuerySet[Model] = pledge.history.select_related("history_user").order_by("-history_date")
    return history


def update_for_review(pk: int) -> ProgressUpdate:
    return get_object_or_404(ProgressUpdate.objects.select_related("pledge"), pk=pk)
