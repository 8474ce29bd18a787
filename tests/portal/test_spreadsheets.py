"""portal.spreadsheets: formula-safe cells, one column spec for exports, and imports read into a preview."""

import csv
import datetime
import io
from types import SimpleNamespace

import pytest
from django import forms

from portal.spreadsheets import Column, Sheet, csv_response, safe_cell

# --- Cells --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("x")',
        "+1",
        "-2",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "\uff1dHYPERLINK(1)",  # fullwidth =
        "\uff0b1",
        "\uff0d1",
        "\uff20SUM(A1)",
        "|cmd",
    ],
)
def test_anything_a_spreadsheet_would_run_is_made_inert(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Opening Doors", "Opening Doors"),
        (42, "42"),
        (-0.5, "-0.5"),  # a number the portal computed is not a formula
        (None, ""),
        (True, "true"),
        (["Fife", "=1"], "Fife; =1"),
        (datetime.date(2025, 3, 1), "2025-03-01"),
    ],
)
def test_ordinary_values_are_plain_text(value, expected):
    assert safe_cell(value) == expected


def test_a_list_that_starts_with_a_formula_is_made_inert():
    assert safe_cell(["=1", "Fife"]) == "'=1; Fife"


# --- Export -------------------------------------------------------------------------------------------------------

SHEET = Sheet(
    [
        Column("title", "Title"),
        Column("area", "Area", get="area.name"),
        Column("count", "Count", get=lambda obj: len(obj["items"]) if isinstance(obj, dict) else len(obj.items)),
        Column("code", "Code", safe=False),
    ]
)


def test_rows_read_dicts_and_objects_alike():
    as_dict = {"title": "=Opening Doors", "area": {"name": "Fife"}, "items": [1, 2], "code": "-x", "extra": "hidden"}
    as_object = SimpleNamespace(
        title="=Opening Doors", area=SimpleNamespace(name="Fife"), items=[1, 2], code="-x", extra="hidden"
    )
    assert list(SHEET.rows([as_dict, as_object])) == [["'=Opening Doors", "Fife", "2", "-x"]] * 2
    assert list(SHEET.records([as_dict])) == [{"title": "=Opening Doors", "area": "Fife", "count": 2, "code": "-x"}]


def test_a_missing_link_in_a_path_is_an_empty_cell():
    assert list(SHEET.rows([{"title": "A", "area": None, "items": [], "code": ""}])) == [["A", "", "0", ""]]


def test_csv_has_the_header_then_one_line_per_object():
    body = SHEET.csv_bytes([{"title": "Sowing Seeds, part 1", "area": {"name": "Moray"}, "items": [], "code": "c"}])
    assert list(csv.reader(io.StringIO(body.decode()))) == [
        ["Title", "Area", "Count", "Code"],
        ["Sowing Seeds, part 1", "Moray", "0", "c"],
    ]
    assert "".join(SHEET.csv_lines([])).encode() == SHEET.csv_bytes([])


def test_csv_response_sends_bytes_whole_and_lines_as_a_stream():
    whole = csv_response(b"a\r\n", filename="a.csv")
    assert whole.content == b"a\r\n"
    assert whole["Content-Type"] == "text/csv; charset=utf-8"
    assert whole["Content-Disposition"] == 'attachment; filename="a.csv"'
    streamed = csv_response(SHEET.csv_lines([]), filename="b.csv")
    assert streamed.streaming
    assert b"".join(streamed.streaming_content) == b"Title,Area,Count,Code\r\n"


def test_column_names_must_be_unique():
    with pytest.raises(ValueError, match="unique"):
        Sheet([Column("a", "A"), Column("a", "Also A")])


# --- Import: a small example spec, like the champions' attendance list --------------------------------------------


class AttendanceRow(forms.Form):
    email = forms.EmailField(error_messages={"invalid": "Please give an email address like name@example.org."})
    name = forms.CharField(max_length=50)
    attended_on = forms.DateField(
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Please give the date as 31/01/2025 or 2025-01-31."},
    )
    minutes = forms.IntegerField(required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("minutes") and data["minutes"] > 600:
            raise forms.ValidationError("A session of more than ten hours is probably a typing mistake.")
        return data


ATTENDANCE = Sheet(
    [
        Column("email", "Email address"),
        Column("name", "Name"),
        Column("attended_on", "Date attended"),
        Column("minutes", "Minutes"),
    ],
    form=AttendanceRow,
)


def read(text: str, sheet: Sheet = ATTENDANCE):
    return sheet.read(io.BytesIO(text.encode()))


def test_a_good_file_gives_cleaned_rows_and_no_errors():
    preview = read(
        "Email address,Name,Date attended,Minutes\r\n"
        "ann@example.org,Ann,31/01/2025,90\r\n"
        ",,,\r\n"  # blank rows are skipped
        "bob@example.org,Bob,2025-02-01,\r\n"
    )
    assert preview.is_valid
    assert preview.valid_rows == [
        {"email": "ann@example.org", "name": "Ann", "attended_on": datetime.date(2025, 1, 31), "minutes": 90},
        {"email": "bob@example.org", "name": "Bob", "attended_on": datetime.date(2025, 2, 1), "minutes": None},
    ]
    assert [row.row for row in preview.rows] == [2, 4]  # the spreadsheet's own row numbers


def test_each_error_names_the_row_and_the_column():
    preview = read(
        "email,NAME ,date attended,minutes\n"  # names or headers, any case, stray spaces
        "ann@example,Ann,31/01/2025,90\n"
        "bob@example.org,,yesterday,\n"
        "cat@example.org,Cat,2025-02-01,700\n"
    )
    assert not preview.is_valid
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (2, "Email address", "Please give an email address like name@example.org."),
        (3, "Name", "This field is required."),
        (3, "Date attended", "Please give the date as 31/01/2025 or 2025-01-31."),
        (4, "", "A session of more than ten hours is probably a typing mistake."),
    ]
    assert preview.rows[1].values["attended_on"] == "yesterday"  # what they typed, to show beside the error
    assert preview.valid_rows == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"Email address,Name,Date attended\r\n", "no rows under it"),
        (b"Email address,Date attended\r\nann@example.org,2025-01-01\r\n", "no column for: Name"),
        (b"Email,Name,Name,Date attended\r\n", 'The column "Name" appears twice'),
        (b"PK\x03\x04\x14\x00\x06\x00", "looks like an Excel workbook"),
    ],
)
def test_problems_with_the_whole_file_are_said_plainly(content, message):
    preview = ATTENDANCE.read(io.BytesIO(content))
    assert not preview.is_valid
    assert any(message in error for error in preview.file_errors), preview.file_errors


def test_extra_columns_are_listed_not_refused():
    preview = read("Email address,Name,Date attended,Notes\r\nann@example.org,Ann,2025-01-31,Front row\r\n")
    assert preview.is_valid
    assert preview.ignored_headers == ["Notes"]


def test_excel_files_with_a_byte_order_mark_or_windows_1252_are_read():
    header = "Email address,Name,Date attended\r\n"
    with_bom = ("\ufeff" + header + "ann@example.org,Siobhán,2025-01-31\r\n").encode("utf-8")
    windows = (header + "ann@example.org,Siobhán,2025-01-31\r\n").encode("cp1252")
    for content in (with_bom, windows):
        preview = ATTENDANCE.read(io.BytesIO(content))
        assert preview.is_valid, preview.file_errors
        assert preview.valid_rows[0]["name"] == "Siobhán"
        # Read again on confirming, the kept text gives the same rows.
        assert ATTENDANCE.read(preview.text).valid_rows == preview.valid_rows


def test_too_many_rows_or_bytes_are_refused(monkeypatch):
    monkeypatch.setattr(Sheet, "MAX_IMPORT_ROWS", 2)
    rows = "".join(f"p{n}@example.org,P{n},2025-01-31\r\n" for n in range(3))
    assert "more than 2 rows" in read("Email address,Name,Date attended\r\n" + rows).file_errors[0]
    monkeypatch.setattr(Sheet, "MAX_IMPORT_BYTES", 1024 * 1024)
    assert "larger than 1 MB" in ATTENDANCE.read(b"x" * (1024 * 1024 + 1)).file_errors[0]


def test_without_a_form_the_columns_fields_clean_each_cell():
    sheet = Sheet([Column("code", "Code", field=forms.SlugField()), Column("note", "Note")])
    preview = read("Code,Note\r\nfife-1,ok\r\nnot a slug,\r\n", sheet)
    assert preview.rows[0].values == {"code": "fife-1", "note": "ok"}
    assert [(e.row, e.column) for e in preview.errors] == [(3, "Code")]
