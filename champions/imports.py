"""CSV imports of champions and of attendance: the columns, the form that checks each row, and the preview with the
fixes an IS admin typed on the preview page. Nothing here writes: champions.services.imports saves a checked preview.

The uploaded file's text and the admin's fixes (by spreadsheet row number) are kept in their session between the
upload, each check and the confirmation; every step reads the file again from that text, so what is saved is exactly
what the last preview showed, checked against the database as it is at that moment.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils import timezone

from champions.models import AttendanceStatus, Champion, CohortMembership, OrganisationType, Session
from portal.models import CouncilArea, HealthAndSocialCarePartnership, HealthBoard
from portal.spreadsheets import Column, ImportRow, RowError, Sheet

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DATE_HINT = "Write dates as 2025-03-31 or 31/03/2025."


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _by_name_or_slug(rows: Any, *, short: tuple[str, ...] = ()) -> dict[str, Any]:
    """Each item by its name, its slug, and its name without the words in `short` ("NHS Fife" as "Fife")."""
    found: dict[str, Any] = {}
    for item in rows:
        found[_key(item.name)] = item
        found[_key(item.slug)] = item
        for words in short:
            found.setdefault(_key(item.name.replace(words, "")), item)
    return found


def _choice(value: str, choices: list[tuple[str, str]], what: str) -> str:
    for stored, label in choices:
        if _key(value) in (_key(stored), _key(label)):
            return stored
    options = ", ".join(label for _, label in choices)
    raise forms.ValidationError(f"We do not recognise this {what}. Use one of: {options}.")


# --- Champions ---------------------------------------------------------------------------------------------------


@dataclass
class ChampionLookups:
    """Reference data and existing addresses, read once per file rather than once per row."""

    areas: dict[str, CouncilArea]
    boards: dict[str, HealthBoard]
    partnerships: dict[str, HealthAndSocialCarePartnership]
    emails: set[str]

    @classmethod
    def load(cls) -> ChampionLookups:
        return cls(
            areas=_by_name_or_slug(CouncilArea.objects.all()),
            boards=_by_name_or_slug(HealthBoard.objects.all(), short=("NHS ",)),
            partnerships=_by_name_or_slug(
                HealthAndSocialCarePartnership.objects.all(), short=(" Health and Social Care Partnership",)
            ),
            emails={email.lower() for email in Champion.objects.values_list("email", flat=True)},
        )


CHAMPION_COLUMNS = [
    Column("name", "Name", help="The champion's full name. Needed."),
    Column("job_title", "Job title"),
    Column("email", "Email", help="Where the Improvement Service writes to them. Needed, and new to the network."),
    Column("phone", "Phone"),
    Column("organisation_name", "Organisation", help="Needed."),
    Column("organisation_type", "Organisation type", help="For example: Local authority, NHS board. Needed."),
    Column("council_areas", "Council areas", help="One or more council area names, separated by semicolons."),
    Column("health_board", "NHS board", help="The NHS board's name, if any."),
    Column("partnership", "Health and social care partnership", help="The partnership's name, if any."),
    Column("date_joined", "Date joined", help=f"If empty, today. {DATE_HINT}"),
    Column("notes", "Notes", help="For the Improvement Service only."),
]


def champion_row_form(lookups: ChampionLookups) -> type[forms.Form]:
    class ChampionRowForm(forms.Form):
        name = forms.CharField(max_length=120, error_messages={"required": "Give the champion's name."})
        job_title = forms.CharField(max_length=160, required=False)
        email = forms.EmailField(
            max_length=254,
            error_messages={
                "required": "Give an email address.",
                "invalid": "This does not look like an email address. Check it has an @ and no spaces.",
            },
        )
        phone = forms.CharField(max_length=40, required=False)
        organisation_name = forms.CharField(max_length=200, error_messages={"required": "Give the organisation."})
        organisation_type = forms.CharField(error_messages={"required": "Give the type of organisation."})
        council_areas = forms.CharField(required=False)
        health_board = forms.CharField(required=False)
        partnership = forms.CharField(required=False)
        date_joined = forms.DateField(
            required=False,
            input_formats=DATE_FORMATS,
            error_messages={"invalid": f"We could not read this date. {DATE_HINT}"},
        )
        notes = forms.CharField(required=False)

        def clean_email(self) -> str:
            email = str(self.cleaned_data["email"]).strip().lower()
            if email in lookups.emails:
                raise forms.ValidationError("A champion with this email address is already in the network.")
            return email

        def clean_organisation_type(self) -> str:
            return _choice(
                str(self.cleaned_data["organisation_type"]), OrganisationType.choices, "type of organisation"
            )

        def clean_council_areas(self) -> list[CouncilArea]:
            names = [part.strip() for part in self.cleaned_data["council_areas"].split(";") if part.strip()]
            unknown = [name for name in names if _key(name) not in lookups.areas]
            if unknown:
                raise forms.ValidationError(
                    f"We do not recognise the council area {', '.join(unknown)}. Check the spelling, and separate "
                    "several areas with semicolons."
                )
            return list({lookups.areas[_key(name)].pk: lookups.areas[_key(name)] for name in names}.values())

        def clean_health_board(self) -> HealthBoard | None:
            board: HealthBoard | None = self._place(self.cleaned_data["health_board"], lookups.boards, "NHS board")
            return board

        def clean_partnership(self) -> HealthAndSocialCarePartnership | None:
            found: HealthAndSocialCarePartnership | None = self._place(
                self.cleaned_data["partnership"], lookups.partnerships, "partnership"
            )
            return found

        def clean_date_joined(self) -> datetime.date:
            return self.cleaned_data["date_joined"] or timezone.localdate()

        @staticmethod
        def _place(value: str, known: Mapping[str, Any], what: str) -> Any:
            if not value.strip():
                return None
            found = known.get(_key(value))
            if found is None:
                raise forms.ValidationError(f"We do not recognise this {what}. Check the spelling.")
            return found

    return ChampionRowForm


def champion_sheet(lookups: ChampionLookups | None = None) -> Sheet:
    return Sheet(CHAMPION_COLUMNS, form=champion_row_form(lookups or ChampionLookups.load()))


def _duplicate_emails(rows: list[ImportRow]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.errors:
            continue
        email = str(row.values["email"])
        if email in seen:
            row.errors.append(
                RowError(row=row.row, column="Email", message=f"Row {seen[email]} has the same email address.")
            )
        else:
            seen[email] = row.row


# --- Attendance --------------------------------------------------------------------------------------------------


@dataclass
class AttendanceLookups:
    cohorts: dict[str, int]
    sessions: dict[tuple[int, datetime.date], list[int]]
    champions: dict[str, int]
    members: set[tuple[int, int]]

    @classmethod
    def load(cls) -> AttendanceLookups:
        from champions.models import Cohort

        sessions: dict[tuple[int, datetime.date], list[int]] = {}
        for pk, cohort_id, starts_at in Session.objects.filter(cancelled_at__isnull=True).values_list(
            "pk", "cohort_id", "starts_at"
        ):
            sessions.setdefault((cohort_id, timezone.localtime(starts_at).date()), []).append(pk)
        return cls(
            cohorts={_key(name): pk for pk, name in Cohort.objects.values_list("pk", "name")},
            sessions=sessions,
            champions={email.lower(): pk for pk, email in Champion.objects.values_list("pk", "email")},
            members=set(CohortMembership.objects.values_list("cohort_id", "champion_id")),
        )


ATTENDANCE_COLUMNS = [
    Column("cohort", "Cohort", help="The cohort's name, as in the portal. Needed."),
    Column("session_date", "Session date", help=f"The day of the session. Needed. {DATE_HINT}"),
    Column("email", "Email", help="The champion's email address, as on their record. Needed."),
    Column("attendance", "Attendance", help="Present, Sent apologies or Absent. Needed."),
]


def attendance_row_form(lookups: AttendanceLookups) -> type[forms.Form]:
    class AttendanceRowForm(forms.Form):
        cohort = forms.CharField(error_messages={"required": "Give the cohort's name."})
        session_date = forms.DateField(
            input_formats=DATE_FORMATS,
            error_messages={
                "required": "Give the session's date.",
                "invalid": f"We could not read this date. {DATE_HINT}",
            },
        )
        email = forms.EmailField(
            error_messages={
                "required": "Give the champion's email address.",
                "invalid": "This does not look like an email address. Check it has an @ and no spaces.",
            }
        )
        attendance = forms.CharField(error_messages={"required": "Say whether they were present."})

        def clean_cohort(self) -> str:
            name = str(self.cleaned_data["cohort"])
            if _key(name) not in lookups.cohorts:
                raise forms.ValidationError("We do not recognise this cohort. Use its name as it is in the portal.")
            return name

        def clean_email(self) -> str:
            email = str(self.cleaned_data["email"]).strip().lower()
            if email not in lookups.champions:
                raise forms.ValidationError("No champion has this email address on their record.")
            return email

        def clean_attendance(self) -> str:
            return _choice(str(self.cleaned_data["attendance"]), AttendanceStatus.choices, "attendance")

        def clean(self) -> dict[str, Any]:
            data = super().clean() or {}
            name, day, email = data.get("cohort"), data.get("session_date"), data.get("email")
            if name is None or day is None:
                return data
            cohort = lookups.cohorts[_key(name)]
            sessions = lookups.sessions.get((cohort, day), [])
            if not sessions:
                self.add_error("session_date", "This cohort has no session on this date.")
            elif len(sessions) > 1:
                self.add_error(
                    "session_date",
                    "This cohort has two sessions on this date: record this one on the session's own page.",
                )
            else:
                data["session_id"] = sessions[0]
            if email is not None:
                champion = lookups.champions[email]
                if (cohort, champion) not in lookups.members:
                    self.add_error("email", "This champion is not a member of this cohort.")
                data["champion_id"] = champion
            return data

    return AttendanceRowForm


def attendance_sheet(lookups: AttendanceLookups | None = None) -> Sheet:
    return Sheet(ATTENDANCE_COLUMNS, form=attendance_row_form(lookups or AttendanceLookups.load()))


def _duplicate_attendance(rows: list[ImportRow]) -> None:
    seen: dict[tuple[object, object], int] = {}
    for row in rows:
        if row.errors:
            continue
        pair = (row.values.get("session_id"), row.values.get("champion_id"))
        if pair in seen:
            row.errors.append(
                RowError(row=row.row, column="Email", message=f"Row {seen[pair]} is for the same champion and session.")
            )
        else:
            seen[pair] = row.row


# --- The preview -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportKind:
    slug: str
    title: str  # "champions"
    noun: str  # "champion"
    sheet: Any  # () -> Sheet
    check: Any  # (rows) -> None, adds errors that span rows

    @property
    def columns(self) -> list[Column]:
        return CHAMPION_COLUMNS if self.slug == "champions" else ATTENDANCE_COLUMNS


KINDS = {
    "champions": ImportKind("champions", "champions", "champion", champion_sheet, _duplicate_emails),
    "attendance": ImportKind("attendance", "attendance", "attendance record", attendance_sheet, _duplicate_attendance),
}


@dataclass
class Preview:
    """The file as read, with the admin's fixes applied: every row, each cleaned or with its errors."""

    kind: ImportKind
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    left_out: list[int] = field(default_factory=list)  # rows the admin emptied on the preview

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and not self.error_rows and bool(self.rows)

    @property
    def valid_rows(self) -> list[dict[str, object]]:
        return [row.values for row in self.rows if not row.errors]


def _clean(form_class: type[forms.Form], number: int, data: dict[str, str], headers: dict[str, str]) -> ImportRow:
    """One row through its form, as Sheet.read does: cleaned values, or the text as typed with its errors."""
    form = form_class(data=data)
    if form.is_valid():
        return ImportRow(row=number, values=form.cleaned_data)
    errors = [
        RowError(row=number, column=headers.get(name, ""), message=str(message))
        for name, messages in form.errors.items()
        for message in messages
    ]
    return ImportRow(row=number, values=dict(data), errors=errors)


def build_preview(kind: ImportKind, text: str, fixes: Mapping[str, Mapping[str, str]] | None = None) -> Preview:
    """Read `text` and apply `fixes` ({row number: {column name: text}}): a fixed row is checked again as typed, and
    a row whose fields were all emptied is left out. Then the checks that span rows (the same address twice)."""
    sheet: Sheet = kind.sheet()
    read = sheet.read(text)
    preview = Preview(kind=kind, file_errors=read.file_errors, ignored_headers=read.ignored_headers)
    headers = {column.name: column.header for column in sheet.columns}
    assert sheet.form is not None
    for row in read.rows:
        fix = (fixes or {}).get(str(row.row))
        if fix is None:
            preview.rows.append(row)
            continue
        data = {column.name: str(fix.get(column.name, "")).strip() for column in sheet.columns}
        if not any(data.values()):
            preview.left_out.append(row.row)
            continue
        preview.rows.append(_clean(sheet.form, row.row, data, headers))
    kind.check(preview.rows)
    if not preview.rows and not preview.file_errors:
        preview.file_errors.append("Every row has been left out, so there is nothing to save.")
    return preview


def display_value(value: object) -> str:
    """A cleaned or typed value as the preview table shows it."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def raw_value(value: object) -> str:
    """A value as it goes back into an editable field on the preview."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return display_value(value)
