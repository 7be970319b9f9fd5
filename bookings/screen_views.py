"""The lobby information screen: what is on now and next in each room, the
day's programme as a timeline, the clock, the opening hours, the house's
message line and a QR code to the calendar. Public, no login, nothing to
click. static/js/screen.js swaps in a fresh data fragment (``?partial=1``)
every minute (in the next of the house's languages, when a coordinator has
chosen several: `screen_language`) and keeps the last one, with its age, while the server is away;
when the rooms or the programme fill more than a screen, it shows them a page
at a time (without JavaScript every page is shown, one below the other).

Once the house has closed for the day, the programme is the next opening
day's, so residents passing in the evening or on a closed day see what comes.

A divisible hall and its parts share space: a room shows the public
activities of every room it shares a unit with (the hall's activity on its
halves' doors, a half's activity on the hall's door), labelled with the room
they are in. Five queries for an anonymous visitor: the centre's name, the
opening hours and closed days, the rooms with their parts, today's bookings."""

import datetime
import functools
from dataclasses import dataclass, field

import segno
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centre.links import absolute
from centre.models import Centre
from centre.selectors import HouseStatus, aware, house_status

from .filters import ScreenForm
from .models import Booking, Room

# What fits on a 1920 x 1080 screen at a size read from five metres: one page
# of rooms and one page of the programme; screen.js turns the pages.
ROOMS_PER_PAGE = 4
ACTIVITIES_PER_PAGE = 5
# How long a page of rooms or of the programme stays before the next.
PAGE_SECONDS = 15
# The programme lists at most this many; the rest is counted, not listed.
ACTIVITIES_SHOWN = 24


@dataclass
class ScreenRoom:
    pk: int
    name: str
    slug: str
    units: frozenset[int] = frozenset()
    now: list[Booking] = field(default_factory=list)
    next: Booking | None = None
    later: list[Booking] = field(default_factory=list)


@dataclass
class ScreenData:
    now: datetime.datetime
    status: HouseStatus
    rooms: list[ScreenRoom]
    room: ScreenRoom | None
    activities: list[Booking]
    more: int
    # The day the programme shows: today, or the next opening day once the
    # house has closed for today.
    day: datetime.date

    @property
    def is_today(self) -> bool:
        return self.day == self.now.date()

    @property
    def room_pages(self) -> list[list[ScreenRoom]]:
        return _pages(self.rooms, ROOMS_PER_PAGE)

    @property
    def activity_pages(self) -> list[list[Booking]]:
        return _pages(self.activities, ACTIVITIES_PER_PAGE)


def _pages(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def programme_day(status: HouseStatus) -> datetime.date:
    """Today while the house is open or opens later today; once it has closed
    for the day (or stays closed), the next day it opens, if within the week."""
    today = status.now.date()
    if status.open_now or status.next_opening is None:
        return today
    return status.next_opening.date()


def _rooms() -> dict[int, ScreenRoom]:
    """Every room in use, in name order, with the indivisible units it occupies (one query)."""
    rooms: dict[int, ScreenRoom] = {}
    parts: dict[int, list[int]] = {}
    active: set[int] = set()
    for pk, name, slug, is_active, part in Room.objects.values_list(
        "pk", "name", "slug", "is_active", "parts"
    ):
        if pk not in rooms:
            rooms[pk] = ScreenRoom(pk=pk, name=name, slug=slug)
        if is_active:
            active.add(pk)
        if part is not None:
            parts.setdefault(pk, []).append(part)

    def units(pk: int, seen: frozenset[int] = frozenset()) -> frozenset[int]:
        children = [p for p in parts.get(pk, []) if p not in seen]
        if not children:
            return frozenset([pk])
        return frozenset().union(*(units(p, seen | {pk}) for p in children))

    for pk, room in rooms.items():
        room.units = units(pk)
    return {pk: room for pk, room in rooms.items() if pk in active}


def screen_data(room_slug: str | None = None, now: datetime.datetime | None = None) -> ScreenData:
    """Now, next and the rest of today: per room, or for the one room given by its slug.
    Raises Http404 for a slug that is not a room in use."""
    now = timezone.localtime(now)
    day_end = aware(now.date() + datetime.timedelta(days=1))
    status = house_status(now)
    day = programme_day(status)
    rooms = _rooms()
    single = None
    if room_slug is not None:
        single = next((r for r in rooms.values() if r.slug == room_slug), None)
        if single is None:
            raise Http404(_("There is no room with that address."))
        shown = [single]
        relevant = [pk for pk, r in rooms.items() if r.units & single.units]
    else:
        shown = list(rooms.values())
        relevant = list(rooms)
    # One range, from now to the end of the programme's day (one index scan;
    # an OR of two ranges reads the whole table): the days between, when the
    # house is closed, are left out below.
    programme_start = aware(day) if day != now.date() else now
    found = list(
        Booking.objects.visible_to(None)
        .confirmed()
        .between(now, aware(day + datetime.timedelta(days=1)))
        .filter(room_id__in=relevant)
        .select_related("actor")
        .only("title", "start", "end", "room_id", "actor__name")
        .order_by("start", "end", "pk")
    )
    for booking in found:
        booking.is_now = booking.start <= now
        booking.room_name = rooms[booking.room_id].name
    bookings = [b for b in found if b.start < day_end]
    for room in shown:
        mine = [b for b in bookings if rooms[b.room_id].units & room.units]
        room.now = [b for b in mine if b.is_now]
        coming = [b for b in mine if not b.is_now]
        room.next = coming[0] if coming else None
        room.later = coming[1:]
    # The whole house lists the programme (the rest of today, or the next
    # opening day's); one room's door lists what follows its next one today.
    if single:
        activities = single.later
    elif day == now.date():
        activities = bookings
    else:
        activities = [b for b in found if b.start >= programme_start]
    return ScreenData(
        now=now,
        status=status,
        rooms=shown,
        room=single,
        activities=activities[:ACTIVITIES_SHOWN],
        more=max(0, len(activities) - ACTIVITIES_SHOWN),
        day=day,
    )


@functools.lru_cache(maxsize=8)
def calendar_qr(url: str) -> str:
    """The calendar's address as an inline SVG QR code: dark modules on a light
    square with its quiet zone, which phones read best. Encoding it costs 15 to
    20 ms, as much as the rest of the page, and the address hardly ever
    changes, so each process keeps the last few."""
    code = segno.make_qr(url, error="m")
    svg = code.svg_inline(scale=6, border=4, dark="#000", light="#fff", omitsize=True)
    # The picture is named by the element around it (the template).
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


# A count of each of Unicode's plural categories, the ones Intl.PluralRules names.
PLURAL_EXAMPLES = (("zero", 0), ("one", 1), ("two", 2), ("few", 3), ("many", 11), ("other", 100))


def _stale_notices() -> dict[str, str]:
    """The notice shown when a refresh fails, with {time} and {minutes} for screen.js to fill:
    one for each plural category screen.js may meet (Intl.PluralRules: Danish and
    English have one and other, Arabic all six), written for a count of that category."""
    notices = {}
    for form, count in PLURAL_EXAMPLES:
        notices[form] = ngettext(
            "Showing data from %(time)s (%(minutes)s minute ago) – trying again",
            "Showing data from %(time)s (%(minutes)s minutes ago) – trying again",
            count,
        ) % {"time": "{time}", "minutes": "{minutes}"}
    return notices


def screen_language(centre: Centre, asked: str) -> tuple[str, str]:
    """The language the screen's data is shown in this time, and the next
    time's: the house's languages in turn, one a refresh, when it has chosen
    several (``?lang`` names this time's); else the one asked for, or the
    visitor's."""
    turns = centre.screen_language_list
    if len(turns) > 1:
        this = asked if asked in turns else turns[0]
        return this, turns[(turns.index(this) + 1) % len(turns)]
    this = asked or translation.get_language() or settings.LANGUAGE_CODE
    return this, ""


def screen(request):
    query = ScreenForm(request.GET)
    if query.has_error("room"):
        raise Http404(_("There is no room with that address."))
    centre = Centre.load()
    language, following = screen_language(centre, query.value("lang"))
    with translation.override(language):
        return _screen(request, query, centre, following)


def _screen(request, query, centre, following: str):
    data = screen_data(query.value("room") or None)
    context = {
        "data": data,
        "room": data.room,
        "centre": centre,
        "next_language": following,
    }
    if query.value("partial"):
        response = render(request, "bookings/_screen_data.html", context)
        add_never_cache_headers(response)
        return response
    calendar_url = absolute(reverse("bookings:calendar"), request)
    again = request.GET.copy()
    if following:
        again["lang"] = following
    context.update(
        calendar_url=calendar_url,
        calendar_qr=calendar_qr(calendar_url),
        page_seconds=PAGE_SECONDS,
        refresh_seconds=query.value("refresh"),
        refresh_query=again.urlencode(),
        time_zone=settings.TIME_ZONE,
        stale=_stale_notices(),
    )
    response = render(request, "bookings/screen.html", context)
    add_never_cache_headers(response)
    return response
