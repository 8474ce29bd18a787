"""IS admins: CSV downloads of the network's lists, and the separate, deliberate export of the confidential
one-to-one support log (written in the access log)."""

from __future__ import annotations

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from champions import exports
from champions.forms.ops import SupportExportForm, TotalsFilterForm
from champions.models import AccessAction
from champions.permissions import can_read_support_logs
from champions.selectors import totals
from champions.services import support
from champions.views._base import ManagePage
from champions.views.manage_support import ConfidentialPage
from portal.http import AuthenticatedHttpRequest
from portal.spreadsheets import csv_response


class ExportListView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(
            request,
            "champions/manage/exports.html",
            {"exports": exports.EXPORTS.values(), "can_read_support_logs": can_read_support_logs(request.user)},
        )


class ExportView(ManagePage):
    """One list as CSV, streamed. Every cell a person typed is made formula-safe by the sheet."""

    def get(self, request: AuthenticatedHttpRequest, slug: str) -> HttpResponse | StreamingHttpResponse:
        if slug == exports.TOTALS_SLUG:
            filters = TotalsFilterForm(request.GET).filters()
            rows = exports.totals_rows(totals.training_totals(**filters), filters["period"])
            return csv_response(
                exports.TRAINING_TOTALS.csv_bytes(rows), filename="trauma-champions-training-totals.csv"
            )
        export = exports.EXPORTS.get(slug)
        if export is None:
            raise Http404("No such list")
        return csv_response(export.sheet.csv_lines(export.rows()), filename=export.filename)


class SupportExportView(ConfidentialPage):
    """The confidential log as CSV: only for IS admins who may read it ("not found" to everyone else, as the log's
    own pages), asked for on purpose (a POST confirming the file will be kept safe), and written in the access log
    before the file is made. Never cached."""

    def page(self, request: AuthenticatedHttpRequest, form: SupportExportForm, status: int = 200) -> HttpResponse:
        return render(request, "champions/manage/support_export.html", {"form": form}, status=status)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return self.page(request, SupportExportForm())

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
        form = SupportExportForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        support.support_access_record(user=request.user, action=AccessAction.EXPORTED)
        return csv_response(
            exports.SUPPORT_LOG.csv_bytes(exports.support_log_rows()),
            filename="confidential-one-to-one-support.csv",
        )
