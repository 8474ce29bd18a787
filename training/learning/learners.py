"""The learner: whoever is going through a module, with or without an account.

A view asks `learner_for(request)` once and then talks to the one interface below, never to `request.user` about
progress. Two kinds:

- `DatabaseLearner`: someone signed in. Progress, check attempts and reflections are rows in the database; they
  keep a learning record, get a certificate and are asked the confidence questions.
- `SessionLearner`: someone without an account (or not signed in). The same progress is kept in their browser
  session; it joins their record when they sign in (sessions.session_progress_merge, from training/receivers.py).

Reads (`progress`, `reflection`, `latest_attempt`, `certificate`, `warning_seen`) never write. Writes are only made
from POST requests and go through training.learning.services (or training.learning.sessions).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from portal.http import RequestUser
from portal.models import User
from training.learning import selectors, services, sessions
from training.learning.services import Attempt
from training.models import Certificate, Module, Question, Step


@dataclass(frozen=True)
class Progress:
    """A learner's place in one module, read once per request. Nothing here is saved by reading it."""

    started: bool = False
    done_step_ids: frozenset[int] = frozenset()
    current_step_id: int | None = None
    finished: bool = False
    completed_at: datetime | None = None  # only a learning record has a completion date
    confidence_before: int | None = None
    confidence_after: int | None = None
    confidence_comment: str = ""

    def resume_step_id(self, steps: list[Step]) -> int | None:
        """Where to carry on: the saved place if it is still a step of the module, else the first step not done."""
        ids = [step.pk for step in steps]
        if self.current_step_id in ids:
            return self.current_step_id
        for step in steps:
            if step.pk not in self.done_step_ids:
                return step.pk
        return ids[0] if ids else None


class Learner(ABC):
    """What the module player needs from whoever is learning. Every method is keyword-only."""

    #: Signed in, with a learning record: a certificate, the confidence questions and progress on any device.
    keeps_record: bool = False

    def __init__(self, *, user: RequestUser, session: SessionBase) -> None:
        self.user = user  # the signed-in User, or AnonymousUser (for draft previews: training.permissions)
        self.session = session

    # Reads ---------------------------------------------------------------------------------------------------

    @abstractmethod
    def progress(self, *, module: Module, steps: list[Step]) -> Progress: ...

    @abstractmethod
    def reflection(self, *, step: Step) -> str:
        """What the learner wrote for a reflection step ("" if nothing)."""

    @abstractmethod
    def latest_attempt(self, *, step: Step) -> Attempt | None: ...

    def certificate(self, *, module: Module) -> Certificate | None:
        """The certificate for this module, if one was issued. Only a learning record has one."""
        return None

    def warning_seen(self, *, module: Module) -> bool:
        """Has the person chosen to go on past this module's content warning in this browser session? Kept in the
        session for both kinds of learner: it is about this sitting, not the record."""
        return module.pk in self.session.get(sessions.WARNING_SESSION_KEY, [])

    # Writes (POST only) ----------------------------------------------------------------------------------------

    def warning_acknowledge(self, *, module: Module) -> None:
        sessions.warning_acknowledge(session=self.session, module=module)

    @abstractmethod
    def start(self, *, module: Module, steps: list[Step]) -> None: ...

    @abstractmethod
    def step_done(self, *, module: Module, steps: list[Step], step: Step, reflection: str | None) -> bool:
        """Mark a step (not a check) done and move on. Returns whether the module is now finished."""

    @abstractmethod
    def take_break(self, *, module: Module, step: Step, reflection: str | None) -> None: ...

    @abstractmethod
    def check_submit(
        self, *, module: Module, steps: list[Step], step: Step, questions: list[Question], answers: dict[int, int]
    ) -> Attempt:
        """Grade and keep a go at a knowledge check. Raises ValidationError (nothing kept) for a bad answer."""

    def certificate_issue(self, *, module: Module) -> Certificate | None:
        return None

    def confidence_save(self, *, module: Module, before: int | None, after: int | None, comment: str) -> None:
        raise PermissionError("The confidence questions are for a learning record.")


class DatabaseLearner(Learner):
    keeps_record = True
    user: User

    def __init__(self, *, user: User, session: SessionBase) -> None:
        super().__init__(user=user, session=session)

    def progress(self, *, module: Module, steps: list[Step]) -> Progress:
        saved = selectors.progress_get(user=self.user, module=module)
        if saved is None:
            return Progress()
        row = saved.row
        return Progress(
            started=True,
            done_step_ids=saved.done_step_ids,
            current_step_id=row.current_step_id,
            finished=row.completed_at is not None,
            completed_at=row.completed_at,
            confidence_before=row.confidence_before,
            confidence_after=row.confidence_after,
            confidence_comment=row.confidence_comment,
        )

    def reflection(self, *, step: Step) -> str:
        return selectors.reflection_text(user=self.user, step=step)

    def latest_attempt(self, *, step: Step) -> Attempt | None:
        return selectors.latest_attempt(user=self.user, step=step)

    def certificate(self, *, module: Module) -> Certificate | None:
        return selectors.certificate_for_module(user=self.user, module=module)

    def start(self, *, module: Module, steps: list[Step]) -> None:
        services.progress_start(user=self.user, module=module, steps=steps)

    def step_done(self, *, module: Module, steps: list[Step], step: Step, reflection: str | None) -> bool:
        progress = services.step_complete(user=self.user, module=module, steps=steps, step=step, reflection=reflection)
        return progress.completed_at is not None

    def take_break(self, *, module: Module, step: Step, reflection: str | None) -> None:
        services.progress_take_break(user=self.user, module=module, step=step, reflection=reflection)

    def check_submit(
        self, *, module: Module, steps: list[Step], step: Step, questions: list[Question], answers: dict[int, int]
    ) -> Attempt:
        kept = services.check_submit(
            user=self.user, module=module, steps=steps, step=step, questions=questions, answers=answers
        )
        return Attempt(answers=kept.answers, score=kept.score, passed=kept.passed)

    def certificate_issue(self, *, module: Module) -> Certificate | None:
        return services.certificate_issue_for(user=self.user, module=module)

    def confidence_save(self, *, module: Module, before: int | None, after: int | None, comment: str) -> None:
        services.confidence_save(user=self.user, module=module, before=before, after=after, comment=comment)


class SessionLearner(Learner):
    def _stored(self, module: Module | int) -> sessions.AnonymousProgress:
        return sessions.AnonymousProgress.load(self.session, module)

    def progress(self, *, module: Module, steps: list[Step]) -> Progress:
        stored = self._stored(module)
        done = frozenset(stored.done_step_ids)
        return Progress(
            started=stored.started,
            done_step_ids=done,
            current_step_id=stored.current,
            finished=services.module_is_complete(steps=steps, done_step_ids=set(done)),
        )

    def reflection(self, *, step: Step) -> str:
        return self._stored(step.module_id).reflections.get(str(step.pk), "")

    def latest_attempt(self, *, step: Step) -> Attempt | None:
        stored = self._stored(step.module_id).attempts.get(str(step.pk))
        if stored is None:
            return None
        return Attempt(answers=stored["answers"], score=stored["score"], passed=stored["passed"])

    def start(self, *, module: Module, steps: list[Step]) -> None:
        """Nothing to keep: the session holds a place only once a step is done or a break taken."""

    def step_done(self, *, module: Module, steps: list[Step], step: Step, reflection: str | None) -> bool:
        stored = sessions.anonymous_step_complete(
            session=self.session, module=module, steps=steps, step=step, reflection=reflection
        )
        return services.module_is_complete(steps=steps, done_step_ids=stored.done_step_ids)

    def take_break(self, *, module: Module, step: Step, reflection: str | None) -> None:
        sessions.anonymous_take_break(session=self.session, module=module, step=step, reflection=reflection)

    def check_submit(
        self, *, module: Module, steps: list[Step], step: Step, questions: list[Question], answers: dict[int, int]
    ) -> Attempt:
        return sessions.anonymous_check_submit(
            session=self.session, module=module, steps=steps, step=step, questions=questions, answers=answers
        )


def learner_for(request: HttpRequest) -> Learner:
    """The one place that looks at whether the person is signed in."""
    if request.user.is_authenticated:
        return DatabaseLearner(user=request.user, session=request.session)
    return SessionLearner(user=request.user, session=request.session)
