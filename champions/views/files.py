"""Files shared with champions, served only through the portal (never from MEDIA_URL): a PDF shared with a cohort
and an area's improvement plan. Each is checked again as a PDF before it goes out, always as a download."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views import View

from champions.permissions import plan_get_for_user, shared_resource_get_for_user
from portal import uploads


def _pdf_response(stored: FieldFile, filename: str) -> FileResponse:
    if not stored or not uploads.is_pdf(stored):
        raise Http404("No file")
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


class SharedFileView(View):
    """For the cohort's members and IS admins."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        shared = shared_resource_get_for_user(pk=pk, user=request.user)
        return _pdf_response(shared.file, f"shared-{shared.pk}.pdf")


class PlanDocumentView(View):
    """For champions of the plan's area and IS admins."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        plan = plan_get_for_user(pk=pk, user=request.user)
        return _pdf_response(plan.document, f"improvement-plan-{plan.pk}.pdf")
