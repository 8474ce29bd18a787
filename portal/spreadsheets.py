"""Cells for CSV files that people open in spreadsheets."""

# A spreadsheet runs a cell that starts with one of these as a formula (tab and carriage return can hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text, with a leading quote on anything a spreadsheet would run as a formula.

    Titles, organisation names and statements come from people; opening an export must never run what they typed.
    """
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
