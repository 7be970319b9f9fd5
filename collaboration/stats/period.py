"""The period and form the map's figures are for, read from the query string."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from centre.dates import DateField, named_format

from ..models import Form

MAX_YEARS = 10


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def quarter_of(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _steps(first: datetime.date, last: datetime.date, months: int) -> list[datetime.date]:
    out, day = [], first
    while day <= last:
        out.append(day)
        day += relativedelta(months=months)
    return out


def month_label(month: datetime.date) -> str:
    return capfirst(date_format(month, "F Y"))


def month_short(month: datetime.date) -> str:
    return date_format(month, named_format("MONTH_SHORT_FORMAT"))


def quarter_label(quarter: datetime.date) -> str:
    return _("Q%(quarter)s %(year)s") % {
        "quarter": (quarter.month - 1) // 3 + 1,
        "year": quarter.year,
    }


@dataclass(frozen=True)
class Filters:
    first: datetime.date
    last: datetime.date
    form: str = ""  # a Form value, or "" for all five

    @property
    def forms(self) -> list[Form]:
        return [Form(self.form)] if self.form else list(Form)

    @property
    def form_label(self) -> str:
        return str(Form(self.form).label) if self.form else _("All five forms")

    @property
    def months(self) -> list[datetime.date]:
        return _steps(month_of(self.first), self.last, 1)

    @property
    def quarters(self) -> list[datetime.date]:
        return _steps(quarter_of(self.first), self.last, 3)

    @property
    def query(self) -> str:
        params = {"from": self.first.isoformat(), "to": self.last.isoformat()}
        if self.form:
            params["form"] = self.form
        return urlencode(params)

    @property
    def slug(self) -> str:
        return f"{self.first.isoformat()}_{self.last.isoformat()}" + (
            f"_{self.form}" if self.form else ""
        )


def default_filters(today: datetime.date | None = None) -> Filters:
    """The last twelve months: from the first of the month eleven months ago to today."""
    today = today or timezone.localdate()
    return Filters(first=month_of(today) - relativedelta(months=11), last=today)


class FilterForm(forms.Form):
    """Period (``from``, ``to``) and form, from the query string."""

    KEYS = ("from", "to", "form")

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        # "from" is a Python keyword, so the fields are added here.
        self.fields["from"] = DateField(label=_("From"), required=False)
        self.fields["to"] = DateField(label=_("To"), required=False)
        self.fields["form"] = forms.ChoiceField(
            label=_("Form of collaboration"),
            required=False,
            choices=[("", _("All five forms")), *Form.choices],
        )

    def clean(self):
        data = super().clean()
        if self.has_error("from") or self.has_error("to"):
            return data  # no period to check without its two ends
        last = data.get("to") or self.today
        first = data.get("from") or month_of(last) - relativedelta(months=11)
        if first > last:
            self.add_error("to", _("The end of the period cannot be before its start."))
        elif first + relativedelta(years=MAX_YEARS) <= last:
            self.add_error("to", _("Choose a period of at most ten years."))
        data["first"], data["last"] = first, last
        return data


class SummaryForm(FilterForm):
    """The summary's filters, and the actor it is of (by slug; the whole house when empty)."""

    KEYS = (*FilterForm.KEYS, "actor")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"] = forms.SlugField(label=_("Summary of"), required=False)


def parse_filters(
    params, today: datetime.date | None = None, form_class=FilterForm
) -> tuple[Filters, FilterForm]:
    """The filters asked for, or the last twelve months in all forms when the
    query string is empty or wrong (the form then carries the errors, and the
    pages answer 400 with them)."""
    keys = {key: params.get(key, "") for key in form_class.KEYS if key in params}
    form = form_class(keys or None, today=today)
    if keys and form.is_valid():
        data = form.cleaned_data
        return Filters(first=data["first"], last=data["last"], form=data["form"] or ""), form
    return default_filters(today), form
