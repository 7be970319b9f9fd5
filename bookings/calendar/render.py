"""What the calendar's rows look like on a page: grouped by day and week,
each row's list item written once."""

import datetime
from dataclasses import dataclass, field
from html import escape

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext

from .. import extensions
from ..models import Status, Visibility
from .query import Period


def day_label(day: datetime.date) -> str:
    return capfirst(f"{date_format(day, 'l')} {formats.date_format(day, 'MONTH_DAY_FORMAT')}")


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
    def anchor(self) -> str:
        """The id of the day's heading, e.g. 'day-20261207'."""
        return f"day-{self.date:%Y%m%d}"

    @property
    def items_html(self) -> str:
        return SafeString("".join(row["html"] for row in self.rows))


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


def day_sections(days: list[Day]) -> SafeString:
    """The week's and the list's days, each a section with its heading and
    its activities (or a line saying there are none), written in one go: a
    template would cost more per day than the day's activities."""
    today = escape(gettext("Today"))
    nothing = escape(gettext("Nothing on this day."))
    sections = []
    for day in days:
        badge = f' <span class="badge">{today}</span>' if day.is_today else ""
        body = (
            f'<ul class="cal-items">{day.items_html}</ul>'
            if day.rows
            else f'<p class="muted">{nothing}</p>'
        )
        sections.append(
            f'<section class="cal-dayblock{" cal-today" if day.is_today else ""}"'
            f' aria-labelledby="{day.anchor}"><h3 id="{day.anchor}">{escape(day.label)}{badge}</h3>'
            f"{body}</section>"
        )
    return SafeString("\n".join(sections))


def month_weeks(period: Period, rows: list[dict]) -> list[list[Day]]:
    month = period.day.replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    grouped = by_day(rows, period.days, month, following)
    return [grouped[i : i + 7] for i in range(0, len(grouped), 7)]


def items(rows: list[dict]) -> list[dict]:
    """Add each row's list item as HTML: the item stored with the booking
    (`feed_html`, written escaped by texts.texts) with the badges for a
    cancelled or an internal activity in the reader's language. A busy month
    shows thousands of activities; nothing in them is written per request but
    the badges."""
    cancelled_badge = (
        f' <strong class="badge badge-cancelled">{escape(gettext("Cancelled"))}</strong>'
    )
    internal_badge = f' <span class="badge badge-internal">{escape(gettext("Internal"))}</span>'
    cancelled_status, internal_visibility = str(Status.CANCELLED), str(Visibility.INTERNAL)
    # What other apps add (places left): one query for the page's rows.
    extra = extensions.badges_for([row for row in rows if row["status"] != cancelled_status])
    for row in rows:
        row["cancelled"] = cancelled = row["status"] == cancelled_status
        row["internal"] = internal = row["visibility"] == internal_visibility
        row["html"] = SafeString(  # the stored item is escaped; the rest is fixed text
            f'<li class="cal-item{" is-cancelled" if cancelled else ""}">{row["feed_html"]}'
            f"{cancelled_badge if cancelled else ''}{internal_badge if internal else ''}"
            f"{extra.get(row['pk'], '')}</li>"
        )
    return rows


def decorate(rows: list[dict]) -> list[dict]:
    """`items`, plus the activity's address and its times as text, for pages
    that write their own markup around a few activities."""
    prefix = reverse("bookings:activity", args=[0]).removesuffix("0/")
    for row in items(rows):
        row["url"] = f"{prefix}{row['pk']}/"
        start, end = row["start"], row["end"]
        row["time"] = f"{start.hour:02}:{start.minute:02}–{end.hour:02}:{end.minute:02}"
    return rows
