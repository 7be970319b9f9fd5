"""The activity calendar's reads: which occurrences a visitor sees, for which
period and filters. The HTML calendar, the iCalendar feed and the JSON feed
all list what `occurrences()` returns, so they always agree.

Rows are plain dicts from one `.values()` query: the calendar shows a few
fields of many rows, and building model instances for them would cost more
than the page."""

import datetime
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlencode

from django import forms
from django.db import connections
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, Language, TargetGroup, Theme
from centre.selectors import aware

from .models import Booking, Room, Status, Visibility

VIEWS = ("month", "week", "list")
LIST_DAYS = 14
# The feeds' period when none is asked for: a month back, a year ahead.
FEED_PAST = datetime.timedelta(days=31)
FEED_AHEAD = datetime.timedelta(days=366)

FILTERS = ("room", "actor", "target", "theme", "language", "city")


def _vocabulary(model) -> list[tuple[str, str]]:
    # Shipped rows have English names translated by gettext (see actors/vocabulary.py).
    return [(slug, gettext(name)) for slug, name in model.objects.values_list("slug", "name")]


class CalendarForm(forms.Form):
    """The calendar's GET parameters. Choices are read once per request with
    one small query each and checked in Python, so a filter costs no extra query."""

    view = forms.ChoiceField(
        label=_("View"),
        required=False,
        choices=[("month", _("Month")), ("week", _("Week")), ("list", _("List"))],
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    room = forms.ChoiceField(label=_("Room"), required=False)
    actor = forms.ChoiceField(label=_("Actor"), required=False)
    target = forms.ChoiceField(label=_("For whom"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    city = forms.BooleanField(label=_("Open to the whole city"), required=False)

    def __init__(self, data, *args, only_given=False, **kwargs):
        """With ``only_given`` (the feeds), only the filters present are read."""
        super().__init__(data, *args, **kwargs)
        everything = [("", _("All"))]
        # A feed keeps working for a room taken out of use or an actor that
        # left: its subscribers see its past activities rather than everything.
        rooms = Room.objects.all() if only_given else Room.objects.active()
        actors = Actor.objects.all() if only_given else Actor.objects.current()
        sources = {
            "room": lambda: list(rooms.values_list("slug", "name")),
            "actor": lambda: list(actors.values_list("slug", "name")),
            "target": lambda: _vocabulary(TargetGroup),
            "theme": lambda: _vocabulary(Theme),
            "language": lambda: _vocabulary(Language),
        }
        for name, source in sources.items():
            if not only_given or data.get(name):
                self.fields[name].choices = everything + source()

    def clean_date(self):
        day = self.cleaned_data.get("date")
        if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Choose a date between the years %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return day

    def options_html(self, name: str) -> str:
        """A select's options, written in one go: a house with a thousand
        actors would otherwise render a template per option."""
        field = self[name]
        current = str(field.value() or "")
        return mark_safe(
            "".join(
                f'<option value="{escape(str(value))}"{" selected" if str(value) == current else ""}>'
                f"{escape(str(label))}</option>"
                for value, label in self.fields[name].choices
            )
        )

    def selects(self):
        """The select filters with their options, for the template."""
        return [
            (self[name], self.options_html(name))
            for name in ("room", "actor", "target", "theme", "language")
        ]


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
ROW_FIELDS = ("pk", "title", "start", "end", "status", "visibility", "room__name", "actor__name")


# A booking lies within one local day (the services refuse anything else, an
# override included), so a period's bookings start at most this long before
# it (25 hours: the night the clocks go back): bounding the start from below
# lets the (start, end) index read just the period.
LONGEST_BOOKING = datetime.timedelta(hours=25)
# The dates the calendar shows; others are refused with a message.
FIRST_YEAR, LAST_YEAR = 1900, 2999


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


def fetch(queryset, fields) -> list[dict]:
    """The queryset's ``fields`` as dicts with local times, in one query.

    The ORM writes the SQL; the rows are read from the cursor as the driver
    returns them, without building a dict through the ORM's per-field
    converters: for the thousands of rows of a busy month or a year's feed
    that conversion alone costs more than the rest of the page."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    tz = timezone.get_current_timezone()
    times = [
        i for i, name in enumerate(fields) if name in ("start", "end", "updated", "cancelled_at")
    ]
    rows = []
    for values in raw:
        row = dict(zip(fields, values, strict=True))
        for i in times:
            moment = values[i]
            if moment is not None:
                # SQLite hands back naive UTC, PostgreSQL aware datetimes.
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=datetime.UTC)
                row[fields[i]] = moment.astimezone(tz)
        rows.append(row)
    return rows


def occurrences(
    user, start: datetime.datetime, end: datetime.datetime, filters: dict, fields=ROW_FIELDS
) -> list[dict]:
    """The occurrences overlapping [start, end) that ``user`` may see, in time
    order, as dicts with local times. One query."""
    return fetch(visible(user, start, end, filters).order_by("start", "room__name", "pk"), fields)


def day_label(day: datetime.date) -> str:
    return capfirst(f"{date_format(day, 'l')} {formats.date_format(day, 'MONTH_DAY_FORMAT')}")


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


@dataclass
class Day:
    date: datetime.date
    rows: list = field(default_factory=list)
    in_period: bool = True
    is_today: bool = False

    @property
    def label(self) -> str:
        """E.g. 'Tuesday December 1' or 'Tirsdag 1. december'."""
        return day_label(self.date)

    @property
    def items_html(self) -> str:
        return mark_safe("".join(row["html"] for row in self.rows))


def by_day(rows: list[dict], days: list[datetime.date], first=None, last=None) -> list[Day]:
    """Rows grouped under each day they start on (an activity past midnight shows on its first day)."""
    today = timezone.localdate()
    grouped = {
        day: Day(day, in_period=(first is None or first <= day < last), is_today=day == today)
        for day in days
    }
    for row in rows:
        day = grouped.get(row["start"].date())
        if day is not None:
            day.rows.append(row)
    return list(grouped.values())


def month_weeks(period: Period, rows: list[dict]) -> list[list[Day]]:
    month = period.day.replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    grouped = by_day(rows, period.days, month, following)
    return [grouped[i : i + 7] for i in range(0, len(grouped), 7)]


_ITEM = (
    '<li class="cal-item{css}"><a href="{url}"><span class="cal-time">{time}</span> '
    '<span class="cal-title">{title}</span></a> '
    '<span class="cal-meta">{room} · {actor}</span>{badges}</li>'
)


def decorate(rows: list[dict]) -> list[dict]:
    """Add what the templates print: the activity's address, its times as text
    and its list item as HTML.

    A busy month shows thousands of activities: each item is written here,
    every value escaped, instead of through a template include per row, which
    would cost several times the page's database work."""
    prefix = reverse("bookings:activity", args=[0]).removesuffix("0/")
    cancelled_badge = (
        f' <strong class="badge badge-cancelled">{escape(gettext("Cancelled"))}</strong>'
    )
    internal_badge = f' <span class="badge badge-internal">{escape(gettext("Internal"))}</span>'
    for row in rows:
        row["url"] = url = f"{prefix}{row['pk']}/"
        start, end = row["start"], row["end"]
        row["time"] = time = f"{start.hour:02}:{start.minute:02}–{end.hour:02}:{end.minute:02}"
        row["cancelled"] = cancelled = row["status"] == Status.CANCELLED
        row["internal"] = internal = row["visibility"] == Visibility.INTERNAL
        # Safe: every value in it is escaped above or is a fixed string.
        row["html"] = mark_safe(
            _ITEM.format(
                css=" is-cancelled" if cancelled else "",
                url=url,
                time=time,
                title=escape(row["title"]),
                room=escape(row["room__name"]),
                actor=escape(row["actor__name"]),
                badges=(cancelled_badge if cancelled else "")
                + (internal_badge if internal else ""),
            )
        )
    return rows
