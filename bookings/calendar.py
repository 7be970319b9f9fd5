"""The activity calendar's reads: which occurrences a visitor sees, for which
period and filters. The HTML calendar, the iCalendar feed and the JSON feed
all list what `occurrences()` returns, so they always agree.

Rows are plain dicts from one `.values()` query: the calendar shows a few
fields of many rows, and building model instances for them would cost more
than the page."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, Language, Membership, TargetGroup, Theme
from centre.roles import is_coordinator

from .models import Booking, Room, Status, Visibility

VIEWS = ("month", "week", "list")
LIST_DAYS = 14
# How long a cancelled date stays in the calendar and the feeds, marked as
# cancelled, so that subscribed calendars and regular visitors hear of it.
CANCELLED_SHOWN_FOR = datetime.timedelta(days=30)
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
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    room = forms.ChoiceField(label=_("Room"), required=False)
    actor = forms.ChoiceField(label=_("Actor"), required=False)
    target = forms.ChoiceField(label=_("For whom"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    city = forms.BooleanField(label=_("Open to the whole city"), required=False)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        everything = [("", _("All"))]
        self.fields["room"].choices = everything + list(
            Room.objects.active().values_list("slug", "name")
        )
        self.fields["actor"].choices = everything + list(
            Actor.objects.current().values_list("slug", "name")
        )
        self.fields["target"].choices = everything + _vocabulary(TargetGroup)
        self.fields["theme"].choices = everything + _vocabulary(Theme)
        self.fields["language"].choices = everything + _vocabulary(Language)


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
        return timezone.make_aware(datetime.datetime.combine(self.first, datetime.time.min))

    @property
    def end(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.last, datetime.time.min))

    @property
    def days(self) -> list[datetime.date]:
        return [
            self.first + datetime.timedelta(days=n) for n in range((self.last - self.first).days)
        ]


def period_for(view: str, day: datetime.date) -> Period:
    if view == "month":
        first = day.replace(day=1)
        last = (first + datetime.timedelta(days=32)).replace(day=1)
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        return Period(view, day, first, last, previous, last)
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
    def from_request(cls, request, default_view: str = "month") -> "CalendarQuery":
        form = CalendarForm(request.GET)
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


def visibility_for(user) -> Q:
    """What a visitor may see: public activities (cancelled ones for a while);
    members also their own actors' internal bookings, coordinators all of them."""
    cancelled_since = timezone.now() - CANCELLED_SHOWN_FOR
    visible = Q(visibility=Visibility.PUBLIC) & (
        Q(status=Status.CONFIRMED) | Q(status=Status.CANCELLED, cancelled_at__gte=cancelled_since)
    )
    if user is None or not user.is_authenticated:
        return visible
    internal = Q(visibility=Visibility.INTERNAL, status=Status.CONFIRMED)
    if is_coordinator(user):
        return visible | internal
    mine = Membership.objects.filter(user=user).values("actor_id")
    return visible | (internal & Q(actor_id__in=mine))


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
    if filters.get("city"):
        queryset = queryset.filter(open_to_whole_city=True)
    return queryset


ROW_FIELDS = (
    "pk",
    "title",
    "start",
    "end",
    "status",
    "visibility",
    "sequence",
    "updated",
    "series_id",
    "room__name",
    "actor__name",
    "actor__slug",
)


def occurrences(
    user, start: datetime.datetime, end: datetime.datetime, filters: dict, fields=ROW_FIELDS
) -> list[dict]:
    """The occurrences overlapping [start, end) that ``user`` may see, in time
    order, as dicts with local times. One query."""
    queryset = _filtered(
        Booking.objects.filter(visibility_for(user), start__lt=end, end__gt=start), filters
    )
    rows = list(queryset.order_by("start", "room__name", "pk").values(*fields))
    tz = timezone.get_current_timezone()
    for row in rows:
        row["start"] = row["start"].astimezone(tz)
        row["end"] = row["end"].astimezone(tz)
    return rows


def feed_window(
    query: CalendarQuery, explicit: bool
) -> tuple[datetime.datetime, datetime.datetime]:
    """A feed lists the calendar's period when one is asked for (`view` or
    `date`), else a month back and a year ahead."""
    if explicit:
        return query.period.start, query.period.end
    now = timezone.now()
    return now - FEED_PAST, now + FEED_AHEAD


@dataclass
class Day:
    date: datetime.date
    rows: list = field(default_factory=list)
    in_period: bool = True
    is_today: bool = False


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
    first = period.first - datetime.timedelta(days=period.first.weekday())
    last_day = period.last - datetime.timedelta(days=1)
    last = last_day + datetime.timedelta(days=6 - last_day.weekday())
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    grouped = by_day(rows, days, period.first, period.last)
    return [grouped[i : i + 7] for i in range(0, len(grouped), 7)]


def decorate(rows: list[dict]) -> list[dict]:
    """Add what the templates print: the activity's address and its times as text."""
    prefix = reverse("bookings:activity", args=[0]).removesuffix("0/")
    for row in rows:
        row["url"] = f"{prefix}{row['pk']}/"
        row["time"] = f"{row['start']:%H:%M}–{row['end']:%H:%M}"
        row["cancelled"] = row["status"] == Status.CANCELLED
        row["internal"] = row["visibility"] == Visibility.INTERNAL
    return rows
