"""The dates Samhus accepts from a person (a query string, a form).

- Any date: the years 1900 to 2999. Others are typing mistakes, and calendar
  arithmetic (the month after December 9999) would fail on them.
- A record of the house's own life (a collaboration, a closed day, a council
  seat, meeting or vote, an actor joining or leaving): not before
  ``HOUSE_FLOOR``. The models hold no founding date, so this is a floor with
  room for a long history: an earlier date is a typing mistake (1925 for 2025).
- Ahead: a booking and a collaboration at most the house's booking window
  (``Centre.booking_window_days``), a closed day at most two years
  (``planning_horizon``).

``DateField`` is the form field for all of them: it reads the date inputs'
ISO form (and the locale's), checks the years and then the limits a form
adds, and shows the first that fails."""

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

FIRST_YEAR, LAST_YEAR = 1900, 2999
HOUSE_FLOOR = datetime.date(1970, 1, 1)
PLANNING_YEARS = 2


def check_date(day: datetime.date) -> None:
    """Raise a ValidationError a person can act on when ``day`` is out of range."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            _("Choose a date between the years %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


def check_recorded(day: datetime.date) -> None:
    """A record of the house's life is not older than the house."""
    if day < HOUSE_FLOOR:
        raise ValidationError(
            _("Samhus keeps the house's records from %(year)s on: choose a later date."),
            code="before_the_house",
            params={"year": HOUSE_FLOOR.year},
        )


def planning_horizon(today: datetime.date | None = None) -> datetime.date:
    """The last day the house plans for: two years ahead (closed days)."""
    return (today or timezone.localdate()) + relativedelta(years=PLANNING_YEARS)


def booking_horizon(today: datetime.date | None = None) -> datetime.date:
    """The last day the house's booking window reaches."""
    from .models import Centre

    days = Centre.load().booking_window_days
    return (today or timezone.localdate()) + datetime.timedelta(days=days)


def not_after(last: datetime.date, message: str):
    """A validator refusing days after ``last`` with ``message`` (``%(date)s`` is ``last``)."""

    def check(day: datetime.date) -> None:
        if day > last:
            raise ValidationError(
                message,
                code="too_far_ahead",
                params={"date": formats.date_format(last, "DATE_FORMAT")},
            )

    return check


class DateField(forms.DateField):
    """A date as Samhus accepts it; ``record`` for a record of the house's life.
    Limits that depend on the day (``not_after``) are added by the form."""

    default_validators = [check_date]

    def __init__(self, *, record: bool = False, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        if record:
            self.validators.append(check_recorded)

    def run_validators(self, value):
        # The first limit a date fails is the one to mention: 9999-12-31 is
        # out of range, and saying it is also past the booking window adds nothing.
        if value in self.empty_values:
            return
        for validator in self.validators:
            validator(value)


# --- writing a date -------------------------------------------------------------------
# One format per kind of date, per language: centre/formats/<language>/formats.py
# (FORMAT_MODULE_PATH). Django's own kinds (DATE_FORMAT, SHORT_DATE_FORMAT,
# MONTH_DAY_FORMAT, …) go to the ``date`` filter; Samhus's own go through here.
OWN_FORMATS = ("DAY_FORMAT", "LONG_DAY_FORMAT", "MONTH_SHORT_FORMAT")


def named_format(name: str) -> str:
    """The active language's format of the kind ``name`` (``DAY_FORMAT``, …)."""
    if name not in OWN_FORMATS:
        return formats.get_format(name)
    for module in formats.get_format_modules(get_language()):
        if hasattr(module, name):
            return getattr(module, name)
    raise ValueError(f"No format {name} for the language {get_language()!r}")


def date_as(value, name: str = "DAY_FORMAT") -> str:
    """``value`` (a date, or a datetime shown in the house's time zone) written as
    the kind ``name`` in the active language: "man. 7. dec.", "Mon 7 Dec"."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, named_format(name))
