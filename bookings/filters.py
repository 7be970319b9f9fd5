"""The bookings pages' query parameters, each read by a form (the calendar's
own is in calendar/query.py).

A date, a period or a room a page is asked for that cannot be used answers
400 with what is wrong (centre.forms.bad_query): a room's week, the booking
form's prefill, the requests queue, fair use and room use. The screen's and
the parallel overview's knobs fall back to their defaults instead: a lobby
screen must always show something."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from centre.dates import DateField

from . import room_use
from .models import Room

ISO_DATE = ["%Y-%m-%d"]


def _date(label, **kwargs):
    return DateField(label=label, required=False, input_formats=ISO_DATE, **kwargs)


class _SlugChoice(forms.ModelChoiceField):
    """A room or actor by its slug, as links and filters name them."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="slug", required=False, **kwargs)


class RoomWeekForm(forms.Form):
    """A room's page: the week of ``?date=`` (Monday to Sunday), else this week."""

    date = _date(_("Week of"))

    def monday(self) -> datetime.date:
        day = self.cleaned_data.get("date") or timezone.localdate()
        return day - datetime.timedelta(days=day.weekday())


class BookingStartForm(forms.Form):
    """The booking form prefilled from a free stretch of a room's week."""

    room = _SlugChoice(Room.objects.active(), label=_("Room"))
    date = _date(_("Date"))
    start = forms.TimeField(label=_("Starts"), required=False, input_formats=["%H:%M"])
    end = forms.TimeField(label=_("Ends"), required=False, input_formats=["%H:%M"])

    def booking_initial(self) -> dict:
        """The booking form's initial values for what was given."""
        data = self.cleaned_data
        names = {"room": "room", "date": "date", "start": "start_time", "end": "end_time"}
        return {names[name]: data[name] for name in names if data.get(name)}


class RequestFilterForm(forms.Form):
    """The coordinators' queue of requests, by room, actor and day."""

    room = _SlugChoice(Room.objects.active(), label=_("Room"))
    actor = _SlugChoice(Actor.objects.current(), label=_("Actor"))
    date = _date(_("Date"))


class FairUseForm(forms.Form):
    """Fair use over ``?from=`` to ``?to=``: this month so far by default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the fields are added here.
        self.fields["from"] = _date(_("From"))
        self.fields["to"] = _date(_("To"))

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        first = self.cleaned_data.get("from") or today.replace(day=1)
        last = self.cleaned_data.get("to") or today
        return (last, first) if last < first else (first, last)


class RoomUseForm(forms.Form):
    """Room use for ``?period=week|month&date=``: this month by default."""

    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[(room_use.MONTH, _("Month")), (room_use.WEEK, _("Week"))],
    )
    date = _date(_("Date"))

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def period_asked(self) -> room_use.Period:
        kind = self.cleaned_data.get("period") or room_use.MONTH
        day = self.cleaned_data.get("date") or self.today or timezone.localdate()
        return room_use.period_for(kind, day)


class _Fallback(forms.Form):
    """A form whose fields each fall back to their initial value when wrong."""

    def value(self, name: str):
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        if cleaned.get(name) in (None, ""):
            return self.fields[name].initial
        return cleaned[name]


class ScreenForm(_Fallback):
    """The lobby screen: a room's door or the whole house, the refresh fragment,
    and how often it is fetched (2 s to an hour, a minute when not a number)."""

    REFRESH_DEFAULT, REFRESH_MIN, REFRESH_MAX = 60, 2, 3600

    room = forms.SlugField(required=False, initial=None)
    partial = forms.BooleanField(required=False, initial=False)
    refresh = forms.IntegerField(required=False, initial=REFRESH_DEFAULT)
    # The language this refresh is shown in, of those the house's screen
    # takes turns in (else any Samhus speaks).
    lang = forms.ChoiceField(required=False, choices=settings.LANGUAGES, initial="")

    def clean_refresh(self):
        seconds = self.cleaned_data["refresh"]
        if seconds is None:
            return None
        return min(max(seconds, self.REFRESH_MIN), self.REFRESH_MAX)


class ParallelForm(_Fallback):
    """The parallel activities overview: 1 to 12 weeks ahead, else four."""

    MAX_WEEKS = 12

    weeks = forms.IntegerField(required=False, min_value=1, max_value=MAX_WEEKS)

    def __init__(self, *args, default: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weeks"].initial = default
