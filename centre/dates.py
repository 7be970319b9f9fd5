"""The dates Samhus accepts from a person (a query string, a form): the
years 1900 to 2999. Others are typing mistakes, and calendar arithmetic (the
month after December 9999) would fail on them."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIRST_YEAR, LAST_YEAR = 1900, 2999


def check_date(day: datetime.date) -> None:
    """Raise a ValidationError a person can act on when ``day`` is out of range."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            _("Choose a date between the years %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )
