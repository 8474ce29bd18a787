"""Writes for e-learning: progress through a module, knowledge checks, reflections, certificates, pathways and the
learning record.

Signed-in learners' progress is saved in the database on every step. People without an account can do every step
too: what they do is kept in their browser session and merged into their record when they sign in (see
training.learning.sessions). Views reach these through
training.learning.learners, which picks the right ones for the person; every write here comes from a POST.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

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

# Completion rules ------------------------------------------------------------------------------------------------


def module_is_complete(*, steps: list[Step], done_step_ids: set[int]) -> bool:
    """The rule: every required step is done, and every knowledge check has been passed (a check step only counts as
    done once it is passed, so an optional check still has to be passed)."""
    needed = [step for step in steps if step.required or step.kind == Step.Kind.CHECK]
    return all(step.pk in done_step_ids for step in needed)


def checks_passed(*, steps: list[Step], done_step_ids: set[int]) -> bool:
    return all(step.pk in done_step_ids for step in steps if step.kind == Step.Kind.CHECK)


def next_step(*, steps: list[Step], step: Step) -> Step | None:
    index = [s.pk for s in steps].index(step.pk)
    return steps[index + 1] if index + 1 < len(steps) else None


def previous_step(*, steps: list[Step], step: Step) -> Step | None:
    index = [s.pk for s in steps].index(step.pk)
    return steps[index - 1] if index > 0 else None


# Knowledge checks ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """A graded go at a knowledge check, as kept for either kind of learner. `answers` maps a question id (as text,
    as JSON keeps it) to the chosen option id."""

    answers: dict[str, int]
    score: int
    passed: bool


class OptionReview(TypedDict):
    option: Option
    chosen: bool


@dataclass
class QuestionReview:
    """One question of a go at a check, for the page after it: every option, the one chosen, and whether it was
    right."""

    number: int
    question: Question
    options: list[OptionReview]
    right: bool


def check_review(*, questions: list[Question], answers: Mapping[str, int]) -> list[QuestionReview]:
    """Mark each question of a kept attempt right or not, with the same rule as check_grade (the chosen option is a
    correct one). A question added since the attempt shows as not answered rather than failing. Writes nothing."""
    review: list[QuestionReview] = []
    for number, question in enumerate(questions, start=1):
        chosen = answers.get(str(question.pk))
        options = list(question.options.all())
        review.append(
            QuestionReview(
                number=number,
                question=question,
                options=[{"option": option, "chosen": option.pk == chosen} for option in options],
                right=any(option.pk == chosen and option.is_correct for option in options),
            )
        )
    return review


def check_grade(*, module: Module, questions: list[Question], answers: Mapping[int, int]) -> Attempt:
    """Grade a knowledge check: the percentage of questions answered correctly, passed at the module's pass mark.

    Raises ValidationError if a question is unanswered or an answer is not one of that question's options (someone
    sending another question's option, or a made-up id): nothing is recorded then.
    """
    errors: dict[str, str] = {}
    correct = 0
    for question in questions:
        option_id = answers.get(question.pk)
        options = {option.pk: option for option in question.options.all()}
        if option_id is None:
            errors[f"question_{question.pk}"] = "Choose an answer to this question."
        elif option_id not in options:
            errors[f"question_{question.pk}"] = "Choose one of the answers shown for this question."
        elif options[option_id].is_correct:
            correct += 1
    if errors:
        raise ValidationError(errors)
    score = round(100 * correct / len(questions)) if questions else 100
    return Attempt(
        score=score,
        passed=score >= module.pass_mark,
        answers={str(question.pk): answers[question.pk] for question in questions},
    )


# Signed-in progress ----------------------------------------------------------------------------------------------


def _progress_for_update(*, user: User, module: Module) -> ModuleProgress:
    """The learner's progress row, created if need be, and locked until the caller's transaction ends.

    Two requests for the same learner and module (a double click, two tabs) then take turns: the second reads the
    completions the first wrote before deciding whether the module is complete. The lock is SELECT ... FOR UPDATE
    on PostgreSQL; SQLite has no row locks (Django leaves FOR UPDATE out there) but lets one writer in at a time.
    Call it inside transaction.atomic().
    """
    progress, _ = ModuleProgress.objects.select_for_update().get_or_create(user=user, module=module)
    return progress


def progress_start(*, user: User, module: Module, steps: list[Step]) -> ModuleProgress:
    """Start (or return to) a module. Creates the learner's progress at the first step if they have none.

    Side effects: one ModuleProgress row. Raises nothing.
    """
    with transaction.atomic():
        progress = _progress_for_update(user=user, module=module)
        if progress.current_step_id is None and steps:
            progress.current_step = steps[0]
            progress.save(update_fields=["current_step", "updated_at"])
    return progress


def _complete_if_done(*, progress: ModuleProgress, steps: list[Step]) -> bool:
    done = set(progress.completions.values_list("step_id", flat=True))
    passed = checks_passed(steps=steps, done_step_ids=done)
    fields: list[str] = []
    if passed != progress.check_passed:
        progress.check_passed = passed
        fields.append("check_passed")
    newly_complete = progress.completed_at is None and module_is_complete(steps=steps, done_step_ids=done)
    if newly_complete:
        progress.completed_at = timezone.now()
        fields.append("completed_at")
    if fields:
        progress.save(update_fields=[*fields, "updated_at"])
    if progress.completed_at:
        certificate_issue(progress=progress)
    return newly_complete


def step_complete(
    *, user: User, module: Module, steps: list[Step], step: Step, reflection: str | None = None
) -> ModuleProgress:
    """Mark a reading, video or reflection step done and move the learner's place on to the next step.

    Rule: a knowledge check is only done by passing it (check_submit), never by this. A reflection's text is saved
    for the learner alone; writing one is optional, so the step is done either way. When this finishes the module,
    the completion date is set and the certificate issued.
    Side effects: ModuleProgress, StepCompletion, Reflection and Certificate rows. Raises ValueError for a check step.
    """
    if step.kind == Step.Kind.CHECK:
        raise ValueError("A knowledge check is done by passing it.")
    with transaction.atomic():
        progress = _progress_for_update(user=user, module=module)
        StepCompletion.objects.get_or_create(progress=progress, step=step)
        if reflection is not None:
            reflection_save(user=user, step=step, text=reflection)
        progress.current_step = next_step(steps=steps, step=step) or step
        progress.save(update_fields=["current_step", "updated_at"])
        _complete_if_done(progress=progress, steps=steps)
    return progress


def progress_take_break(*, user: User, module: Module, step: Step, reflection: str | None = None) -> ModuleProgress:
    """Save the learner's place at this step (and what they wrote so far, for a reflection) without marking it
    done. Side effects: ModuleProgress and Reflection rows."""
    with transaction.atomic():
        progress = _progress_for_update(user=user, module=module)
        progress.current_step = step
        progress.save(update_fields=["current_step", "updated_at"])
        if reflection:
            reflection_save(user=user, step=step, text=reflection)
    return progress


def check_submit(
    *, user: User, module: Module, steps: list[Step], step: Step, questions: list[Question], answers: dict[int, int]
) -> CheckAttempt:
    """Record a go at a knowledge check. Passing marks the step done (and may complete the module).

    Raises ValidationError (see check_grade) for a missing or foreign answer; nothing is written then.
    Side effects: CheckAttempt, StepCompletion, ModuleProgress and Certificate rows.
    """
    result = check_grade(module=module, questions=questions, answers=answers)
    with transaction.atomic():
        progress = _progress_for_update(user=user, module=module)
        attempt = CheckAttempt.objects.create(
            progress=progress, step=step, answers=result.answers, score=result.score, passed=result.passed
        )
        progress.current_step = step
        if result.passed:
            StepCompletion.objects.get_or_create(progress=progress, step=step)
            progress.current_step = next_step(steps=steps, step=step) or step
        progress.save(update_fields=["current_step", "updated_at"])
        _complete_if_done(progress=progress, steps=steps)
    return attempt


def reflection_save(*, user: User, step: Step, text: str) -> Reflection | None:
    """Keep the learner's answer to a reflective question, private to them. Empty text removes a saved answer."""
    text = text.strip()
    if not text:
        Reflection.objects.filter(user=user, step=step).delete()
        return None
    reflection, _ = Reflection.objects.update_or_create(user=user, step=step, defaults={"text": text})
    return reflection


def confidence_save(
    *, user: User, module: Module, before: int | None, after: int | None, comment: str
) -> ModuleProgress:
    """How confident the learner felt applying this before and after the module (1 to 5), and an optional comment.
    Only for a completed module. Raises ValueError otherwise."""
    progress = ModuleProgress.objects.filter(user=user, module=module).first()
    if progress is None or progress.completed_at is None:
        raise ValueError("Confidence is asked after completing the module.")
    progress.confidence_before = before
    progress.confidence_after = after
    progress.confidence_comment = comment.strip()
    progress.save(update_fields=["confidence_before", "confidence_after", "confidence_comment", "updated_at"])
    return progress


# Certificates ----------------------------------------------------------------------------------------------------


def certificate_issue(*, progress: ModuleProgress) -> Certificate:
    """Issue the certificate for a completed module (once: a second call returns the same certificate).

    Rule: it is issued without a name. The community display name may be a pseudonym, and the name is shown on the
    public check page, so the learner writes the name they want first (certificate_rename); until then the PDF is
    not given out and the check page does not find it. The code stays the same when the name changes.
    Raises ValueError if the module is not complete. Safe to call from two requests at once.
    """
    if progress.completed_at is None:
        raise ValueError("A certificate is issued when the module is complete.")
    existing = Certificate.objects.filter(user_id=progress.user_id, module_id=progress.module_id).first()
    if existing:
        return existing
    module = Module.objects.select_related("resource").get(pk=progress.module_id)
    levels = ", ".join(level.name for level in module.resource.levels.all())
    # Two requests finishing the module at once (a double click, two tabs) may both get here: get_or_create inserts
    # in a savepoint and, if the other one won, returns its certificate instead of raising IntegrityError.
    certificate, _ = Certificate.objects.get_or_create(
        user_id=progress.user_id,
        module_id=progress.module_id,
        defaults={
            "learner_name": "",
            "module_title": module.resource.title,
            "level_name": levels,
            "completed_on": timezone.localdate(progress.completed_at),
        },
    )
    return certificate


def certificate_issue_for(*, user: User, module: Module) -> Certificate:
    """The explicit "get my certificate" for a module the learner completed whose certificate is missing (it is
    normally issued by the step that completes the module). Raises ValueError if they have not completed it."""
    progress = ModuleProgress.objects.filter(user=user, module=module).first()
    if progress is None:
        raise ValueError("A certificate is issued when the module is complete.")
    return certificate_issue(progress=progress)


def certificate_rename(*, certificate: Certificate, learner_name: str) -> Certificate:
    """Correct the name on a certificate. It is re-issued with the same code, so a copy already shared still checks
    out. Side effects: updates the certificate's name and issue time."""
    certificate.learner_name = learner_name.strip()
    certificate.issued_at = timezone.now()
    certificate.save(update_fields=["learner_name", "issued_at"])
    return certificate


# Saved resources and learning done elsewhere ---------------------------------------------------------------------


def resource_save(*, user: User, resource: Resource) -> None:
    SavedResource.objects.get_or_create(user=user, resource=resource)


def resource_unsave(*, user: User, resource: Resource) -> None:
    SavedResource.objects.filter(user=user, resource=resource).delete()


def external_completion_record(
    *, user: User, resource: Resource, completed_on: date, note: str = ""
) -> ExternalCompletion:
    """The learner's own record that they finished a resource outside this portal (for example on Turas Learn).

    Rule: not for a module in this portal (that is recorded as they go) and not in the future. Raises ValueError.
    """
    if Module.objects.filter(resource=resource).exists():
        raise ValueError("Modules in this portal are recorded as you go.")
    if completed_on > timezone.localdate():
        raise ValueError("The date cannot be in the future.")
    completion, _ = ExternalCompletion.objects.update_or_create(
        user=user, resource=resource, defaults={"completed_on": completed_on, "note": note.strip()}
    )
    return completion


def external_completion_remove(*, user: User, resource: Resource) -> None:
    ExternalCompletion.objects.filter(user=user, resource=resource).delete()


# Deleting --------------------------------------------------------------------------------------------------------


def reflection_delete(*, user: User, reflection_id: int) -> bool:
    """Delete one of the learner's reflections. Someone else's is left alone (and reported as not found)."""
    deleted, _ = Reflection.objects.filter(user=user, pk=reflection_id).delete()
    return bool(deleted)


def reflections_delete_all(*, user: User) -> int:
    deleted, _ = Reflection.objects.filter(user=user).delete()
    return deleted


def learning_record_delete(*, user: User) -> None:
    """Delete a person's whole learning record: progress in every module (with their answers and confidence
    ratings), reflections, certificates (whose codes then no longer check out), learning recorded from elsewhere
    and saved resources. Their account stays. Cannot be undone."""
    with transaction.atomic():
        Reflection.objects.filter(user=user).delete()
        Certificate.objects.filter(user=user).delete()
        ModuleProgress.objects.filter(user=user).delete()  # cascades to step completions and check attempts
        ExternalCompletion.objects.filter(user=user).delete()
        SavedResource.objects.filter(user=user).delete()
