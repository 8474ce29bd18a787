"""Reads for e-learning's records: pathways with where a person is on each, and My learning (the learning record).

Each selector owns its select_related / prefetch_related, so a page's query count does not grow with its rows.
Access getters raise Http404 for missing and forbidden alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from portal.cache import PAGE_TIMEOUT, PERSONAL_TIMEOUT, cached, personal
from portal.http import RequestUser
from portal.models import PracticeLevel, User
from training.learning.selectors import LEARNING_CACHE, MODULE_NAMESPACES, LearningMarks, learning_marks
from training.models import (
    Certificate,
    ExternalCompletion,
    ModuleProgress,
    Pathway,
    PathwayItem,
    Reflection,
    Resource,
    SavedResource,
)
from training.selectors import CATALOGUE_CACHE

# Bumped on every save and delete of a pathway or its items (training/receivers.py). A pathway also shows resources
# (the catalogue's namespace) and level and role names (reference data).
PATHWAYS_CACHE = "pathways"
PATHWAY_NAMESPACES = (CATALOGUE_CACHE, "reference", PATHWAYS_CACHE)

# What the learning record shows of each resource (training/my_learning.html, exports, the PDF): never the long text
# or the search vector, which every row would otherwise carry.
RECORD_RESOURCE_FIELDS = ("id", "title", "slug", "duration_minutes", "external_site_name", "provider")


# Pathways --------------------------------------------------------------------------------------------------------


def pathway_list() -> QuerySet[Pathway]:
    # Typed here: published() (training.models) is not annotated yet.
    pathways: QuerySet[Pathway] = Pathway.objects.published()
    return pathways.select_related("level", "role").prefetch_related(
        Prefetch("items", queryset=PathwayItem.objects.only("id", "pathway_id"))
    )


def pathway_get(*, slug: str) -> Pathway:
    """A published pathway, with its items (`pathway_items`): the same for everyone, so from the cache until a
    pathway, the catalogue or the reference data changes. Kept for PAGE_TIMEOUT at most, like the cached pages, so one
    scheduled for later appears by then."""
    return _pathway_cached(slug)[0]


def pathway_items(*, pathway: Pathway) -> list[PathwayItem]:
    """Its published resources in order, each with its module (if it is one) and levels: from the same entry."""
    return _pathway_cached(pathway.slug)[1]


def _pathway_cached(slug: str) -> tuple[Pathway, list[PathwayItem]]:
    # Not in each process's small copy (local=False): one entry per pathway would push the catalogue's index out.
    build = lambda: _pathway_build(slug=slug)  # noqa: E731
    return cached(PATHWAY_NAMESPACES, f"pathway:{slug}", build, timeout=PAGE_TIMEOUT, local=False)


def _pathway_build(*, slug: str) -> tuple[Pathway, list[PathwayItem]]:
    """Three queries however long the pathway is. A missing or unpublished one raises Http404 (nothing is cached)."""
    pathways: QuerySet[Pathway] = Pathway.objects.published()
    try:
        pathway = pathways.select_related("level", "role").get(slug=slug)
    except Pathway.DoesNotExist:
        raise Http404("No pathway with this address.") from None
    items = list(
        PathwayItem.objects.filter(pathway=pathway, resource__in=Resource.objects.published())
        .select_related("resource", "resource__module")
        .defer("resource__search_vector")
        .prefetch_related("resource__levels")
        .order_by("order")
    )
    return pathway, items


@dataclass
class PathwayRow:
    item: PathwayItem
    resource: Resource
    status: str  # "not-started", "in-progress", "completed"
    completed_on: date | None = None
    is_module: bool = False
    resume_url: str = ""


@dataclass
class PathwayProgress:
    rows: list[PathwayRow] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return sum(1 for row in self.rows if row.status == "completed")

    @property
    def total(self) -> int:
        return len(self.rows)


def pathway_progress(*, pathway: Pathway, user: RequestUser) -> PathwayProgress:
    """Each published resource on the pathway with where this person is with it: a module's progress, or their own
    record of finishing it elsewhere. The items are the same for everyone and cached (pathway_items); the person's
    marks are layered on from their own small cached map (learning_marks). No query when both are cached."""
    marks = learning_marks(user=user) if user.is_authenticated else LearningMarks(modules={}, external={})
    result = PathwayProgress()
    for item in pathway_items(pathway=pathway):
        resource = item.resource
        module = getattr(resource, "module", None)
        row = PathwayRow(item=item, resource=resource, status="not-started", is_module=module is not None)
        if module is not None and module.pk in marks.modules:
            completed_on = marks.modules[module.pk]
            row.status = "completed" if completed_on else "in-progress"
            row.completed_on = completed_on
        elif resource.pk in marks.external:
            row.status = "completed"
            row.completed_on = marks.external[resource.pk]
        result.rows.append(row)
    return result


# My learning -----------------------------------------------------------------------------------------------------


@dataclass
class LevelHours:
    level: PracticeLevel
    minutes: int

    @property
    def hours(self) -> str:
        """Hours to one decimal place, without a trailing ".0": "1.5", "2"."""
        return f"{self.minutes / 60:.1f}".removesuffix(".0")


@dataclass
class LearningRecord:
    in_progress: list[ModuleProgress]
    completed: list[ModuleProgress]
    certificates: list[Certificate]
    external: list[ExternalCompletion]
    saved: list[SavedResource]
    reflections: list[Reflection]

    @property
    def hours_by_level(self) -> list[LevelHours]:
        """Time spent on completed learning (modules here and resources recorded from elsewhere), from each
        resource's duration, at each practice level in the levels' order. A resource for two levels counts in both:
        the CPD question is "how much have I done at this level?"."""
        minutes: dict[int, LevelHours] = {}
        resources = [p.module.resource for p in self.completed] + [c.resource for c in self.external]
        for resource in resources:
            for level in resource.levels.all():
                row = minutes.setdefault(level.pk, LevelHours(level=level, minutes=0))
                row.minutes += resource.duration_minutes
        return sorted(minutes.values(), key=lambda row: (row.level.order, row.level.name))

    @property
    def is_empty(self) -> bool:
        return not any(
            [self.in_progress, self.completed, self.certificates, self.external, self.saved, self.reflections]
        )


PROGRESS_FIELDS = (
    *("id", "user_id", "module_id", "current_step_id", "started_at", "updated_at", "completed_at"),
    *("module__id", "module__resource_id", "current_step__id", "current_step__module_id", "current_step__title"),
)
REFLECTION_FIELDS = (
    *("id", "user_id", "step_id", "text", "updated_at"),
    *("step__id", "step__module_id", "step__title", "step__order", "step__module__id", "step__module__resource_id"),
)


def _resource_fields(path: str) -> list[str]:
    return [f"{path}__{name}" for name in RECORD_RESOURCE_FIELDS]


def learning_record(*, user: User) -> LearningRecord:
    """Everything in a person's learning record: from the cache until their learning, a module or the catalogue
    changes, else a fixed number of queries however much there is (_learning_record_build)."""
    return cached(
        [*MODULE_NAMESPACES, personal(LEARNING_CACHE, user.pk)],
        f"learning-record:{user.pk}",
        lambda: _learning_record_build(user=user),
        timeout=PERSONAL_TIMEOUT,
        local=False,
    )


def _learning_record_build(*, user: User) -> LearningRecord:
    """Five queries and two for the levels, each reading only the columns the record shows."""
    progress = list(
        ModuleProgress.objects.filter(user=user)
        .select_related("module__resource", "current_step")
        .only(*PROGRESS_FIELDS, *_resource_fields("module__resource"))
        .prefetch_related("module__resource__levels")
        .order_by("-updated_at")
    )
    # What a certificate shows is copied onto it when it is issued: no join.
    certificates = list(Certificate.objects.filter(user=user).order_by("-completed_on"))
    external = list(
        ExternalCompletion.objects.filter(user=user)
        .select_related("resource")
        .only("id", "user_id", "resource_id", "completed_on", *_resource_fields("resource"))
        .prefetch_related("resource__levels")
        .order_by("-completed_on", "-id")
    )
    saved = list(
        SavedResource.objects.filter(user=user)
        .select_related("resource")
        .only("id", "user_id", "resource_id", "saved_at", *_resource_fields("resource"))
        .order_by("-saved_at")
    )
    reflections = list(
        Reflection.objects.filter(user=user)
        .select_related("step__module__resource")
        .only(*REFLECTION_FIELDS, *_resource_fields("step__module__resource"))
        .order_by("step__module__resource__title", "step__order")
    )
    return LearningRecord(
        in_progress=[p for p in progress if p.completed_at is None],
        completed=sorted((p for p in progress if p.completed_at), key=attrgetter("completed_at"), reverse=True),
        certificates=certificates,
        external=external,
        saved=saved,
        reflections=reflections,
    )
