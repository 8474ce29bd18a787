"""Spreadsheets in and out: one column spec for every CSV export, and the same spec to read a CSV import.

A `Sheet` is a list of `Column`s. Exports turn objects (model instances or plain dicts, e.g. from `.values()`) into
rows of text; imports turn an uploaded CSV into an `ImportPreview` of cleaned rows and row-level errors, checked by a
Django form, so a view can show what would happen and save only when the person confirms. Nothing here writes to
the database.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpResponse, StreamingHttpResponse

# A spreadsheet runs a cell that starts with one of these as a formula: = + - @ (and their fullwidth forms, which
# some spreadsheets fold to ASCII), tab and carriage return (which can hide one), and | (DDE in older Excel).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20", "|")


def safe_cell(value: object) -> str:
    """The value as text, with a leading apostrophe on anything a spreadsheet would run as a formula.

    Titles, organisation names and statements come from people; opening an export must never run what they typed.
    Numbers the portal computed itself (a negative change, say) stay numbers: they were never typed by anyone.
    """
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = cell_text(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def cell_text(value: object) -> str:
    """Plain text for one cell: empty for None, true/false, lists joined with semicolons, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(item) for item in value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


Getter = str | Callable[[Any], object]


def _lookup(obj: object, path: str) -> object:
    """`obj[key]` for a mapping, `obj.key` otherwise, step by step along a dotted path; None stops the walk."""
    for key in path.split("."):
        if obj is None:
            return None
        obj = obj[key] if isinstance(obj, Mapping) else getattr(obj, key)
    return obj


@dataclass(frozen=True)
class Column:
    """One column: `name` is the key in records and imports, `header` the first-row text people see.

    `get` is a dotted path (works on dicts and objects alike) or a callable taking the object. `safe=False` only for
    columns whose text the portal makes itself and which may legitimately start with one of FORMULA_STARTS.
    For imports, `field` is the Django form field that cleans the cell (default: optional text); `help` describes
    the column on pages that document a file.
    """

    name: str
    header: str
    get: Getter | None = None
    safe: bool = True
    field: forms.Field | None = None
    help: str = ""

    def value(self, obj: object) -> object:
        getter = self.name if self.get is None else self.get
        return getter(obj) if callable(getter) else _lookup(obj, getter)

    def cell(self, obj: object) -> str:
        value = self.value(obj)
        return safe_cell(value) if self.safe else cell_text(value)


class _Echo:
    """csv.writer writes to this and gets each line back, so lines can be streamed one by one."""

    def write(self, value: str) -> str:
        return value


@dataclass(frozen=True)
class RowError:
    """What is wrong with one cell (or one row when `column` is empty), in words for the person who made the file.

    `row` counts as the spreadsheet does: the header is row 1, so the first data row is row 2.
    """

    row: int
    column: str
    message: str


@dataclass
class ImportRow:
    row: int
    values: dict[str, object]  # cleaned by the form; the raw text when the row has errors
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportPreview:
    """A read file before anything is saved: every row, cleaned or with its errors, and problems with the file."""

    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    # The file as text: keep it (in the session, say) and read it again when the person confirms.
    text: str = ""

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def is_valid(self) -> bool:
        """True when the whole file can be saved: no file problems, no row errors and at least one row."""
        return not self.file_errors and not self.errors and bool(self.rows)

    @property
    def valid_rows(self) -> list[dict[str, object]]:
        return [row.values for row in self.rows if not row.errors]


class Sheet:
    """Columns in order, for writing objects out as CSV and reading a CSV back in."""

    # Imports are for lists a person keeps (champions, attendance), not bulk data: refuse anything far larger.
    MAX_IMPORT_BYTES = 2 * 1024 * 1024
    MAX_IMPORT_ROWS = 5000

    def __init__(self, columns: Sequence[Column], *, form: type[forms.Form] | None = None) -> None:
        names = [column.name for column in columns]
        if len(set(names)) != len(names):
            raise ValueError(f"Column names must be unique: {names}")
        self.columns = list(columns)
        self.form = form

    # --- Export -------------------------------------------------------------------------------------------------

    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def rows(self, objects: Iterable[object]) -> Iterator[list[str]]:
        """Each object as a list of cell texts, formula-safe where the column says so. No header row."""
        for obj in objects:
            yield [column.cell(obj) for column in self.columns]

    def records(self, objects: Iterable[object]) -> Iterator[dict[str, object]]:
        """Each object as {name: value} with the values untouched (booleans, lists), for JSON."""
        for obj in objects:
            yield {column.name: column.value(obj) for column in self.columns}

    def csv_lines(self, objects: Iterable[object]) -> Iterator[str]:
        """The header line, then one line per object: for a streaming response."""
        writer = csv.writer(_Echo())
        yield writer.writerow(self.headers())
        for row in self.rows(objects):
            yield writer.writerow(row)

    def csv_bytes(self, objects: Iterable[object]) -> bytes:
        """The whole file as UTF-8: for a small export, or one that is cached."""
        return "".join(self.csv_lines(objects)).encode()

    # --- Import -------------------------------------------------------------------------------------------------

    def read(self, file: IO[bytes] | IO[str] | bytes | str) -> ImportPreview:
        """Read a CSV upload into a preview. Headers match a column's header or name, ignoring case and spaces.

        Each row is cleaned by `form` (if given) or by a form made of the columns' fields; a row's errors name its
        spreadsheet row number and the column header. Blank rows are skipped. Nothing is saved.
        """
        preview = ImportPreview()
        text = self._decode(file, preview)
        if text is None:
            return preview
        preview.text = text
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader, None)
        except csv.Error:
            header = None
        if not header or not any(cell.strip() for cell in header):
            preview.file_errors.append("The file is empty. The first row should name the columns.")
            return preview
        positions = self._match_headers(header, preview)
        if preview.file_errors:
            return preview
        form_class = self.form or self._row_form()
        headers = {column.name: column.header for column in self.columns}
        try:
            for number, cells in enumerate(reader, start=2):
                if not any(cell.strip() for cell in cells):
                    continue
                if len(preview.rows) >= self.MAX_IMPORT_ROWS:
                    preview.file_errors.append(
                        f"The file has more than {self.MAX_IMPORT_ROWS:,} rows. Please split it into smaller files."
                    )
                    return preview
                data = {name: cells[index].strip() if index < len(cells) else "" for name, index in positions.items()}
                preview.rows.append(self._clean_row(form_class, number, data, headers))
        except csv.Error as error:
            preview.file_errors.append(f"We could not read the file as CSV after row {reader.line_num - 1} ({error}).")
        if not preview.rows and not preview.file_errors:
            preview.file_errors.append("The file has a header row but no rows under it.")
        return preview

    def _decode(self, file: IO[bytes] | IO[str] | bytes | str, preview: ImportPreview) -> str | None:
        raw = file if isinstance(file, bytes | str) else file.read(self.MAX_IMPORT_BYTES + 1)
        if len(raw) > self.MAX_IMPORT_BYTES:
            limit = self.MAX_IMPORT_BYTES // (1024 * 1024)
            preview.file_errors.append(f"The file is larger than {limit} MB. Please split it into smaller files.")
            return None
        if isinstance(raw, str):
            return raw.removeprefix("\ufeff")
        if raw.startswith(b"PK\x03\x04"):
            preview.file_errors.append(
                "This looks like an Excel workbook. Please save it as CSV (comma-separated values) and try again."
            )
            return None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel in the UK saves "CSV" (not "CSV UTF-8") as Windows-1252; accept that rather than refuse the file.
            try:
                return raw.decode("cp1252")
            except UnicodeDecodeError:
                preview.file_errors.append(
                    "We could not read the file as text. Please save it as CSV UTF-8 and try again."
                )
                return None

    def _match_headers(self, header: list[str], preview: ImportPreview) -> dict[str, int]:
        def key(text: str) -> str:
            return " ".join(text.split()).casefold()

        wanted = {}
        for column in self.columns:
            wanted[key(column.header)] = column.name
            wanted[key(column.name)] = column.name
        positions: dict[str, int] = {}
        for index, cell in enumerate(header):
            name = wanted.get(key(cell))
            if name is None:
                if cell.strip():
                    preview.ignored_headers.append(cell.strip())
            elif name in positions:
                preview.file_errors.append(f'The column "{cell.strip()}" appears twice. Please keep only one.')
            else:
                positions[name] = index
        form_fields = (self.form or self._row_form()).base_fields
        missing = [
            column.header
            for column in self.columns
            if column.name not in positions and getattr(form_fields.get(column.name), "required", False)
        ]
        if missing:
            preview.file_errors.append(f"The file has no column for: {', '.join(missing)}.")
        return positions

    def _row_form(self) -> type[forms.Form]:
        fields = {column.name: column.field or forms.CharField(required=False) for column in self.columns}
        return type("RowForm", (forms.Form,), fields)

    @staticmethod
    def _clean_row(
        form_class: type[forms.Form], number: int, data: dict[str, str], headers: dict[str, str]
    ) -> ImportRow:
        form = form_class(data=data)
        if form.is_valid():
            return ImportRow(row=number, values=form.cleaned_data)
        errors = [
            RowError(
                row=number, column="" if name == NON_FIELD_ERRORS else headers.get(name, name), message=str(message)
            )
            for name, messages in form.errors.items()
            for message in messages
        ]
        return ImportRow(row=number, values=dict(data), errors=errors)


def csv_response(content: bytes | Iterable[str], *, filename: str) -> HttpResponse | StreamingHttpResponse:
    """A CSV download: bytes (from `Sheet.csv_bytes`, perhaps cached) as one response, lines (`Sheet.csv_lines`)
    streamed as they are made, so a long export starts at once and never sits whole in memory."""
    if isinstance(content, bytes):
        response: HttpResponse | StreamingHttpResponse = HttpResponse(content, content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
