"""Room use for coordinators: the page with its charts and tables, and the same
figures as CSV. The figures come from bookings/room_use.py."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from centre import csv_export
from centre.charts import bar_chart, heat_grid, one_decimal
from centre.forms import bad_query
from centre.permissions import coordinator_required

from . import room_use as selectors
from .filters import RoomUseForm


def period_label(period: selectors.Period) -> str:
    if period.kind == selectors.WEEK:
        return _("Week %(week)s, %(year)s") % {
            "week": period.week_number,
            "year": period.week_year,
        }
    return capfirst(date_format(period.first, "F Y"))


def _query(kind: str, day) -> str:
    return "?" + urlencode({"period": kind, "date": day.isoformat()})


def _percent(value: float) -> str:
    return _("%(share)s %%") % {"share": one_decimal(value)}


@coordinator_required
def room_use(request):
    query = RoomUseForm(request.GET)
    if not query.is_valid():
        return bad_query(request, query)
    period = query.period_asked()
    report = selectors.room_use(period)
    page = reverse("bookings:room-use")
    occupancy_chart = None
    if report.hours_open and report.rooms:
        occupancy_chart = bar_chart(
            [(room.name, room.share or 0.0) for room in report.rooms],
            max_value=100,
            value_format=_percent,
        )
    actor_chart = None
    if report.actors:
        actor_chart = bar_chart([(actor.name, actor.hours) for actor in report.actors])
    heat = None
    if report.busiest and report.busiest_max:
        heat = heat_grid(
            [row.label for row in report.busiest],
            [capfirst(WEEKDAYS_ABBR[day]) for day in range(7)],
            [row.cells for row in report.busiest],
        )
    return render(
        request,
        "bookings/room_use.html",
        {
            "report": report,
            "period": period,
            "label": period_label(period),
            "occupancy_chart": occupancy_chart,
            "actor_chart": actor_chart,
            "heat": heat,
            "previous_url": page + _query(period.kind, period.previous),
            "next_url": page + _query(period.kind, period.next),
            "csv_url": reverse("bookings:room-use-csv") + _query(period.kind, period.first),
        },
    )


def _number(value: float, places: int = 2) -> str:
    """The language's decimal sign, as the language's spreadsheet reads it (centre.csv_export)."""
    return csv_export.number(value, places)


@coordinator_required
def room_use_csv(request):
    query = RoomUseForm(request.GET)
    if not query.is_valid():
        return bad_query(request, query)
    period = query.period_asked()
    report = selectors.room_use(period)
    response, writer = csv_export.csv_response(f"room-use-{period.slug}.csv")
    writer.writerow(
        [_("Room use"), period_label(period), period.first.isoformat(), period.last.isoformat()]
    )
    writer.writerow([])
    writer.writerow([_("Occupancy of the rooms")])
    writer.writerow(
        [_("Room"), _("Hours booked"), _("Hours open"), _("Share of opening hours (%)")]
    )
    for room in report.rooms:
        share = "" if room.share is None else _number(room.share, 1)
        writer.writerow([room.name, _number(room.hours_booked), _number(room.hours_open), share])
    writer.writerow([])
    writer.writerow([_("Hours per actor")])
    writer.writerow([_("Actor"), _("Bookings"), _("Hours booked")])
    for actor in report.actors:
        writer.writerow([actor.name, actor.bookings, _number(actor.hours)])
    writer.writerow([])
    writer.writerow([_("Busiest hours")])
    writer.writerow([_("Weekday"), _("Hour"), _("Booked room-hours")])
    weekdays = report.weekdays
    for row in report.busiest:
        for weekday, hours in enumerate(row.cells):
            writer.writerow(
                [capfirst(weekdays[weekday]), f"{row.label}-{row.end_label}", _number(hours)]
            )
    return response
