"""CSV files staff open in a spreadsheet: every CSV the platform writes goes through here.

A cell that starts with = + - @ (or a tab or carriage return) is a formula to Excel,
LibreOffice and Google Sheets; a member's display name such as `=HYPERLINK(...)` would
run in a staff member's spreadsheet. Such text cells are prefixed with an apostrophe, which
spreadsheets show as text and do not display. Numbers are written as they are.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Writer:
    """`csv.writer` that neutralises formula cells."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])


class DictWriter(csv.DictWriter):
    """`csv.DictWriter` that neutralises formula cells."""

    def writerow(self, rowdict):
        return super().writerow({key: safe_cell(value) for key, value in rowdict.items()})
