"""Reads for the pledge pages. Each owns its joins so a page's query count does not grow with its rows."""

import datetime
from dataclasses import dataclass

import django_filters
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear, TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from pledges import tokens
from pledges.forms import SCOTLAND_WIDE
from pledges.models import ACTION_LABELS, OrganisationType, Pledge, PledgeStatus, ProgressUpdate, UpdateStatus
from portal.models import CouncilArea, Sector

REGISTER_PAGE_SIZE = 20
SEARCH_MAX_LENGTH = 200


# --- The register -----------------------------------------------------------------------------------------------


def signed_years() -> list[int]:
    years = (
        Pledge.objects.public()
        .annotate(year=ExtractYear("signed_at"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return [year for year in years if year]


class RegisterFilter(django_filters.FilterSet):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["area"].extra["choices"] = [
            (SCOTLAND_WIDE, "Scotland-wide"),
            *list(CouncilArea.objects.values_list("slug", "name")),
        ]
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in signed_years()]

    def filter_name(self, queryset, name, value):
        return queryset.filter(organisation_name__icontains=value.strip()) if value.strip() else queryset

    def filter_area(self, queryset, name, value):
        if value == SCOTLAND_WIDE:
            return queryset.filter(scotland_wide=True)
        return queryset.filter(council_areas__slug=value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(signed_at__year=int(value))

    def filter_sort(self, queryset, name, value):
        if value == "name":
            return queryset.order_by("organisation_name")
        return queryset.order_by("-signed_at", "organisation_name")


def register_filter(params) -> RegisterFilter:
    # Unknown filter values (an old link, a hand-edited URL) show everything rather than an error page.
    return RegisterFilter(params, queryset=Pledge.objects.for_register())


def register_total() -> int:
    return Pledge.objects.public().count()


# --- One organisation -------------------------------------------------------------------------------------------


def organisation_by_slug(slug: str) -> Pledge:
    """The one getter for a public pledge: 404 for missing, waiting, removed and withdrawn alike."""
    queryset = (
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


def pledges_for_contact(email: str) -> QuerySet:
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


def open_data_rows(*, site_url: str) -> list[dict]:
    """The register as plain values: public fields only, never the contact's details."""
    rows = []
    for pledge in Pledge.objects.for_register().order_by("signed_at", "pk"):
        own = [line for line in pledge.own_actions.splitlines() if line.strip()]
        rows.append(
            {
                "name": pledge.organisation_name,
                "url": f"{site_url}{pledge.get_absolute_url()}",
                "organisation_type": pledge.get_organisation_type_display(),
                "sector": pledge.sector.name,
                "scotland_wide": pledge.scotland_wide,
                "council_areas": [area.name for area in pledge.council_areas.all()],
                "website": pledge.website,
                "size": pledge.get_size_band_display(),
                "statement": pledge.statement,
                "actions": [ACTION_LABELS[key] for key in pledge.actions if key in ACTION_LABELS] + own,
                "leader_name": pledge.leader_name,
                "leader_role": pledge.leader_role,
                "date_signed": timezone.localtime(pledge.signed_at).date().isoformat() if pledge.signed_at else "",
                "logo_url": f"{site_url}{logo_path(pledge)}" if pledge.logo else "",
            }
        )
    return rows


def logo_path(pledge: Pledge) -> str:
    return reverse("pledges:organisation-logo", kwargs={"slug": pledge.slug})


def newest_signatories(limit: int = 30) -> QuerySet:
    return Pledge.objects.public().select_related("sector").order_by("-signed_at")[:limit]


# --- Summary ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date
    count: int


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


def council_area_coverage() -> QuerySet:
    """Every council area with how many organisations on the register serve it, zero included."""
    return CouncilArea.objects.annotate(
        pledge_count=Count("pledges", filter=Q(pledges__status=PledgeStatus.APPROVED), distinct=True)
    ).order_by("name")


def scotland_wide_count() -> int:
    return Pledge.objects.public().filter(scotland_wide=True).count()


# --- Review -----------------------------------------------------------------------------------------------------


def review_queue() -> QuerySet:
    """New pledges and edits waiting for review, oldest first, with what the queue shows about each."""
    return (
        Pledge.objects.needing_review()
        .select_related("sector", "possible_duplicate_of")
        .prefetch_related("council_areas")
        .order_by("confirmed_at", "created_at")
    )


def updates_awaiting_review() -> QuerySet:
    return (
        ProgressUpdate.objects.filter(status=UpdateStatus.AWAITING_REVIEW)
        .select_related("pledge")
        .order_by("created_at")
    )


def other_pledges(status_in: list[str]) -> QuerySet:
    return Pledge.objects.filter(status__in=status_in).select_related("sector").order_by("-created_at")


def pledge_for_review(pk: int) -> Pledge:
    queryset = Pledge.objects.select_related("sector", "possible_duplicate_of").prefetch_related(
        "council_areas", Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-created_at"))
    )
    return get_object_or_404(queryset, pk=pk)


def pledge_history(pledge: Pledge) -> QuerySet:
    return pledge.history.select_related("history_user").order_by("-history_date")


def update_for_review(pk: int) -> ProgressUpdate:
    return get_object_or_404(ProgressUpdate.objects.select_related("pledge"), pk=pk)
