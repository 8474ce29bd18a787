"""IS admins: import champions or attendance from a CSV file. Upload, check every row on a preview (fixing the rows
that need it right there, no script needed), then confirm: nothing is saved before the confirmation, and then all of
it is saved in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from champions.forms.ops import UploadForm
from champions.imports import KINDS, ImportKind, Preview, build_preview, display_value, raw_value
from champions.services import imports
from champions.views._base import ManagePage
from portal.http import AuthenticatedHttpRequest
from portal.spreadsheets import ImportRow


def _kind(slug: str) -> ImportKind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404("No such import") from None


def _session_key(kind: ImportKind) -> str:
    return f"champions-import-{kind.slug}"


@dataclass(frozen=True)
class Cell:
    name: str
    header: str
    value: str
    errors: list[str]
    input_id: str


@dataclass(frozen=True)
class RowView:
    number: int
    cells: list[Cell]
    errors: list[str]  # errors about the whole row
    ok: bool


def _row_view(kind: ImportKind, row: ImportRow) -> RowView:
    by_header: dict[str, list[str]] = {}
    for error in row.errors:
        by_header.setdefault(error.column, []).append(error.message)
    shown = raw_value if row.errors else display_value
    cells = [
        Cell(
            name=column.name,
            header=column.header,
            value=shown(row.values.get(column.name)),
            errors=by_header.get(column.header, []),
            input_id=f"r{row.row}-{column.name}",
        )
        for column in kind.columns
    ]
    known = {column.header for column in kind.columns}
    return RowView(
        number=row.row,
        cells=cells,
        errors=[message for header, found in by_header.items() if header not in known for message in found],
        ok=not row.errors,
    )


class ImportUploadView(ManagePage):
    def page(self, request: HttpRequest, kind: ImportKind, form: UploadForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "champions/manage/import_upload.html",
            {"kind": kind, "kinds": KINDS.values(), "form": form, "columns": kind.columns},
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
        return self.page(request, _kind(kind), UploadForm())

    def post(self, request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
        found = _kind(kind)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, found, form, status=400)
        upload = form.cleaned_data["file"]
        read = found.sheet().read(upload)
        if read.file_errors:
            for problem in read.file_errors:
                form.add_error("file", problem)
            return self.page(request, found, form, status=400)
        request.session[_session_key(found)] = {"text": read.text, "fixes": {}, "filename": upload.name[:200]}
        return redirect("champions:admin-import-preview", kind=found.slug)


class ImportPreviewView(ManagePage):
    def _stored(self, request: HttpRequest, kind: ImportKind) -> dict[str, Any] | None:
        stored = request.session.get(_session_key(kind))
        return stored if isinstance(stored, dict) and "text" in stored else None

    def page(
        self, request: HttpRequest, kind: ImportKind, stored: dict[str, Any], preview: Preview, status: int = 200
    ) -> HttpResponse:
        rows = [_row_view(kind, row) for row in preview.rows]
        return render(
            request,
            "champions/manage/import_preview.html",
            {
                "kind": kind,
                "filename": stored.get("filename", ""),
                "preview": preview,
                "rows": rows,
                "error_rows": [row for row in rows if not row.ok],
                "ready_count": len(rows) - len([row for row in rows if not row.ok]),
            },
            status=status,
        )

    def get(self, request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
        found = _kind(kind)
        stored = self._stored(request, found)
        if stored is None:
            messages.info(request, "Choose a file to see its rows before anything is saved.")
            return redirect("champions:admin-import", kind=found.slug)
        return self.page(request, found, stored, build_preview(found, stored["text"], stored["fixes"]))

    def post(self, request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
        found = _kind(kind)
        stored = self._stored(request, found)
        action = request.POST.get("action", "")
        if stored is None or action == "cancel":
            request.session.pop(_session_key(found), None)
            messages.info(request, "Nothing was saved. You can upload a file again when you are ready.")
            return redirect("champions:admin-import", kind=found.slug)
        if action == "check":
            before = build_preview(found, stored["text"], stored["fixes"])
            fixes = dict(stored["fixes"])
            for row in before.error_rows:
                fixes[str(row.row)] = {
                    column.name: request.POST.get(f"r{row.row}-{column.name}", "")[:1000] for column in found.columns
                }
            stored = {**stored, "fixes": fixes}
            request.session[_session_key(found)] = stored
            after = build_preview(found, stored["text"], fixes)
            if after.is_valid:
                messages.success(request, "Every row is ready now. Check them, then confirm to save.")
            return redirect("champions:admin-import-preview", kind=found.slug)
        preview = build_preview(found, stored["text"], stored["fixes"])
        try:
            if found.slug == "champions":
                count = len(imports.champions_import(preview=preview, by=request.user))
            else:
                count = imports.attendance_import(preview=preview, by=request.user)
        except imports.ImportNotSaved as error:
            messages.error(request, str(error))
            return self.page(request, found, stored, preview, status=400)
        request.session.pop(_session_key(found), None)
        if found.slug == "champions":
            messages.success(
                request,
                f"{count} champion{'s' if count != 1 else ''} added. You can invite each one from their record.",
            )
            return redirect(reverse("champions:admin-champion-list"))
        messages.success(request, f"Attendance recorded for {count} row{'s' if count != 1 else ''}.")
        return redirect(reverse("champions:admin-dashboard") + "#attendance")
