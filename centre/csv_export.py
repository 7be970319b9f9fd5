"""CSV files that open as they should in Excel in either language: UTF-8 with a
byte-order mark (so Excel reads æ, ø and å), and in Danish a semicolon between
fields and a decimal comma (Danish Excel takes the comma for the decimal sign
and the semicolon for the list separator); in English a comma and a decimal point.

Every cell a spreadsheet would take for a formula is written as text (`cell`):
the names and titles in an export are typed by the actors' people."""

import csv
import re

from django.http import HttpResponse
from django.utils.translation import get_language


def _danish() -> bool:
    return (get_language() or "").startswith("da")


def delimiter() -> str:
    return ";" if _danish() else ","


def number(value: float, places: int = 2) -> str:
    """``value`` with ``places`` decimals, the decimal sign the language's."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if _danish() else text


# What starts a formula in Excel, LibreOffice and Google Sheets (a tab and a
# carriage return too: some of them drop one before reading the rest).
FORMULA = ("=", "+", "-", "@", "\t", "\r")
# A number as `number` writes it, which stays a number.
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


def cell(value):
    """``value`` as a spreadsheet reads it without running it: text that
    would start a formula gets an apostrophe in front, so it is read as text
    (opened from a CSV file, the apostrophe shows); a negative number stays a
    number."""
    if isinstance(value, str) and value.startswith(FORMULA) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Writer:
    """A csv writer whose cells go through `cell`."""

    def __init__(self, file):
        self._writer = csv.writer(file, delimiter=delimiter())

    def writerow(self, row):
        return self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_response(filename: str):
    """An attachment named ``filename`` and a csv writer that writes into it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, _Writer(response)
