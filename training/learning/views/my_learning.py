"""My learning: the learning record, saved resources, learning done elsewhere, exports and deleting."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.http import AuthenticatedHttpRequest
from portal.spreadsheets import csv_response
from training import certificates as pdf
from training import exports
from training.learning import records, selectors, services
from training.learning.forms import (
    DeleteConfirmForm,
    ExternalCompletionForm,
)
from training.models import Module, Resource
from training.permissions import reflection_get_for_user, resource_get_for_user

# Saved resources and learning done elsewhere ---------------------------------------------------------------------


def _back(request: HttpRequest, resource: Resource) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return resource.get_absolute_url()


@login_required
@require_POST
def resource_save(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    resource = resource_get_for_user(slug=slug, user=request.user)
    if request.POST.get("action") == "remove":
        services.resource_unsave(user=request.user, resource=resource)
        messages.success(request, f"Removed “{resource.title}” from your saved resources.")
    else:
        services.resource_save(user=request.user, resource=resource)
        messages.success(request, f"Saved “{resource.title}”. You will find it in My learning.")
    return redirect(_back(request, resource))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def external_completion(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """'I completed this': the learner's own record of a resource finished outside this portal."""
    resource = resource_get_for_user(slug=slug, user=request.user)
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
@require_safe
def my_learning(request: AuthenticatedHttpRequest) -> HttpResponse:
    record = records.learning_record(user=request.user)
    return render(request, "training/my_learning.html", {"record": record})


@login_required
@require_safe
def my_learning_export_csv(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    record = records.learning_record(user=request.user)
    rows = exports.learning_record_rows(record)
    return csv_response(exports.LEARNING_RECORD.csv_bytes(rows), filename="learning-record.csv")


@login_required
@require_safe
def my_learning_export_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    record = records.learning_record(user=request.user)
    content = pdf.learning_record_pdf(
        record=record, user=request.user, site_url=settings.SITE_URL, today=timezone.localdate()
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="learning-record.pdf"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reflection_delete(request: AuthenticatedHttpRequest, reflection_id: int) -> HttpResponse:
    reflection = reflection_get_for_user(user=request.user, reflection_id=reflection_id)
    if request.method == "POST":
        services.reflection_delete(user=request.user, reflection_id=reflection.pk)
        messages.success(request, "Your reflection is deleted.")
        return redirect("training:my-learning")
    return render(request, "training/my_learning_reflection_delete.html", {"reflection": reflection})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reflections_delete_all(request: AuthenticatedHttpRequest) -> HttpResponse:
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
@require_http_methods(["GET", "HEAD", "POST"])
def learning_record_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.learning_record_delete(user=request.user)
        messages.success(request, "Your learning record is deleted. Your account is still here.")
        return redirect("training:my-learning")
    return render(request, "training/my_learning_delete.html", {"form": form})
