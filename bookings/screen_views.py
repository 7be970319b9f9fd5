"""The lobby information screen: what is on now and next in each room, the
rest of today, the clock and the opening hours. Public, no login, nothing to
click. static/js/screen.js swaps in a fresh data fragment (``?partial=1``)
every minute and keeps the last one, with its age, while the server is away.

A divisible hall and its parts share space: a room shows the public
activities of every room it shares a unit with (the hall's activity on its
halves' doors, a half's activity on the hall's door), labelled with the room
they are in. Five queries for an anonymous visitor: the centre's name, the
opening hours and closed days, the rooms with their parts, today's bookings."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centre.selectors import HouseStatus, aware, house_status

from .filters import ScreenForm
from .models import Booking, Room

# What fits on a 1920 x 1080 screen; the rest is counted, not listed.
ACTIVITIES_SHOWN = 10


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
    bookings = list(
        Booking.objects.visible_to(None)
        .confirmed()
        .between(now, day_end)
        .filter(room_id__in=relevant)
        .select_related("actor")
        .only("title", "start", "end", "room_id", "actor__name")
        .order_by("start", "end", "pk")
    )
    for booking in bookings:
        booking.is_now = booking.start <= now
        booking.room_name = rooms[booking.room_id].name
    for room in shown:
        mine = [b for b in bookings if rooms[b.room_id].units & room.units]
        room.now = [b for b in mine if b.is_now]
        coming = [b for b in mine if not b.is_now]
        room.next = coming[0] if coming else None
        room.later = coming[1:]
    # The whole house lists all of today's activities; one room's door lists
    # what follows its next one.
    activities = single.later if single else bookings
    return ScreenData(
        now=now,
        status=status,
        rooms=shown,
        room=single,
        activities=activities[:ACTIVITIES_SHOWN],
        more=max(0, len(activities) - ACTIVITIES_SHOWN),
    )


def _stale_notices() -> dict[str, str]:
    """The notice shown when a refresh fails, with {time} and {minutes} for screen.js to fill."""
    notices = {}
    for form, count in (("one", 1), ("other", 2)):
        notices[form] = ngettext(
            "Showing data from %(time)s (%(minutes)s minute ago) – trying again",
            "Showing data from %(time)s (%(minutes)s minutes ago) – trying again",
            count,
        ) % {"time": "{time}", "minutes": "{minutes}"}
    return notices


def screen(request):
    query = ScreenForm(request.GET)
    if query.has_error("room"):
        raise Http404(_("There is no room with that address."))
    data = screen_data(query.value("room") or None)
    context = {"data": data, "room": data.room}
    if query.value("partial"):
        response = render(request, "bookings/_screen_data.html", context)
        add_never_cache_headers(response)
        return response
    context.update(
        refresh_seconds=query.value("refresh"),
        time_zone=settings.TIME_ZONE,
        stale=_stale_notices(),
    )
    response = render(request, "bookings/screen.html", context)
    add_never_cache_headers(response)
    return response
