"""Views for e-learning: the module player, certificates, pathways and My learning.

Every page works without JavaScript: moving through a module is plain links and forms. Views check access, bind a
form, call a selector or service and render or redirect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST

from portal.ratelimits import rate_limit
from portal.spreadsheets import csv_response
from training import certificates as pdf
from training import exports
from training import learning_selectors as selectors
from training import learning_services as services
from training.learning_forms import (
    CertificateNameForm,
    CheckForm,
    ConfidenceForm,
    DeleteConfirmForm,
    ExternalCompletionForm,
    ReflectionForm,
)
from training.models import Module, Resource, Step

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
anonymous_post_limit = rate_limit(group="training:module-anonymous", rate=_anonymous_post_rate)


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


# Certificates ----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def certificate_download(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_owner(user=request.user, code=code)
    if not certificate.learner_name:
        messages.info(request, "Tell us the name to print on your certificate first.")
        return redirect("training:certificate-name", code=certificate.code)
    content = pdf.certificate_pdf(certificate=certificate, site_url=settings.SITE_URL)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def certificate_name(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_owner(user=request.user, code=code)
    form = CertificateNameForm(
        request.POST if request.method == "POST" else None,
        initial={"learner_name": certificate.learner_name or request.user.display_name},
    )
    if request.method == "POST" and form.is_valid():
        first_time = not certificate.learner_name
        services.certificate_rename(certificate=certificate, learner_name=form.cleaned_data["learner_name"])
        resource = certificate.module.resource
        if first_time and resource.published_at and resource.published_at <= timezone.now():
            # Back to the end of the module: the download, the check page and the confidence questions are there.
            messages.success(request, "Your certificate is ready to download.")
            return redirect("training:module-complete", slug=resource.slug)
        messages.success(request, "The name on your certificate is updated. Download it again to get the new copy.")
        return redirect("training:my-learning")
    return render(request, "training/certificate_name.html", {"certificate": certificate, "form": form})


@require_http_methods(["GET"])
def certificate_check(request: HttpRequest) -> HttpResponse:
    """Where someone types a code from a certificate they were shown."""
    code = request.GET.get("code", "").strip().replace(" ", "").upper()
    if code:
        if code.isalnum() and len(code) <= 20:
            return redirect("training:certificate-verify", code=code)
        return render(request, "training/certificate_not_found.html", {"code": code}, status=404)
    return render(request, "training/certificate_check.html")


@require_http_methods(["GET"])
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: confirms a certificate is genuine by showing exactly what is printed on it (name, module, level,
    date) and nothing else about the person."""
    try:
        certificate = selectors.certificate_get_public(code=code)
    except Http404:
        return render(request, "training/certificate_not_found.html", {"code": code}, status=404)
    return render(request, "training/certificate_verify.html", {"certificate": certificate})


# Pathways --------------------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def pathway_list(request: HttpRequest) -> HttpResponse:
    return render(request, "training/pathway_list.html", {"pathways": selectors.pathway_list()})


@require_http_methods(["GET"])
def pathway_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pathway = selectors.pathway_get(slug=slug)
    progress = selectors.pathway_progress(pathway=pathway, user=request.user)
    return render(
        request,
        "training/pathway_detail.html",
        {"pathway": pathway, "progress": progress, "sign_in_url": _sign_in_url(request)},
    )


# Saved resources and learning done elsewhere ---------------------------------------------------------------------


def _resource_or_404(slug: str) -> Resource:
    try:
        return Resource.objects.published().get(slug=slug)
    except Resource.DoesNotExist:
        raise Http404("No resource with this address.") from None


def _back(request: HttpRequest, resource: Resource) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return resource.get_absolute_url()


@login_required
@require_POST
def resource_save(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _resource_or_404(slug)
    if request.POST.get("action") == "remove":
        services.resource_unsave(user=request.user, resource=resource)
        messages.success(request, f"Removed “{resource.title}” from your saved resources.")
    else:
        services.resource_save(user=request.user, resource=resource)
        messages.success(request, f"Saved “{resource.title}”. You will find it in My learning.")
    return redirect(_back(request, resource))


@login_required
@require_http_methods(["GET", "POST"])
def external_completion(request: HttpRequest, slug: str) -> HttpResponse:
    """'I completed this': the learner's own record of a resource finished outside this portal."""
    resource = _resource_or_404(slug)
    if Module.objects.filter(resource=resource).exists():
        raise Http404("Modules in this portal are recorded as you go.")
    if request.method == "POST" and request.POST.get("action") == "remove":
        services.external_completion_remove(user=request.user, resource=resource)
        messages.success(request, f"Removed “{resource.title}” from your completed learning.")
        return redirect(_back(request, resource))
    form = ExternalCompletionForm(
        request.POST if request.method == "POST" else None, initial={"completed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        services.external_completion_record(
            user=request.user, resource=resource, completed_on=form.cleaned_data["completed_on"]
        )
        messages.success(request, f"Added “{resource.title}” to your learning record.")
        return redirect(_back(request, resource))
    return render(
        request,
        "training/my_learning_external.html",
        {"resource": resource, "form": form, "next": _back(request, resource)},
    )


# My learning -----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def my_learning(request: HttpRequest) -> HttpResponse:
    if services.SESSION_KEY in request.session:
        services.session_progress_merge(user=request.user, session=request.session)
    record = selectors.learning_record(user=request.user)
    return render(request, "training/my_learning.html", {"record": record})


@login_required
@require_http_methods(["GET"])
def my_learning_export_csv(request: HttpRequest) -> HttpResponse:
    record = selectors.learning_record(user=request.user)
    rows = exports.learning_record_rows(record)
    return csv_response(exports.LEARNING_RECORD.csv_bytes(rows), filename="learning-record.csv")


@login_required
@require_http_methods(["GET"])
def my_learning_export_pdf(request: HttpRequest) -> HttpResponse:
    record = selectors.learning_record(user=request.user)
    content = pdf.learning_record_pdf(
        record=record, user=request.user, site_url=settings.SITE_URL, today=timezone.localdate()
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="learning-record.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reflection_delete(request: HttpRequest, reflection_id: int) -> HttpResponse:
    reflection = selectors.reflection_get_for_owner(user=request.user, reflection_id=reflection_id)
    if request.method == "POST":
        services.reflection_delete(user=request.user, reflection_id=reflection.pk)
        messages.success(request, "Your reflection is deleted.")
        return redirect("training:my-learning")
    return render(request, "training/my_learning_reflection_delete.html", {"reflection": reflection})


@login_required
@require_http_methods(["GET", "POST"])
def reflections_delete_all(request: HttpRequest) -> HttpResponse:
    form = DeleteConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        count = services.reflections_delete_all(user=request.user)
        messages.success(request, f"Your reflections are deleted ({count}).")
        return redirect("training:my-learning")
    return render(
        request,
        "training/my_learning_reflections_delete.html",
        {"form": form, "count": selectors.reflection_count(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def learning_record_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.learning_record_delete(user=request.user)
        messages.success(request, "Your learning record is deleted. Your account is still here.")
        return redirect("training:my-learning")
    return render(request, "training/my_learning_delete.html", {"form": form})
