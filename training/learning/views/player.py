"""The module player: a module's front page, its steps, knowledge-check results, breaks and the end of the module.

Every page works without JavaScript: moving through a module is plain links and forms. Views check access, bind a
form, call a selector or service and render or redirect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from portal.ratelimits import client_ip
from training.learning import selectors, services
from training.learning.forms import (
    CheckForm,
    ConfidenceForm,
    ReflectionForm,
)
from training.models import Module, Step

# The learner's place in a module, signed in (database) or not (session) -----------------------------------------


@dataclass
class LearnerState:
    signed_in: bool
    started: bool
    done_step_ids: set[int] = field(default_factory=set)
    current_step_id: int | None = None
    completed_at: object = None
    progress: object = None

    def resume_step_id(self, steps: list[Step]) -> int | None:
        ids = [step.pk for step in steps]
        if self.current_step_id in ids:
            return self.current_step_id
        for step in steps:  # the first step not yet done
            if step.pk not in self.done_step_ids:
                return step.pk
        return ids[0] if ids else None


def _learner_state(request: HttpRequest, module: Module) -> LearnerState:
    if request.user.is_authenticated:
        if services.SESSION_KEY in request.session:  # signed in some other way since: keep what they did
            services.session_progress_merge(user=request.user, session=request.session)
        progress = selectors.progress_get(user=request.user, module=module)
        if progress is None:
            return LearnerState(signed_in=True, started=False)
        return LearnerState(
            signed_in=True,
            started=True,
            done_step_ids=progress.done_step_ids,
            current_step_id=progress.current_step_id,
            completed_at=progress.completed_at,
            progress=progress,
        )
    anonymous = services.AnonymousProgress.load(request.session, module)
    return LearnerState(
        signed_in=False,
        started=anonymous.started,
        done_step_ids=anonymous.done_step_ids,
        current_step_id=anonymous.current,
        progress=anonymous,
    )


def _warning_needed(request: HttpRequest, module: Module) -> bool:
    """A module with a content warning shows it first, once in each browser session."""
    if not module.resource.content_warning:
        return False
    return module.pk not in request.session.get(services.WARNING_SESSION_KEY, [])


def _wanted_step(request: HttpRequest, steps: list[Step]) -> Step | None:
    """The step named in ?step=, if it is one of this module's (anything else is ignored)."""
    wanted = request.GET.get("step", "")
    return next((step for step in steps if str(step.pk) == wanted), None)


def _mark_warning_seen(request: HttpRequest, module: Module) -> None:
    """The person chose to go on after the warning (here or on the resource page, which shows the same warning)."""
    if not module.resource.content_warning:
        return
    seen = list(request.session.get(services.WARNING_SESSION_KEY, []))
    if module.pk not in seen:
        request.session[services.WARNING_SESSION_KEY] = [*seen, module.pk]


def _sign_in_url(request: HttpRequest, next_url: str | None = None) -> str:
    return f"{reverse('account_login')}?{urlencode({'next': next_url or request.get_full_path()})}"


def _sign_up_url(request: HttpRequest, next_url: str | None = None) -> str:
    return f"{reverse('account_signup')}?{urlencode({'next': next_url or request.get_full_path()})}"


def _step_url(module: Module, step: Step | int) -> str:
    step_id = step if isinstance(step, int) else step.pk
    return reverse("training:module-step", args=[module.resource.slug, step_id])


def _step_rows(steps: list[Step], state: LearnerState, current: Step | None = None) -> list[dict]:
    return [
        {
            "step": step,
            "number": number,
            "done": step.pk in state.done_step_ids,
            "current": current is not None and step.pk == current.pk,
            "url": _step_url(step.module, step),
        }
        for number, step in enumerate(steps, start=1)
    ]


def _attach_module(module: Module, steps: list[Step]) -> None:
    # Steps were prefetched through the module; point them back at it so step.module costs no query.
    for step in steps:
        step.module = module


# The module player -----------------------------------------------------------------------------------------------


def _anonymous_post_rate(group: str, request: HttpRequest) -> str | None:
    """People without an account can do every step, and what they write (reflections up to 5,000 characters, check
    answers) is kept in a session row: so many steps a minute from one address, far more than anyone reads. Signed-in
    learners are not limited here."""
    return None if request.user.is_authenticated else "60/m"


# One count for the whole module player; over it, RatelimitMiddleware answers with the kind 429 page.
anonymous_post_limit = ratelimit(
    group="training:module-anonymous", key=client_ip, rate=_anonymous_post_rate, method="POST", block=True
)


@require_http_methods(["GET", "POST"])
@anonymous_post_limit
def module_start(request: HttpRequest, slug: str) -> HttpResponse:
    module = selectors.module_get_for_player(slug=slug, user=request.user)
    steps = selectors.module_steps(module)
    _attach_module(module, steps)
    wanted = _wanted_step(request, steps)
    if request.GET.get("continue") == "1" or request.POST.get("continue") == "1":
        _mark_warning_seen(request, module)
        if wanted is not None:  # they were on their way to a step (a resume link) when the warning came up
            return redirect(_step_url(module, wanted))
    if _warning_needed(request, module):
        return render(
            request,
            "training/module_warning.html",
            {"module": module, "resource": module.resource, "wanted": wanted},
        )
    state = _learner_state(request, module)
    if request.method == "POST":
        if not request.user.is_authenticated or not steps:
            return redirect("training:module-start", slug=slug)
        services.progress_start(user=request.user, module=module, steps=steps)
        state = _learner_state(request, module)
        return redirect(_step_url(module, state.resume_step_id(steps)))
    resume_id = state.resume_step_id(steps)
    return render(
        request,
        "training/module_start.html",
        {
            "module": module,
            "resource": module.resource,
            "steps": steps,
            "rows": _step_rows(steps, state),
            "state": state,
            "resume_url": _step_url(module, resume_id) if resume_id else "",
            "sign_in_url": _sign_in_url(request),
            "sign_up_url": _sign_up_url(request),
        },
    )


def _step_or_not_found(request: HttpRequest, module: Module, step_id: int) -> Step | HttpResponse:
    try:
        return selectors.step_get(module=module, step_id=step_id)
    except Http404:
        return render(
            request,
            "training/module_step_not_found.html",
            {"module": module, "resource": module.resource},
            status=404,
        )


@require_http_methods(["GET", "POST"])
@anonymous_post_limit
def module_step(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    module = selectors.module_get_for_player(slug=slug, user=request.user)
    steps = selectors.module_steps(module)
    _attach_module(module, steps)
    step = _step_or_not_found(request, module, step_id)
    if isinstance(step, HttpResponse):
        return step
    if _warning_needed(request, module):
        return redirect(f"{reverse('training:module-start', args=[slug])}?{urlencode({'step': step.pk})}")
    state = _learner_state(request, module)
    questions = selectors.check_questions(step=step) if step.kind == Step.Kind.CHECK else []
    form = None
    if step.kind == Step.Kind.CHECK:
        form = CheckForm(request.POST if request.method == "POST" else None, questions=questions)
    elif step.kind == Step.Kind.REFLECTION:
        initial = ""
        if request.user.is_authenticated:
            initial = selectors.reflection_text(user=request.user, step=step)
        else:
            initial = state.progress.reflections.get(str(step.pk), "")
        form = ReflectionForm(request.POST if request.method == "POST" else None, initial={"text": initial})

    if request.method == "POST":
        action = request.POST.get("action", "continue")
        taking_break = action == "break"
        # A break never needs the check answered, but an over-long reflection is said so rather than lost.
        needs_valid = not taking_break or step.kind == Step.Kind.REFLECTION
        if form is not None and needs_valid and not form.is_valid():
            # Like every other form here: 400 with the error summary, and nothing saved. Browsers show it as usual.
            return _render_step(request, module, steps, step, state, form, questions, status=400)
        reflection = None
        # A form sent without the text field leaves a saved reflection alone; an emptied field removes it.
        if step.kind == Step.Kind.REFLECTION and "text" in request.POST:
            reflection = form.cleaned_data["text"] if form.is_valid() else None
        if taking_break:
            _take_break(request, module, step, reflection)
            return redirect("training:module-break", slug=slug)
        if step.kind == Step.Kind.CHECK:
            try:
                if request.user.is_authenticated:
                    services.check_submit(
                        user=request.user,
                        module=module,
                        steps=steps,
                        step=step,
                        questions=questions,
                        answers=form.answers(),
                    )
                else:
                    services.anonymous_check_submit(
                        session=request.session,
                        module=module,
                        steps=steps,
                        step=step,
                        questions=questions,
                        answers=form.answers(),
                    )
            except ValidationError as error:  # the form already checks this; the service is the last word
                for key, problems in error.message_dict.items():
                    form.add_error(key if key in form.fields else None, problems)
                return _render_step(request, module, steps, step, state, form, questions, status=400)
            return redirect("training:module-step-result", slug=slug, step_id=step.pk)
        if request.user.is_authenticated:
            progress = services.step_complete(
                user=request.user, module=module, steps=steps, step=step, reflection=reflection
            )
            finished = progress.completed_at is not None
            done = set(progress.completions.values_list("step_id", flat=True))
        else:
            anonymous = services.anonymous_step_complete(
                session=request.session, module=module, steps=steps, step=step, reflection=reflection
            )
            done = anonymous.done_step_ids
            finished = services.module_is_complete(steps=steps, done_step_ids=done)
        following = services.next_step(steps=steps, step=step)
        if finished or following is None:
            return redirect("training:module-complete", slug=slug)
        return redirect(_step_url(module, following))

    if request.user.is_authenticated and state.started:
        services.progress_save_position(user=request.user, module=module, step=step)
    return _render_step(request, module, steps, step, state, form, questions)


def _take_break(request: HttpRequest, module: Module, step: Step, reflection: str | None) -> None:
    if request.user.is_authenticated:
        services.progress_take_break(user=request.user, module=module, step=step, reflection=reflection)
    else:
        services.anonymous_take_break(session=request.session, module=module, step=step, reflection=reflection)


def _render_step(request, module, steps, step, state, form, questions, status=200) -> HttpResponse:
    number = [s.pk for s in steps].index(step.pk) + 1
    previous = services.previous_step(steps=steps, step=step)
    following = services.next_step(steps=steps, step=step)
    return render(
        request,
        "training/module_step.html",
        {
            "module": module,
            "resource": module.resource,
            "steps": steps,
            "step": step,
            "number": number,
            "total": len(steps),
            "rows": _step_rows(steps, state, current=step),
            "previous_url": _step_url(module, previous) if previous else "",
            "previous_step": previous,
            "next_url": _step_url(module, following) if following else "",
            "next_step": following,
            "done": step.pk in state.done_step_ids,
            "state": state,
            "form": form,
            "questions": questions,
            "sign_in_url": _sign_in_url(request),
            "sign_up_url": _sign_up_url(request),
        },
        status=status,
    )


@require_http_methods(["GET"])
def module_step_result(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    """The last go at a knowledge check: the score and, for every answer offered, why it is or is not right."""
    module = selectors.module_get_for_player(slug=slug, user=request.user)
    steps = selectors.module_steps(module)
    _attach_module(module, steps)
    step = _step_or_not_found(request, module, step_id)
    if isinstance(step, HttpResponse):
        return step
    if step.kind != Step.Kind.CHECK:
        return redirect(_step_url(module, step))
    state = _learner_state(request, module)
    attempt = None
    if request.user.is_authenticated and state.progress is not None:
        latest = selectors.latest_attempt(progress=state.progress, step=step)
        if latest:
            attempt = {"answers": latest.answers, "score": latest.score, "passed": latest.passed}
    elif not request.user.is_authenticated:
        attempt = state.progress.attempts.get(str(step.pk))
    if attempt is None:
        return redirect(_step_url(module, step))
    questions = selectors.check_questions(step=step)
    results = []
    for number, question in enumerate(questions, start=1):
        chosen = attempt["answers"].get(str(question.pk))
        options = list(question.options.all())
        results.append(
            {
                "number": number,
                "question": question,
                "options": [{"option": option, "chosen": option.pk == chosen} for option in options],
                "right": any(option.pk == chosen and option.is_correct for option in options),
            }
        )
    following = services.next_step(steps=steps, step=step)
    finished = services.module_is_complete(steps=steps, done_step_ids=state.done_step_ids)
    return render(
        request,
        "training/module_step_result.html",
        {
            "module": module,
            "resource": module.resource,
            "step": step,
            "number": [s.pk for s in steps].index(step.pk) + 1,
            "total": len(steps),
            "attempt": attempt,
            "results": results,
            "correct": sum(1 for row in results if row["right"]),
            "next_url": (
                reverse("training:module-complete", args=[slug])
                if finished or following is None
                else _step_url(module, following)
            ),
            "retry_url": _step_url(module, step),
            "sign_in_url": _sign_in_url(request),
        },
    )


@require_http_methods(["GET"])
def module_break(request: HttpRequest, slug: str) -> HttpResponse:
    module = selectors.module_get_for_player(slug=slug, user=request.user)
    steps = selectors.module_steps(module)
    _attach_module(module, steps)
    state = _learner_state(request, module)
    resume_id = state.resume_step_id(steps)
    resume_url = _step_url(module, resume_id) if resume_id else ""
    return render(
        request,
        "training/module_break.html",
        {
            "module": module,
            "resource": module.resource,
            "state": state,
            "resume_url": resume_url,
            "resume_number": [s.pk for s in steps].index(resume_id) + 1 if resume_id else None,
            "total": len(steps),
            "sign_in_url": _sign_in_url(request, resume_url),
            "sign_up_url": _sign_up_url(request, resume_url),
        },
    )


@require_http_methods(["GET", "POST"])
def module_complete(request: HttpRequest, slug: str) -> HttpResponse:
    """The end of a module: the certificate and two questions about confidence, or what is left to do."""
    module = selectors.module_get_for_player(slug=slug, user=request.user)
    steps = selectors.module_steps(module)
    _attach_module(module, steps)
    state = _learner_state(request, module)
    finished = (
        state.completed_at is not None
        if request.user.is_authenticated
        else services.module_is_complete(steps=steps, done_step_ids=state.done_step_ids)
    )
    certificate = None
    form = None
    if request.user.is_authenticated and finished:
        progress = state.progress
        certificate = services.certificate_issue(progress=progress)
        initial = {
            "confidence_before": progress.confidence_before,
            "confidence_after": progress.confidence_after,
            "comment": progress.confidence_comment,
        }
        form = ConfidenceForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            services.confidence_save(
                progress=progress,
                before=form.cleaned_data["confidence_before"],
                after=form.cleaned_data["confidence_after"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, "Thank you. Your answers help us make the training better.")
            return redirect("training:module-complete", slug=slug)
    elif request.method == "POST":
        return redirect("training:module-complete", slug=slug)
    remaining = [
        row
        for row in _step_rows(steps, state)
        if (row["step"].required or row["step"].kind == Step.Kind.CHECK) and not row["done"]
    ]
    return render(
        request,
        "training/module_complete.html",
        {
            "module": module,
            "resource": module.resource,
            "finished": finished,
            "remaining": remaining,
            "certificate": certificate,
            "form": form,
            "state": state,
            "answered": state.progress is not None and getattr(state.progress, "confidence_after", None) is not None,
            "sign_in_url": _sign_in_url(request),
            "sign_up_url": _sign_up_url(request),
        },
    )
