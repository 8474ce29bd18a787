"""The module player: a module's front page, its steps, knowledge-check results, breaks and the end of the module.

Every page works without JavaScript: moving through a module is plain links and forms. Each view asks
`learner_for(request)` once (signed in or not is decided there, nowhere else), reads the page with
`selectors.player_get` and, on POST only, writes through the learner. A GET never writes: not progress, not the
place in the module, not a certificate, not the session.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_safe

from portal.ratelimits import rate_limit
from training.learning import selectors
from training.learning.forms import CheckForm, ConfidenceForm, ReflectionForm
from training.learning.learners import Learner, learner_for
from training.learning.selectors import Player, StepNotFound
from training.learning.views.links import sign_in_url, sign_up_url
from training.models import Step


def _step_url(player: Player, step: Step | None) -> str:
    return reverse("training:module-step", args=[player.resource.slug, step.pk]) if step else ""


def _warning_needed(learner: Learner, player: Player) -> bool:
    """A module with a content warning shows it first, once in each browser session."""
    return bool(player.resource.content_warning) and not learner.warning_seen(module=player.module)


def _wanted_step(request: HttpRequest, player: Player) -> Step | None:
    """The step named in ?step= (or a form's step field), if it is one of this module's; anything else is ignored."""
    wanted = request.POST.get("step", "") if request.method == "POST" else request.GET.get("step", "")
    return next((step for step in player.steps if str(step.pk) == wanted), None)


def _step_not_found(request: HttpRequest, error: StepNotFound) -> HttpResponse:
    return render(
        request,
        "training/module_step_not_found.html",
        {"module": error.module, "resource": error.module.resource},
        status=404,
    )


def _anonymous_post_rate(group: str, request: HttpRequest) -> str | None:
    """People without an account can do every step, and what they write (reflections up to 5,000 characters, check
    answers) is kept in a session row: so many steps a minute from one address, far more than anyone reads. Signed-in
    learners are not limited here."""
    return None if request.user.is_authenticated else "60/m"


# One count for the whole module player; over it, RatelimitMiddleware answers with the kind 429 page.
anonymous_post_limit = rate_limit(group="training:module-anonymous", rate=_anonymous_post_rate)


@require_http_methods(["GET", "HEAD", "POST"])
@anonymous_post_limit
def module_start(request: HttpRequest, slug: str) -> HttpResponse:
    """The content warning (if the module has one and it has not been passed in this session), else the module's
    front page.

    POST `continue=1` is "Continue to the module" past the warning: it is remembered for this browser session and
    the person goes on to the step they were heading for (`step`), or the front page. Any other POST, and one with
    `action=start` too (the front page's buttons), starts the module or returns to it: at `step` if given, else
    where they left off.
    """
    learner = learner_for(request)
    player = selectors.player_get(learner=learner, slug=slug)
    wanted = _wanted_step(request, player)
    if request.method == "POST":
        if request.POST.get("continue") == "1":
            learner.warning_acknowledge(module=player.module)
            if request.POST.get("action") != "start":
                return redirect(_step_url(player, wanted) if wanted else reverse("training:module-start", args=[slug]))
        elif _warning_needed(learner, player):
            return redirect("training:module-start", slug=slug)
        if not player.steps:
            return redirect("training:module-start", slug=slug)
        learner.start(module=player.module, steps=player.steps)
        return redirect(_step_url(player, wanted or player.resume_step))
    # ?continue=1 comes from the resource page, which showed the same warning: the choice is recorded by the POST
    # from this page's buttons, so the steps do not ask again.
    if _warning_needed(learner, player) and request.GET.get("continue") != "1":
        return render(
            request,
            "training/module_warning.html",
            {"module": player.module, "resource": player.resource, "wanted": wanted},
        )
    return render(
        request,
        "training/module_start.html",
        {
            "module": player.module,
            "resource": player.resource,
            "steps": player.steps,
            "rows": player.rows,
            "state": player.progress,
            "first_step": player.steps[0] if player.steps else None,
            "resume_step": player.resume_step,
            "sign_in_url": sign_in_url(request),
            "sign_up_url": sign_up_url(request),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@anonymous_post_limit
def module_step(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    learner = learner_for(request)
    try:
        player = selectors.player_get(learner=learner, slug=slug, step_id=step_id)
    except StepNotFound as error:
        return _step_not_found(request, error)
    step = player.shown_step
    if _warning_needed(learner, player):
        return redirect(f"{reverse('training:module-start', args=[slug])}?{urlencode({'step': step.pk})}")
    data = request.POST if request.method == "POST" else None
    form: CheckForm | ReflectionForm | None = None
    if step.kind == Step.Kind.CHECK:
        form = CheckForm(data, questions=player.questions)
    elif step.kind == Step.Kind.REFLECTION:
        form = ReflectionForm(data, initial={"text": player.reflection})
    if request.method != "POST":  # GET and HEAD only read
        return _render_step(request, player, form)

    taking_break = request.POST.get("action", "continue") == "break"
    # A break never needs the check answered, but an over-long reflection is said so rather than lost.
    needs_valid = not taking_break or step.kind == Step.Kind.REFLECTION
    if form is not None and needs_valid and not form.is_valid():
        # Like every other form here: 400 with the error summary, and nothing saved. Browsers show it as usual.
        return _render_step(request, player, form, status=400)
    reflection = None
    # A form sent without the text field leaves a saved reflection alone; an emptied field removes it.
    if isinstance(form, ReflectionForm) and "text" in request.POST:  # a reflection step
        reflection = form.cleaned_data["text"] if form.is_valid() else None
    if taking_break:
        learner.take_break(module=player.module, step=step, reflection=reflection)
        return redirect("training:module-break", slug=slug)
    if isinstance(form, CheckForm):  # a knowledge-check step
        try:
            learner.check_submit(
                module=player.module, steps=player.steps, step=step, questions=player.questions, answers=form.answers()
            )
        except ValidationError as error:  # the form already checks this; the service is the last word
            for key, problems in error.message_dict.items():
                form.add_error(key if key in form.fields else None, problems)
            return _render_step(request, player, form, status=400)
        return redirect("training:module-step-result", slug=slug, step_id=step.pk)
    finished = learner.step_done(module=player.module, steps=player.steps, step=step, reflection=reflection)
    if finished or player.next is None:
        return redirect("training:module-complete", slug=slug)
    return redirect(_step_url(player, player.next))


def _render_step(request: HttpRequest, player: Player, form: forms.Form | None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "training/module_step.html",
        {
            "module": player.module,
            "resource": player.resource,
            "steps": player.steps,
            "step": player.step,
            "number": player.number,
            "total": player.total,
            "rows": player.rows,
            "previous_url": _step_url(player, player.previous),
            "previous_step": player.previous,
            "next_url": _step_url(player, player.next),
            "next_step": player.next,
            "done": player.done,
            "state": player.progress,
            "form": form,
            "questions": player.questions,
            "sign_in_url": sign_in_url(request),
            "sign_up_url": sign_up_url(request),
        },
        status=status,
    )


@require_safe
def module_step_result(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    """The last go at a knowledge check: the score and, for every answer offered, why it is or is not right."""
    try:
        player = selectors.player_get(learner=learner_for(request), slug=slug, step_id=step_id, attempt=True)
    except StepNotFound as error:
        return _step_not_found(request, error)
    if player.shown_step.kind != Step.Kind.CHECK or player.attempt is None:
        return redirect(_step_url(player, player.step))
    review = player.review
    return render(
        request,
        "training/module_step_result.html",
        {
            "module": player.module,
            "resource": player.resource,
            "step": player.step,
            "number": player.number,
            "total": player.total,
            "attempt": player.attempt,
            "results": review,
            "correct": sum(1 for row in review if row.right),
            "next_url": (
                reverse("training:module-complete", args=[slug])
                if player.progress.finished or player.next is None
                else _step_url(player, player.next)
            ),
            "retry_url": _step_url(player, player.step),
            "sign_in_url": sign_in_url(request),
        },
    )


@require_safe
def module_break(request: HttpRequest, slug: str) -> HttpResponse:
    player = selectors.player_get(learner=learner_for(request), slug=slug)
    resume = player.resume_step
    resume_url = _step_url(player, resume)
    return render(
        request,
        "training/module_break.html",
        {
            "module": player.module,
            "resource": player.resource,
            "state": player.progress,
            "resume_url": resume_url,
            "resume_number": player.steps.index(resume) + 1 if resume else None,
            "total": player.total,
            "sign_in_url": sign_in_url(request, resume_url),
            "sign_up_url": sign_up_url(request, resume_url),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def module_complete(request: HttpRequest, slug: str) -> HttpResponse:
    """The end of a module: the certificate and two questions about confidence, or what is left to do.

    The certificate is issued by the POST that completes the module. A completed module without one (a record from
    before certificates, say) offers a button that POSTs `action=certificate`; this page never issues on GET.
    """
    learner = learner_for(request)
    player = selectors.player_get(learner=learner, slug=slug, certificate=True)
    progress = player.progress
    with_record = learner.keeps_record and progress.finished
    if request.method == "POST" and not with_record:
        return redirect("training:module-complete", slug=slug)
    if request.method == "POST" and request.POST.get("action") == "certificate":
        learner.certificate_issue(module=player.module)
        return redirect("training:module-complete", slug=slug)
    form = None
    if with_record:
        initial = {
            "confidence_before": progress.confidence_before,
            "confidence_after": progress.confidence_after,
            "comment": progress.confidence_comment,
        }
        form = ConfidenceForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            learner.confidence_save(
                module=player.module,
                before=form.cleaned_data["confidence_before"],
                after=form.cleaned_data["confidence_after"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, "Thank you. Your answers help us make the training better.")
            return redirect("training:module-complete", slug=slug)
    return render(
        request,
        "training/module_complete.html",
        {
            "module": player.module,
            "resource": player.resource,
            "finished": progress.finished,
            "with_record": with_record,
            "remaining": player.remaining,
            "certificate": player.certificate,
            "form": form,
            "state": progress,
            "answered": progress.confidence_after is not None,
            "sign_in_url": sign_in_url(request),
            "sign_up_url": sign_up_url(request),
        },
    )
