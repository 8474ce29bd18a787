"""Progress for people without an account: kept in their browser session (AnonymousProgress) and merged into their
learning record when they sign in (session_progress_merge, called by the sign-in receiver in training/receivers.py).
The same rules as the signed-in writes in training.learning.services, with nothing in the database until the merge.
Views reach these through training.learning.learners; every write here comes from a POST.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypedDict

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction

from portal.models import User
from training.learning.services import (
    Attempt,
    _complete_if_done,
    _progress_for_update,
    check_grade,
    next_step,
    reflection_save,
)
from training.models import CheckAttempt, Module, Question, Step, StepCompletion

SESSION_KEY = "training_progress"
WARNING_SESSION_KEY = "training_warnings_seen"


# Progress without an account: kept in the browser session -------------------------------------------------------


class KeptAttempt(TypedDict):
    """A go at a knowledge check as the session keeps it (JSON)."""

    answers: dict[str, int]
    score: int
    passed: bool


@dataclass
class AnonymousProgress:
    """One module's progress for someone not signed in, as kept in their session."""

    current: int | None = None
    done: list[int] = field(default_factory=list)
    reflections: dict[str, str] = field(default_factory=dict)
    attempts: dict[str, KeptAttempt] = field(default_factory=dict)  # by step id

    @classmethod
    def load(cls, session: SessionBase, module: Module | int) -> AnonymousProgress:
        module_id = module if isinstance(module, int) else module.pk
        data = session.get(SESSION_KEY, {}).get(str(module_id), {})
        return cls(
            current=data.get("current"),
            done=list(data.get("done", [])),
            reflections=dict(data.get("reflections", {})),
            attempts=dict(data.get("attempts", {})),
        )

    def store(self, session: SessionBase, module: Module) -> None:
        everything = dict(session.get(SESSION_KEY, {}))
        everything[str(module.pk)] = {
            "current": self.current,
            "done": sorted(set(self.done)),
            "reflections": self.reflections,
            "attempts": self.attempts,
        }
        session[SESSION_KEY] = everything

    @property
    def done_step_ids(self) -> set[int]:
        return set(self.done)

    @property
    def started(self) -> bool:
        return self.current is not None or bool(self.done)


def warning_acknowledge(*, session: SessionBase, module: Module) -> None:
    """The person chose to go on past a module's content warning (on its warning page or the resource page, which
    shows the same warning): not shown again in this browser session. Kept in the session, never the record."""
    if not module.resource.content_warning:
        return
    seen = list(session.get(WARNING_SESSION_KEY, []))
    if module.pk not in seen:
        session[WARNING_SESSION_KEY] = [*seen, module.pk]


def anonymous_step_complete(
    *, session: SessionBase, module: Module, steps: list[Step], step: Step, reflection: str | None = None
) -> AnonymousProgress:
    """The session's copy of step_complete, for someone without an account (same rules, nothing in the database).
    Raises ValueError for a check step."""
    progress = AnonymousProgress.load(session, module)
    if step.kind == Step.Kind.CHECK:
        raise ValueError("A knowledge check is done by passing it.")
    progress.done.append(step.pk)
    if reflection is not None:
        if reflection.strip():
            progress.reflections[str(step.pk)] = reflection.strip()
        else:
            progress.reflections.pop(str(step.pk), None)
    following = next_step(steps=steps, step=step)
    progress.current = (following or step).pk
    progress.store(session, module)
    return progress


def anonymous_check_submit(
    *,
    session: SessionBase,
    module: Module,
    steps: list[Step],
    step: Step,
    questions: list[Question],
    answers: Mapping[int, int],
) -> Attempt:
    """The session's copy of check_submit: the latest go at each check is kept; passing marks the step done.
    Raises ValidationError (see check_grade) for a missing or foreign answer; nothing is kept then."""
    result = check_grade(module=module, questions=questions, answers=answers)
    progress = AnonymousProgress.load(session, module)
    progress.attempts[str(step.pk)] = {"answers": result.answers, "score": result.score, "passed": result.passed}
    progress.current = step.pk
    if result.passed:
        progress.done.append(step.pk)
        progress.current = (next_step(steps=steps, step=step) or step).pk
    progress.store(session, module)
    return result


def anonymous_take_break(*, session: SessionBase, module: Module, step: Step, reflection: str | None = None) -> None:
    """The session's copy of progress_take_break: the place, and what was written so far for a reflection."""
    progress = AnonymousProgress.load(session, module)
    progress.current = step.pk
    if reflection and reflection.strip():
        progress.reflections[str(step.pk)] = reflection.strip()
    progress.store(session, module)


def session_progress_merge(*, user: User, session: SessionBase) -> int:
    """Bring what someone did before signing in (kept in their session) into their learning record.

    Rule: steps done in either place stay done; the learner's place is the further of the two; a reflection
    written in the session replaces the saved one; a check passed in the session counts. The session copy is then
    removed. Returns how many modules were merged. Side effects: progress, completions, attempts, reflections and
    possibly certificates.
    """
    data = session.get(SESSION_KEY)
    if not data:
        return 0
    modules = {
        module.pk: module
        for module in Module.objects.filter(pk__in=[int(key) for key in data]).prefetch_related("steps")
    }
    merged = 0
    with transaction.atomic():
        for key, raw in data.items():
            module = modules.get(int(key))
            if module is None:
                continue
            steps = sorted(module.steps.all(), key=lambda s: s.order)
            by_id = {step.pk: step for step in steps}
            anonymous = AnonymousProgress(
                current=raw.get("current"),
                done=raw.get("done", []),
                reflections=raw.get("reflections", {}),
                attempts=raw.get("attempts", {}),
            )
            progress = _progress_for_update(user=user, module=module)
            for done_id in anonymous.done:
                if done_id in by_id:
                    StepCompletion.objects.get_or_create(progress=progress, step=by_id[done_id])
            for step_id, attempt in anonymous.attempts.items():
                if int(step_id) in by_id:
                    CheckAttempt.objects.create(
                        progress=progress,
                        step=by_id[int(step_id)],
                        answers=attempt["answers"],
                        score=attempt["score"],
                        passed=attempt["passed"],
                    )
            for step_id, text in anonymous.reflections.items():
                if int(step_id) in by_id:
                    reflection_save(user=user, step=by_id[int(step_id)], text=text)
            session_step = by_id.get(anonymous.current) if anonymous.current is not None else None
            current = progress.current_step
            if session_step and (current is None or session_step.order > current.order):
                progress.current_step = session_step
                progress.save(update_fields=["current_step", "updated_at"])
            _complete_if_done(progress=progress, steps=steps)
            merged += 1
    del session[SESSION_KEY]
    return merged
