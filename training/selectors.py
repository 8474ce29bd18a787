"""Reads for the training catalogue, levels, case studies, events and the editors' figures.

Each selector owns its select_related / prefetch_related, so a list page's query count does not grow with its rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias, cast

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, F, IntegerField, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.utils import timezone

from portal.cache import cached, digest
from portal.models import PracticeLevel, Principle, Sector, ServiceArea
from training.filters import FACETS, TIME_CHOICES, TIME_RANGES, ResourceFilter, search_ranks
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

if TYPE_CHECKING:
    from portal.permissions import Person

# The version namespace of everything cached from the catalogue (portal/cache.py); training.services bumps it.
CATALOGUE_CACHE = "training"
RESOURCES_PER_PAGE = 12
# Long columns a list of results never shows: the stored search vector is the longest of them.
LIST_DEFERRED = ("search_vector", "description", "transcript", "content_warning")
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
    page: Page[Resource]
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


@dataclass(frozen=True)
class _Entry:
    pk: int
    format: str
    duration: int
    published_at: datetime
    title: str
    levels: frozenset[int]
    areas: frozenset[int]


@dataclass(frozen=True)
class _Index:
    """What the filters, counts and sorting need about every resource with a publication date, and the filter
    values on offer. About 150 bytes a resource, so the whole catalogue is one cache entry."""

    entries: tuple[_Entry, ...]
    levels: tuple[tuple[int, str, str], ...]  # active levels: pk, slug, name, in their order
    areas: tuple[tuple[int, str, str], ...]  # active service areas, likewise


def _build_index() -> _Index:
    levels_of: dict[int, set[int]] = defaultdict(set)
    for resource_id, level_id in Resource.levels.through.objects.values_list("resource_id", "practicelevel_id"):
        levels_of[resource_id].add(level_id)
    areas_of: dict[int, set[int]] = defaultdict(set)
    for resource_id, area_id in Resource.service_areas.through.objects.values_list("resource_id", "servicearea_id"):
        areas_of[resource_id].add(area_id)
    rows = Resource.objects.filter(published_at__isnull=False).values_list(
        "pk", "format", "duration_minutes", "published_at", "title"
    )
    entries = tuple(
        _Entry(pk, fmt, minutes, published, title, frozenset(levels_of[pk]), frozenset(areas_of[pk]))
        for pk, fmt, minutes, published, title in rows
        if published is not None  # always: the rows are filtered on it
    )
    return _Index(
        entries=entries,
        levels=tuple(PracticeLevel.objects.active().values_list("pk", "slug", "name")),
        areas=tuple(ServiceArea.objects.active().values_list("pk", "slug", "name")),
    )


def _time_bucket(minutes: int) -> str:
    for value, (low, high) in TIME_RANGES.items():
        if minutes >= low and (high is None or minutes < high):
            return value
    return ""


# The filter values chosen, by facet name: level and service area pks, format and time values.
_Chosen: TypeAlias = dict[str, frozenset[int | str]]
# Beside each facet's values (pks or strings, as chosen), how many resources you would see with it.
_Counts: TypeAlias = dict[str, dict[int | str, int]]


@dataclass(frozen=True)
class _Outcome:
    ids: list[int]
    counts: _Counts


def _outcome(
    index: _Index, entries: list[_Entry], ranks: dict[int, float] | None, chosen: _Chosen, sort: str
) -> _Outcome:
    """The matching ids in order, and beside each filter value how many resources you would see with it, keeping
    your other filters. Every figure comes from the one set of published (and, when searching, matching) resources."""
    if ranks is not None:
        entries = [entry for entry in entries if entry.pk in ranks]
    passes: dict[str, Callable[[_Entry], bool]] = {
        "level": lambda e: not chosen["level"] or bool(e.levels & chosen["level"]),
        "format": lambda e: not chosen["format"] or e.format in chosen["format"],
        "service_area": lambda e: not chosen["service_area"] or bool(e.areas & chosen["service_area"]),
        "time": lambda e: not chosen["time"] or _time_bucket(e.duration) in chosen["time"],
    }
    verdicts = [(entry, {name: test(entry) for name, test in passes.items()}) for entry in entries]
    counts: dict[str, defaultdict[int | str, int]] = {name: defaultdict(int) for name in FACETS}
    matching = []
    for entry, verdict in verdicts:
        failed = [name for name, passed in verdict.items() if not passed]
        if not failed:
            matching.append(entry)
        if len(failed) > 1:
            continue
        # Counted for a facet when every *other* filter lets the resource through.
        for name in failed or FACETS:
            if name == "level":
                for level_id in entry.levels:
                    counts[name][level_id] += 1
            elif name == "service_area":
                for area_id in entry.areas:
                    counts[name][area_id] += 1
            elif name == "format":
                counts[name][entry.format] += 1
            else:
                counts[name][_time_bucket(entry.duration)] += 1
    if sort == "relevance" and ranks is not None:
        matching.sort(key=lambda e: (-ranks[e.pk], e.title))
    elif sort == "shortest":
        matching.sort(key=lambda e: (e.duration, e.title))
    else:
        matching.sort(key=lambda e: e.title)
        matching.sort(key=lambda e: e.published_at, reverse=True)
    return _Outcome(ids=[entry.pk for entry in matching], counts={name: dict(c) for name, c in counts.items()})


def _facets(index: _Index, counts: _Counts, chosen: _Chosen) -> list[Facet]:
    return [
        Facet(
            "level",
            "Practice level",
            [
                FacetOption(slug, name, counts["level"].get(pk, 0), pk in chosen["level"])
                for pk, slug, name in index.levels
            ],
        ),
        Facet(
            "format",
            "Format",
            [
                FacetOption(value, label, counts["format"].get(value, 0), value in chosen["format"])
                for value, label in Format.choices
            ],
        ),
        Facet(
            "time",
            "Time needed",
            [
                FacetOption(value, label, counts["time"].get(value, 0), value in chosen["time"])
                for value, label in TIME_CHOICES
            ],
        ),
        Facet(
            "service_area",
            "Service area",
            [
                FacetOption(slug, name, counts["service_area"].get(pk, 0), pk in chosen["service_area"])
                for pk, slug, name in index.areas
            ],
        ),
    ]


def resource_catalogue(*, data: QueryDict) -> CatalogueResults:
    """The catalogue page: filtered, sorted and paged resources, with counts per filter value.

    The catalogue's index (every resource's format, time, levels and areas) is cached until the catalogue changes;
    a search asks the database once for the matching ids (the stored vector's GIN index on PostgreSQL); the results
    and the counts are cached per set of choices. So a page costs one query for its twelve rows (two with their
    levels) and, when the search is new, one for the search.
    """
    filterset = ResourceFilter(data, queryset=Resource.objects.published())
    form = filterset.form
    form.is_valid()
    cleaned = form.cleaned_data
    text = (cleaned.get("q") or "").strip()
    chosen: _Chosen = {
        "level": frozenset(level.pk for level in cleaned.get("level") or []),
        "format": frozenset(cleaned.get("format") or []),
        "service_area": frozenset(area.pk for area in cleaned.get("service_area") or []),
        "time": frozenset(cleaned.get("time") or []),
    }
    sort = filterset.sort_value()
    index = cached(CATALOGUE_CACHE, "catalogue-index", _build_index)
    now = timezone.now()
    entries = [entry for entry in index.entries if entry.published_at <= now]
    # How many are published is part of the key: a resource scheduled for later joins the results when its time
    # comes, with no write to make the cache stale.
    choices = repr((text, sort, *(sorted(chosen[name]) for name in FACETS)))
    key = f"catalogue-results:{len(entries)}:{digest(choices)}"

    def build() -> _Outcome:
        ranks = search_ranks(Resource.objects.published(), text) if text else None
        return _outcome(index, entries, ranks, chosen, sort)

    outcome = cached(CATALOGUE_CACHE, key, build)
    id_page = Paginator(outcome.ids, RESOURCES_PER_PAGE).get_page(data.get("page"))
    rows = Resource.objects.filter(pk__in=id_page.object_list).defer(*LIST_DEFERRED).prefetch_related("levels")
    by_pk = rows.in_bulk()
    # The page of ids becomes the page of their resources; its number and paginator (the counts) stay the ids'.
    page = cast("Page[Resource]", id_page)
    page.object_list = [by_pk[pk] for pk in id_page.object_list if pk in by_pk]
    return CatalogueResults(
        filterset=filterset,
        page=page,
        facets=_facets(index, outcome.counts, chosen),
        sort=sort,
        query_string=_without(data, "page").urlencode(),
        dropped=filterset.dropped_fields(),
    )


def resource_get(*, slug: str, drafts: bool = False) -> Resource:
    """A published resource, or with `drafts` any. Missing (and draft) alike are Http404. Who may see drafts is
    training.permissions.resource_get_for_user's decision: views call that."""
    if not drafts:
        # The same for everyone until the catalogue changes (a resource, or the names of its levels, audiences or
        # areas): no query once cached. Not in each process's small copy: there are thousands of resources, and they
        # would push out the catalogue's index. A draft, or one not yet published, raises and is not cached.
        return cached(CATALOGUE_CACHE, f"resource:{slug}", lambda: _resource_get(slug=slug, drafts=False), local=False)
    return _resource_get(slug=slug, drafts=True)


def _resource_get(*, slug: str, drafts: bool) -> Resource:
    # The page shows the text, never the search vector built from it (kilobytes a row at scale).
    queryset = (
        Resource.objects.select_related("module")
        .defer("search_vector")
        .prefetch_related("levels", "audiences", "service_areas")
    )
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


def level_interest_exists(*, user: Person, level: PracticeLevel) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return LevelInterest.objects.filter(user=user, level=level).exists()


# --- Case studies -------------------------------------------------------------------------------------------------


@dataclass
class CaseStudyResults:
    page: Page[CaseStudy]
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


def _count_subquery(queryset: QuerySet[Model]) -> Coalesce:
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
