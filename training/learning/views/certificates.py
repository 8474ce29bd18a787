"""Certificates: the PDF, the name printed on it, and the public check."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from portal.http import AuthenticatedHttpRequest
from training import certificates as pdf
from training.learning import selectors, services
from training.learning.forms import (
    CertificateNameForm,
)
from training.permissions import certificate_get_for_user


@login_required
@require_safe
def certificate_download(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    certificate = certificate_get_for_user(user=request.user, code=code)
    if not certificate.learner_name:
        messages.info(request, "Tell us the name to print on your certificate first.")
        return redirect("training:certificate-name", code=certificate.code)
    content = pdf.certificate_pdf(certificate=certificate, site_url=settings.SITE_URL)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def certificate_name(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    certificate = certificate_get_for_user(user=request.user, code=code)
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


@require_safe
def certificate_check(request: HttpRequest) -> HttpResponse:
    """Where someone types a code from a certificate they were shown."""
    # As printed on the certificate ("4KQ2-MX9P-RT4B"), or typed with spaces or in lower case: all the same code.
    code = selectors.certificate_code_normalise(request.GET.get("code", ""))
    if code:
        if code.isalnum() and len(code) <= 20:
            return redirect("training:certificate-verify", code=code)
        return render(request, "training/certificate_not_found.html", {"code": code}, status=404)
    return render(request, "training/certificate_check.html")


@require_safe
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: confirms a certificate is genuine by showing exactly what is printed on it (name, module, level,
    date) and nothing else about the person."""
    try:
        certificate = selectors.certificate_get_public(code=code)
    except Http404:
        return render(request, "training/certificate_not_found.html", {"code": code}, status=404)
    return render(request, "training/certificate_verify.html", {"certificate": certificate})
