import pytest

from portal.spreadsheets import safe_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"])
def test_anything_a_spreadsheet_would_run_is_made_inert(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(("value", "expected"), [("Opening Doors", "Opening Doors"), (42, "42"), (None, "")])
def test_ordinary_values_are_left_alone(value, expected):
    assert safe_cell(value) == expected
