"""Reads for e-learning: modules and their steps, a learner's progress and certificates (pathways and My learning are
in training.learning.records).

Each selector owns its select_related / prefetch_related, so a page's query count does not grow with its rows.
Access getters raise Http404 for missing and forbidden alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from portal.cache import PERSONAL_TIMEOUT, cached, personal
from portal.http import RequestUser
from portal.models import User
from training.models import (
    Certificate,
    CheckAttempt,
    ExternalCompletion,
    Module,
    ModuleProgress,
    Option,
    Question,
    Reflection,
    Resource,
    SavedResource,
    Step,
    StepCompletion,
)
from training.permissions import module_get_for_user
from training.selectors import CATALOGUE_CACHE

# One person's learning rows (progress, steps done, attempts, certificates, reflections, saved and external
# completions): bumped for that person by training/receivers.py on every save and delete of them.
LEARNING_CACHE = "learning"
# Modules, steps, questions and options: bumped by training/receivers.py on every save and delete of them. What a
# module's resource shows is under the catalogue's version (CATALOGUE_CACHE), so keys name both.
MODULES_CACHE = "modules"
MODULE_NAMESPACES = (CATALOGUE_CACHE, MODULES_CACHE)

if TYPE_CHECKING:
    from training.learning.learners import Learner, Progress
    from training.learning.services import Attempt, QuestionReview


def module_get_for_player(*, slug: str, drafts: bool = False) -> Module:
    """The module behind a published resource (or a draft, with `drafts`), with its resource, levels and ordered
    steps. One getter for missing, draft and not-a-module alike: all are "not found". Who may see drafts is
    training.permissions' rule: ask its module_get_for_user."""
    if not drafts:
        # The same for every learner until the catalogue or a module changes: no query once cached. A module not
        # (yet) published raises, and nothing is cached for it.
        return cached(MODULE_NAMESPACES, f"player-module:{slug}", lambda: _module_get(slug=slug, drafts=False))
    return _module_get(slug=slug, drafts=True)


def _module_get(*, slug: str, drafts: bool) -> Module:
    modules = Module.objects.select_related("resource").prefetch_related(
        "resource__levels", Prefetch("steps", queryset=Step.objects.order_by("order"))
    )
    # The player never shows the search vector.
    modules = modules.defer("resource__search_vector")
    if not drafts:
        modules = modules.filter(resource__in=Resource.objects.published())
    try:
        return modules.get(resource__slug=slug)
    except Module.DoesNotExist:
        raise Http404("No module with this address.") from None


def module_steps(module: Module) -> list[Step]:
    """The module's steps in order (prefetched by module_get_for_player)."""
    return list(module.steps.all())


def check_questions(*, step: Step) -> list[Question]:
    """The questions of a knowledge-check step with their options, in two queries however many there are."""
    return list(
        Question.objects.filter(step=step).prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("order", "id"))
        )
    )


# The module player -----------------------------------------------------------------------------------------------


class StepNotFound(Http404):
    """The module exists but has no such step: the player says so on a page of its own, with the module's link."""

    def __init__(self, module: Module) -> None:
        super().__init__("This step is not part of this module.")
        self.module = module


@dataclass
class StepRow:
    step: Step
    number: int
    done: bool
    current: bool

    @property
    def url(self) -> str:
        return reverse("training:module-step", args=[self.step.module.resource.slug, self.step.pk])


@dataclass
class Player:
    """Everything a page of the module player shows: the module, its steps, the learner's progress, the step being
    shown (if any) and the way on from it."""

    module: Module
    steps: list[Step]
    progress: Progress
    step: Step | None = None
    questions: list[Question] = field(default_factory=list)  # a check step's, with their options
    reflection: str = ""  # a reflection step's saved text
    attempt: Attempt | None = None  # the last go at a check step, when asked for
    certificate: Certificate | None = None  # when asked for

    @property
    def resource(self) -> Resource:
        return self.module.resource

    @property
    def total(self) -> int:
        return len(self.steps)

    def _index(self, step: Step) -> int:
        return [s.pk for s in self.steps].index(step.pk)

    @property
    def shown_step(self) -> Step:
        """The step being shown, on a page asked for with a step (player_get has checked it is this module's)."""
        if self.step is None:
            raise LookupError("This page of the module player shows no step.")
        return self.step

    @property
    def number(self) -> int | None:
        return self._index(self.step) + 1 if self.step else None

    @property
    def previous(self) -> Step | None:
        if self.step is None:
            return None
        index = self._index(self.step)
        return self.steps[index - 1] if index > 0 else None

    @property
    def next(self) -> Step | None:
        if self.step is None:
            return None
        index = self._index(self.step)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    @property
    def done(self) -> bool:
        return self.step is not None and self.step.pk in self.progress.done_step_ids

    @property
    def rows(self) -> list[StepRow]:
        return [
            StepRow(
                step=step,
                number=number,
                done=step.pk in self.progress.done_step_ids,
                current=self.step is not None and step.pk == self.step.pk,
            )
            for number, step in enumerate(self.steps, start=1)
        ]

    @property
    def remaining(self) -> list[StepRow]:
        """What is left before the module is complete: required steps and checks not done."""
        return [row for row in self.rows if (row.step.required or row.step.kind == Step.Kind.CHECK) and not row.done]

    @property
    def resume_step(self) -> Step | None:
        resume_id = self.progress.resume_step_id(self.steps)
        return next((step for step in self.steps if step.pk == resume_id), None)

    @property
    def review(self) -> list[QuestionReview]:
        """The last go at the check, question by question, graded by the service's rule."""
        from training.learning.services import check_review

        if self.attempt is None:
            return []
        return check_review(questions=self.questions, answers=self.attempt.answers)


def player_get(
    *, learner: Learner, slug: str, step_id: int | None = None, attempt: bool = False, certificate: bool = False
) -> Player:
    """A page of the module player, read in a fixed number of queries however many steps, questions or options:
    the module with its resource, levels and steps (3), the learner's progress (2 when signed in, none from the
    session), and only what the page shows: a check's questions and options (2), a reflection's text (1), the last
    attempt (1) or the certificate (1). Writes nothing.

    Raises Http404 for a module that is missing or not published (drafts for editors who may preview), and
    StepNotFound for a step that is not this module's.
    """
    module = module_get_for_user(slug=slug, user=learner.user)
    steps = module_steps(module)
    for step in steps:  # prefetched through the module: point them back at it so step.module costs no query
        step.module = module
    player = Player(module=module, steps=steps, progress=learner.progress(module=module, steps=steps))
    if step_id is not None:
        player.step = next((step for step in steps if step.pk == step_id), None)
        if player.step is None:
            raise StepNotFound(module)
        if player.step.kind == Step.Kind.CHECK:
            player.questions = check_questions(step=player.step)
            if attempt:
                player.attempt = learner.latest_attempt(step=player.step)
        elif player.step.kind == Step.Kind.REFLECTION:
            player.reflection = learner.reflection(step=player.step)
    if certificate:
        player.certificate = learner.certificate(module=module)
    return player


@dataclass(frozen=True)
class SavedProgress:
    """A signed-in learner's progress row in a module and the ids of the steps they have done."""

    row: ModuleProgress
    done_step_ids: frozenset[int]


def progress_get(*, user: User, module: Module) -> SavedProgress | None:
    """The learner's progress in a module, with the ids of the steps they have done: from the cache until their
    learning changes, else one query each."""

    def build() -> SavedProgress | None:
        progress = ModuleProgress.objects.filter(user=user, module=module).first()
        if progress is None:
            return None
        done = StepCompletion.objects.filter(progress=progress).values_list("step_id", flat=True)
        return SavedProgress(row=progress, done_step_ids=frozenset(done))

    return cached(
        personal(LEARNING_CACHE, user.pk), f"progress:{module.pk}", build, timeout=PERSONAL_TIMEOUT, local=False
    )


def latest_attempt(*, user: User, step: Step) -> Attempt | None:
    """The learner's last go at a knowledge check, in one query."""
    from training.learning.services import Attempt

    row = (
        CheckAttempt.objects.filter(progress__user=user, step=step)
        .order_by("-created_at", "-id")
        .values("answers", "score", "passed")
        .first()
    )
    return Attempt(**row) if row else None


def certificate_for_module(*, user: User, module: Module) -> Certificate | None:
    return Certificate.objects.filter(user=user, module=module).first()


def reflection_text(*, user: User, step: Step) -> str:
    reflection = Reflection.objects.filter(user=user, step=step).only("text").first()
    return reflection.text if reflection else ""


def reflection_get_for_owner(*, user: User, reflection_id: int) -> Reflection:
    """One of the learner's own reflections; anyone else's is "not found"."""
    try:
        return Reflection.objects.select_related("step__module__resource").get(pk=reflection_id, user=user)
    except Reflection.DoesNotExist:
        raise Http404("No reflection of yours with this number.") from None


def reflection_count(*, user: User) -> int:
    return Reflection.objects.filter(user=user).count()


# Certificates ---------------------------------------------------------------------------------------------------


def certificate_code_normalise(code: str) -> str:
    """A code as it is stored, from however someone typed it: the certificate prints it in groups of four joined by
    hyphens ("4KQ2-MX9P-RT4B"); people also type spaces, lower case, or a dash their keyboard makes."""
    return "".join(ch for ch in code if ch not in "-\u2010\u2011\u2012\u2013\u2014\u2212" and not ch.isspace()).upper()


def certificate_get_public(*, code: str) -> Certificate:
    """A certificate by its code, for the public check, however it was typed (certificate_code_normalise).
    One the learner has not yet put their name on is not found: nothing has been printed or shared yet."""
    try:
        return Certificate.objects.exclude(learner_name="").get(code=certificate_code_normalise(code))
    except Certificate.DoesNotExist:
        raise Http404("No certificate with this code.") from None


def certificate_get_for_owner(*, user: User, code: str) -> Certificate:
    """The learner's own certificate. Someone else's code is "not found", exactly like a code that does not exist."""
    try:
        return Certificate.objects.select_related("module__resource").get(code=code.upper(), user=user)
    except Certificate.DoesNotExist:
        raise Http404("No certificate with this code.") from None


# The two includes on the resource page -------------------------------------------------------------------------


@dataclass
class ModuleState:
    module_id: int
    first_step_id: int | None
    status: str  # "none" (not started), "in-progress", "completed"
    current_step_id: int | None = None
    certificate_code: str = ""


def module_state_for_resource(*, resource: Resource, user: RequestUser | None) -> ModuleState | None:
    """Whether a resource is a module and where this person is with it, in one query."""
    modules = Module.objects.filter(resource_id=resource.pk).annotate(
        first_step_id=Subquery(Step.objects.filter(module=OuterRef("pk")).order_by("order").values("pk")[:1])
    )
    if user is not None and user.is_authenticated:
        mine = ModuleProgress.objects.filter(module=OuterRef("pk"), user=user)
        modules = modules.annotate(
            progress_id=Subquery(mine.values("pk")[:1]),
            progress_step_id=Subquery(mine.values("current_step_id")[:1]),
            progress_completed_at=Subquery(mine.values("completed_at")[:1]),
            certificate_code=Subquery(Certificate.objects.filter(module=OuterRef("pk"), user=user).values("code")[:1]),
        )
    # The progress columns are there only for someone signed in, so the row is read as a plain mapping.
    module: Mapping[str, Any] | None = modules.values().first()
    if module is None:
        return None
    state = ModuleState(module_id=module["id"], first_step_id=module["first_step_id"], status="none")
    if module.get("progress_id"):
        state.status = "completed" if module["progress_completed_at"] else "in-progress"
        state.current_step_id = module["progress_step_id"] or module["first_step_id"]
        state.certificate_code = module["certificate_code"] or ""
    return state


@dataclass(frozen=True)
class LearningMarks:
    """Where a person is with each resource, for marking lists: a module started (None) or finished (the day in
    Scotland), and resources they recorded as done elsewhere (the day they gave)."""

    modules: dict[int, date | None]
    external: dict[int, date]
    saved: frozenset[int] = frozenset()


def learning_marks(*, user: User) -> LearningMarks:
    """A person's progress marks, small and cached until their learning changes: three queries on a miss."""

    def build() -> LearningMarks:
        modules = {
            module_id: timezone.localdate(completed_at) if completed_at else None  # the day in Scotland, not UTC
            for module_id, completed_at in ModuleProgress.objects.filter(user=user).values_list(
                "module_id", "completed_at"
            )
        }
        external = dict(ExternalCompletion.objects.filter(user=user).values_list("resource_id", "completed_on"))
        saved = frozenset(SavedResource.objects.filter(user=user).values_list("resource_id", flat=True))
        return LearningMarks(modules=modules, external=external, saved=saved)

    return cached(personal(LEARNING_CACHE, user.pk), "marks", build, timeout=PERSONAL_TIMEOUT, local=False)


@dataclass
class ResourceActionsState:
    saved: bool
    completed_on: date | None


def resource_actions_state(*, resource: Resource, user: User) -> ResourceActionsState:
    """Has this person saved the resource, and recorded finishing it elsewhere? From their cached marks: no query
    once cached."""
    marks = learning_marks(user=user)
    return ResourceActionsState(saved=resource.pk in marks.saved, completed_on=marks.external.get(resource.pk))
