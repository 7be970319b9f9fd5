"""The activity calendar's reads: which occurrences a visitor sees, for which
period and filters. The HTML calendar, the iCalendar feed and the JSON feed
all list what `occurrences()` returns, so they always agree.

Rows are plain dicts from one `.values()` query: the calendar shows a few
fields of many rows, and building model instances for them would cost more
than the page."""

import datetime
import functools
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db import connection, models
from django.db.models import F, Value
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, Language, TargetGroup, Theme
from centre.dates import DateField
from centre.selectors import aware
from centre.sql import Prepared, Slot

from ..models import Booking, Room, visible_to
from . import texts
from .fetch import plain

VIEWS = ("month", "week", "list")
LIST_DAYS = 14
# The feeds' period when none is asked for: a month back, a year ahead.
FEED_PAST = datetime.timedelta(days=31)
FEED_AHEAD = datetime.timedelta(days=366)

FILTERS = ("room", "actor", "target", "theme", "language", "city")
SELECTS = ("room", "actor", "target", "theme", "language")


def _filter_choices(names, only_given: bool) -> dict[str, list[tuple[str, str]]]:
    """The (slug, name) choices of the select filters ``names``, in one query.

    A feed keeps working for a room taken out of use or an actor that left
    (``only_given``): its subscribers see its past activities rather than
    everything. Shipped vocabulary has English names translated by gettext
    (see actors/vocabulary.py)."""
    if not names:
        return {}
    sql, params = _choices_sql(tuple(names), only_given, timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = sorted(cursor.fetchall())
    choices: dict[str, list[tuple[str, str]]] = {name: [] for name in names}
    for kind, _position, label, slug in rows:
        choices[kind].append((slug, gettext(label) if kind in VOCABULARY else label))
    return choices


@functools.lru_cache(maxsize=64)
def _choices_sql(names: tuple[str, ...], only_given: bool, today: datetime.date):
    """The SQL of the choices' query. It depends only on which filters are
    read and on the day (an actor who has left is no choice from then on), so
    the ORM writes it once a day per kind of request instead of on each one:
    building a five-part UNION costs more than running it."""
    sources = {
        "room": Room.objects.all() if only_given else Room.objects.active(),
        "actor": Actor.objects.all() if only_given else Actor.objects.current(today),
        "target": TargetGroup.objects.all(),
        "theme": Theme.objects.all(),
        "language": Language.objects.all(),
    }
    parts = []
    for name in names:
        position = F("position") if name in VOCABULARY else Value(0)
        parts.append(sources[name].order_by().values_list(Value(name), position, "name", "slug"))
    return parts[0].union(*parts[1:], all=True).query.sql_with_params()


VOCABULARY = ("target", "theme", "language")


class LanguageForm(forms.Form):
    """The language a feed or the lobby screen is read in (``?lang=ar``), which
    is not the calendar's filter ``language`` (what an activity is held in)."""

    lang = forms.ChoiceField(label=_("Language"), required=False, choices=settings.LANGUAGES)


def asked_language(request) -> str:
    """``?lang`` when it names a language Samhus speaks, else the reader's own."""
    form = LanguageForm(request.GET)
    if form.is_valid() and form.cleaned_data["lang"]:
        return form.cleaned_data["lang"]
    return translation.get_language() or settings.LANGUAGE_CODE


class CalendarForm(forms.Form):
    """The calendar's GET parameters. Choices are read once per request with
    one small query each and checked in Python, so a filter costs no extra query."""

    view = forms.ChoiceField(
        label=_("View"),
        required=False,
        choices=[("month", _("Month")), ("week", _("Week")), ("list", _("List"))],
    )
    date = DateField(label=_("Date"), required=False, input_formats=["%Y-%m-%d"])
    # The select filters are checked against choices read in one query
    # (_filter_choices) and written by options_html, not through ChoiceField.
    room = forms.CharField(label=_("Room"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False)
    target = forms.CharField(label=_("For whom"), required=False)
    theme = forms.CharField(label=_("Theme"), required=False)
    language = forms.CharField(label=_("Language"), required=False)
    city = forms.BooleanField(label=_("Open to the whole city"), required=False)

    def __init__(self, data, *args, only_given=False, **kwargs):
        """With ``only_given`` (the feeds), only the filters present are read."""
        super().__init__(data, *args, **kwargs)
        names = [name for name in SELECTS if not only_given or data.get(name)]
        self.choices = {
            name: [("", _("All")), *choices]
            for name, choices in _filter_choices(names, only_given).items()
        }

    def clean(self):
        cleaned = super().clean()
        for name, choices in self.choices.items():
            value = cleaned.get(name)
            if value and value not in {slug for slug, _label in choices}:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("Select a valid choice. %(value)s is not one of the available choices."),
                        code="invalid_choice",
                        params={"value": value},
                    ),
                )
        return cleaned

    def options_html(self, name: str) -> str:
        """A select's options, written in one go: a house with a thousand
        actors would otherwise render a template per option."""
        current = self.data.get(name) or ""
        return mark_safe(
            "".join(
                f'<option value="{escape(str(value))}"{" selected" if str(value) == current else ""}>'
                f"{escape(str(label))}</option>"
                for value, label in self.choices.get(name, ())
            )
        )

    def selects_html(self) -> str:
        """The select filters, each with its label, its options and, for a
        value that is not known (any more), the message, written in one go
        like their options."""
        unknown = escape(gettext("This choice is not known any more and was left out."))
        fields = []
        for name in SELECTS:
            invalid = name in self.errors
            described = (
                f' aria-describedby="id_{name}-error" aria-invalid="true"' if invalid else ""
            )
            error = f'<p class="errorlist" id="id_{name}-error">{unknown}</p>' if invalid else ""
            fields.append(
                f'<div class="filter-field"><label for="id_{name}">{escape(self.fields[name].label)}'
                f'</label><select name="{name}" id="id_{name}"{described}>'
                f"{self.options_html(name)}</select>{error}</div>"
            )
        return mark_safe("\n".join(fields))


@dataclass
class Period:
    view: str
    day: datetime.date
    first: datetime.date
    last: datetime.date  # exclusive
    previous: datetime.date
    next: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return aware(self.first)

    @property
    def end(self) -> datetime.datetime:
        return aware(self.last)

    @property
    def days(self) -> list[datetime.date]:
        return [
            self.first + datetime.timedelta(days=n) for n in range((self.last - self.first).days)
        ]


def period_for(view: str, day: datetime.date) -> Period:
    if view == "month":
        # The month's whole weeks, as the grid shows them: the days before the
        # 1st and after the last belong to the view too, and list their activities.
        month = day.replace(day=1)
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        previous = (month - datetime.timedelta(days=1)).replace(day=1)
        first = month - datetime.timedelta(days=month.weekday())
        last = following + datetime.timedelta(days=(7 - following.weekday()) % 7)
        return Period(view, day, first, last, previous, following)
    if view == "week":
        first = day - datetime.timedelta(days=day.weekday())
        last = first + datetime.timedelta(days=7)
        return Period(view, day, first, last, first - datetime.timedelta(days=7), last)
    step = datetime.timedelta(days=LIST_DAYS)
    return Period(view, day, day, day + step, day - step, day + step)


@dataclass
class CalendarQuery:
    """A validated calendar request: view, period and filters."""

    form: CalendarForm
    view: str
    explicit_view: bool
    period: Period
    filters: dict = field(default_factory=dict)

    @classmethod
    def from_request(
        cls, request, default_view: str = "month", only_given=False
    ) -> "CalendarQuery":
        form = CalendarForm(request.GET, only_given=only_given)
        form.is_valid()  # Invalid fields are shown as errors and ignored.
        data = {
            name: form.cleaned_data.get(name) for name in form.fields if name in form.cleaned_data
        }
        view = data.get("view") or default_view
        day = data.get("date") or timezone.localdate()
        filters = {name: data[name] for name in FILTERS if data.get(name)}
        return cls(
            form=form,
            view=view,
            explicit_view=bool(data.get("view")),
            period=period_for(view, day),
            filters=filters,
        )

    def querystring(self, **changes) -> str:
        """This calendar's address with some parameters changed, for links."""
        params = {"view": self.view, "date": self.period.day.isoformat()}
        params.update(
            {name: "1" if value is True else value for name, value in self.filters.items()}
        )
        params.update(changes)
        return urlencode({k: v for k, v in params.items() if v not in (None, "", False)})

    def filter_querystring(self) -> str:
        return urlencode({k: "1" if v is True else v for k, v in self.filters.items()})


def _filtered(queryset, filters: dict):
    if room := filters.get("room"):
        queryset = queryset.filter(room__slug=room)
    if actor := filters.get("actor"):
        queryset = queryset.filter(actor__slug=actor)
    if target := filters.get("target"):
        queryset = queryset.filter(target_groups__slug=target)
    if theme := filters.get("theme"):
        queryset = queryset.filter(themes__slug=theme)
    if language := filters.get("language"):
        queryset = queryset.filter(languages__slug=language)
    if series := filters.get("series"):
        queryset = queryset.filter(series_id=series)
    if filters.get("city"):
        queryset = queryset.filter(open_to_whole_city=True)
    return queryset


# What a calendar item shows.
# What the calendar's pages read: the stored item says the rest.
CALENDAR_FIELDS = ("pk", "start", "status", "visibility", "series_id", "feed_html")
ROW_FIELDS = (
    "pk",
    "title",
    "start",
    "end",
    "status",
    "visibility",
    "series_id",
    "room__name",
    "actor__name",
    "feed_html",
)


# A booking lies within one local day (the services refuse anything else, an
# override included), so a period's bookings start at most this long before
# it (25 hours: the night the clocks go back): bounding the start from below
# lets the (start, end) index read just the period.
LONGEST_BOOKING = datetime.timedelta(hours=25)


def visible(user, start: datetime.datetime, end: datetime.datetime, filters: dict):
    """The bookings overlapping [start, end) that ``user`` may see, filtered."""
    return _filtered(
        Booking.objects.visible_to(user)
        .listed()
        .filter(
            start__gte=start - LONGEST_BOOKING,
            start__lt=end,
            end__gt=start,
        ),
        filters,
    )


def occurrences(
    user, start: datetime.datetime, end: datetime.datetime, filters: dict, fields=ROW_FIELDS
) -> list[dict]:
    """The occurrences overlapping [start, end) that ``user`` may see, in time
    order, as dicts with local times, each with its calendar item as stored
    (`feed_html`, kept current by texts.current). One query, whose SQL is
    written once per shape (centre.sql): who reads, which filters, the day."""
    names = tuple(sorted(filters))
    slots = {name: True if name == "city" else Slot(name, FILTER_FIELDS[name]) for name in names}

    def build():
        return plain(
            visible(user, Slot("start", TIME), Slot("end", TIME), slots).order_by(
                "start", "room__name", "pk"
            )
        )

    prepared = Prepared(
        Booking,
        key=("occurrences", visible_to(user), names, timezone.localdate()),
        build=build,
        values={"start": start, "end": end, **filters},
    )
    return texts.current(prepared, fields)


TIME = models.DateTimeField()
# What each filter's value is compared with.
FILTER_FIELDS = {
    "room": models.CharField(),
    "actor": models.CharField(),
    "target": models.CharField(),
    "theme": models.CharField(),
    "language": models.CharField(),
    "series": models.IntegerField(),
}


def feed_window(
    query: CalendarQuery, explicit: bool
) -> tuple[datetime.datetime, datetime.datetime]:
    """A feed lists the calendar's period when one is asked for (`view` or
    `date`), else from a month back to a year ahead, in whole days."""
    if explicit:
        return query.period.start, query.period.end
    return default_feed_window()


def default_feed_window() -> tuple[datetime.datetime, datetime.datetime]:
    today = timezone.localdate()
    return aware(today - FEED_PAST), aware(today + FEED_AHEAD)
