"""Reads for the training catalogue, levels, case studies, events and the editors' figures.

Each selector owns its select_related / prefetch_related, so a list page's query count does not grow with its rows.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.utils import timezone

from portal.models import PracticeLevel, Principle, Sector
from training.filters import FACETS, TIME_CHOICES, ResourceFilter, time_q
from training.models import (
    CaseStudy,
    Format,
    LearningEvent,
    LevelInterest,
    ModuleProgress,
    Pathway,
    Resource,
    ResourceFeedback,
)

RESOURCES_PER_PAGE = 12
CASE_STUDIES_PER_PAGE = 12
EVENTS_PER_PAGE = 12


# --- Resources ----------------------------------------------------------------------------------------------------


def resource_list_published() -> QuerySet[Resource]:
    return Resource.objects.published().prefetch_related("levels")


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)

    @property
    def checked_count(self) -> int:
        return sum(1 for option in self.options if option.checked)


@dataclass
class CatalogueResults:
    filterset: ResourceFilter
    page: Page
    facets: list[Facet]
    sort: str
    query_string: str
    dropped: list[str]

    @property
    def count(self) -> int:
        return self.page.paginator.count


def _without(data: QueryDict, *names: str) -> QueryDict:
    copy = data.copy()
    for name in names:
        copy.pop(name, None)
    return copy


def _facets(filterset: ResourceFilter) -> list[Facet]:
    """Counts beside each filter value: how many resources you would see with that value, keeping your other
    filters. One query per facet, whatever the number of resources."""
    form = filterset.form
    form.is_valid()
    chosen = {name: form.cleaned_data.get(name) or [] for name in FACETS}

    def others(name: str) -> QuerySet:
        return filterset.queryset_without(name).values("pk")

    level_slugs = {level.slug for level in chosen["level"]}
    levels = PracticeLevel.objects.active().annotate(
        n=Count("resources", filter=Q(resources__in=others("level")), distinct=True)
    )
    level_facet = Facet(
        "level",
        "Practice level",
        [FacetOption(level.slug, level.name, level.n, level.slug in level_slugs) for level in levels],
    )

    format_counts = dict(
        Resource.objects.filter(pk__in=others("format")).values_list("format").annotate(n=Count("pk")).order_by()
    )
    format_facet = Facet(
        "format",
        "Format",
        [
            FacetOption(value, label, format_counts.get(value, 0), value in chosen["format"])
            for value, label in Format.choices
        ],
    )

    area_slugs = {area.slug for area in chosen["service_area"]}
    areas = filterset.filters["service_area"].queryset.annotate(
        n=Count("resources", filter=Q(resources__in=others("service_area")), distinct=True)
    )
    area_facet = Facet(
        "service_area",
        "Service area",
        [FacetOption(area.slug, area.name, area.n, area.slug in area_slugs) for area in areas],
    )

    time_counts = Resource.objects.filter(pk__in=others("time")).aggregate(
        **{value: Count("pk", filter=time_q([value])) for value, _ in TIME_CHOICES}
    )
    time_facet = Facet(
        "time",
        "Time needed",
        [FacetOption(value, label, time_counts[value], value in chosen["time"]) for value, label in TIME_CHOICES],
    )
    return [level_facet, format_facet, time_facet, area_facet]


def resource_catalogue(*, data: QueryDict) -> CatalogueResults:
    """The catalogue page: filtered, sorted and paged resources, with counts per filter value."""
    filterset = ResourceFilter(data, queryset=Resource.objects.published())
    paginator = Paginator(filterset.sorted_qs().prefetch_related("levels"), RESOURCES_PER_PAGE)
    page = paginator.get_page(data.get("page"))
    return CatalogueResults(
        filterset=filterset,
        page=page,
        facets=_facets(filterset),
        sort=filterset.sort_value(),
        query_string=_without(data, "page").urlencode(),
        dropped=filterset.dropped_fields(),
    )


def resource_get(*, slug: str, drafts: bool = False) -> Resource:
    """A published resource, or with `drafts` any. Missing (and draft) alike are Http404. Who may see drafts is
    training.permissions.resource_get_for_user's decision: views call that."""
    queryset = Resource.objects.select_related("module").prefetch_related("levels", "audiences", "service_areas")
    if not drafts:
        queryset = queryset.published()
    try:
        return queryset.get(slug=slug)
    except Resource.DoesNotExist:
        raise Http404("No such resource") from None


def resource_latest(*, limit: int = 3) -> list[Resource]:
    return list(resource_list_published().order_by("-published_at")[:limit])


# --- Levels -------------------------------------------------------------------------------------------------------


def level_list() -> QuerySet[PracticeLevel]:
    return PracticeLevel.objects.active().annotate(
        resource_count=Count("resources", filter=Q(resources__published_at__lte=timezone.now()), distinct=True)
    )


def level_get(*, slug: str) -> PracticeLevel:
    try:
        return PracticeLevel.objects.active().get(slug=slug)
    except PracticeLevel.DoesNotExist:
        raise Http404("No such level") from None


def level_below(*, level: PracticeLevel) -> list[PracticeLevel]:
    """The levels this one builds on (levels are cumulative)."""
    return list(PracticeLevel.objects.active().filter(order__lt=level.order))


def level_resources(*, level: PracticeLevel) -> QuerySet[Resource]:
    return resource_list_published().filter(levels=level).order_by("duration_minutes", "title")


def level_pathways(*, level: PracticeLevel) -> QuerySet[Pathway]:
    return Pathway.objects.published().filter(level=level).annotate(item_count=Count("items"))


def level_interest_exists(*, user: AbstractBaseUser | AnonymousUser, level: PracticeLevel) -> bool:
    if not user.is_authenticated:
        return False
    return LevelInterest.objects.filter(user=user, level=level).exists()


# --- Case studies -------------------------------------------------------------------------------------------------


@dataclass
class CaseStudyResults:
    page: Page
    sectors: QuerySet[Sector]
    principles: QuerySet[Principle]
    sector: str
    principle: str
    query_string: str


def case_study_list(*, data: QueryDict) -> CaseStudyResults:
    """Published case studies, optionally for one sector and one principle (an unknown value shows everything)."""
    queryset = CaseStudy.objects.published().select_related("sector", "service_area").prefetch_related("principles")
    sectors = Sector.objects.active()
    principles = Principle.objects.active()
    sector = data.get("sector", "")
    principle = data.get("principle", "")
    if sector:
        queryset = queryset.filter(sector__slug=sector)
    if principle:
        queryset = queryset.filter(principles__slug=principle)
    page = Paginator(queryset, CASE_STUDIES_PER_PAGE).get_page(data.get("page"))
    return CaseStudyResults(
        page=page,
        sectors=sectors,
        principles=principles,
        sector=sector,
        principle=principle,
        query_string=_without(data, "page").urlencode(),
    )


def case_study_get(*, slug: str) -> CaseStudy:
    try:
        return (
            CaseStudy.objects.published()
            .select_related("sector", "service_area")
            .prefetch_related("principles")
            .get(slug=slug)
        )
    except CaseStudy.DoesNotExist:
        raise Http404("No such case study") from None


def case_study_latest(*, limit: int = 2) -> list[CaseStudy]:
    return list(CaseStudy.objects.published().select_related("sector").order_by("-published_at")[:limit])


# --- Events -------------------------------------------------------------------------------------------------------


def event_upcoming(*, now: datetime | None = None) -> QuerySet[LearningEvent]:
    now = now or timezone.now()
    return LearningEvent.objects.published().filter(ends_at__gte=now).order_by("starts_at")


def event_past(*, now: datetime | None = None) -> QuerySet[LearningEvent]:
    now = now or timezone.now()
    return LearningEvent.objects.published().filter(ends_at__lt=now).order_by("-starts_at")


def event_get(*, slug: str) -> LearningEvent:
    try:
        return LearningEvent.objects.published().prefetch_related("resources__levels").get(slug=slug)
    except LearningEvent.DoesNotExist:
        raise Http404("No such event") from None


# --- Editors' figures ---------------------------------------------------------------------------------------------


def _count_subquery(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("pk")
    counted = counted.annotate(_group=Value(1)).values("_group").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def resource_figures() -> QuerySet[Resource]:
    """Per resource: views, starts, completions, 'was this useful' answers and the average confidence change.

    Each figure is a correlated subquery, so joining progress and feedback rows never multiplies the counts, and the
    whole table is one query however many resources there are.
    """
    progress = ModuleProgress.objects.filter(module__resource=OuterRef("pk"))
    feedback = ResourceFeedback.objects.filter(resource=OuterRef("pk"))
    confidence = (
        progress.filter(confidence_before__isnull=False, confidence_after__isnull=False)
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(change=Avg(F("confidence_after") - F("confidence_before")))
        .values("change")
    )
    return (
        Resource.objects.all()
        .annotate(
            starts=_count_subquery(progress),
            completions=_count_subquery(progress.filter(completed_at__isnull=False)),
            feedback_total=_count_subquery(feedback),
            feedback_useful=_count_subquery(feedback.filter(useful=True)),
            confidence_change=Subquery(confidence),
        )
        .order_by("title")
    )
