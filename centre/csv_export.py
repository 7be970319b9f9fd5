"""CSV files that open as they should in Excel in either language: UTF-8 with a
byte-order mark (so Excel reads æ, ø and å), and in Danish a semicolon between
fields and a decimal comma (Danish Excel takes the comma for the decimal sign
and the semicolon for the list separator); in English a comma and a decimal point."""

import csv

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


def csv_response(filename: str):
    """An attachment named ``filename`` and a csv writer that writes into it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, csv.writer(response, delimiter=delimiter())
