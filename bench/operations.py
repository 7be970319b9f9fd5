"""The operations `manage.py bench` times, each a name and a callable: the
pages residents and members open most, a series request, the calendar's
views and feeds beside their floors, the collaboration map and the digest."""

import datetime

from django.db import transaction
from django.db.models import F
from django.test import Client
from django.utils import timezone

from actors.models import Actor
from bench import floors
from bookings import services
from bookings.calendar.query import FEED_AHEAD, FEED_PAST, occurrences, period_for
from bookings.models import Booking, Room
from centre.models import User
from centre.selectors import aware
from seasons.allocator import allocate
from seasons.standard import standard_round, standard_taken


class _Rollback(Exception):
    pass


def operations():
    # The season's allocation (seasons/allocator.py), pure Python, no queries;
    # issue #18's target: under 2 s.
    # With a weekly booking that already holds an evening in every room.
    wishes, rooms, rules = standard_round()
    taken = standard_taken(rooms)
    yield (
        f"season allocation, {len(wishes)} wishes x {len(rooms)} rooms",
        lambda: allocate(wishes, rooms, rules, taken),
    )
    anonymous = Client()
    pages = [
        "/",
        "/healthz",
        "/accounts/login/",
        "/actors/",
        "/actors/?sector=civil&target=women",
        "/offers/",
        "/offers/?target=youth&language=ar",
        "/rooms/",
    ]
    for path in pages:
        yield f"GET {path}", lambda path=path: anonymous.get(path)
    coordinator = User.objects.filter(is_coordinator=True).first()
    if coordinator:
        signed_in = Client()
        signed_in.force_login(coordinator)
        yield "GET /house/ (coordinator)", lambda: signed_in.get("/house/")
    room = Room.objects.filter(slug__startswith="bench-").order_by("slug").first()
    if room is None:
        return
    next_week = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    yield (
        "free/busy week, one room",
        lambda: anonymous.get(f"/rooms/{room.slug}/?date={next_week}"),
    )
    booker = User.objects.get(email="bench.booker@samhus.test")
    actor = Actor.objects.filter(slug__startswith="bench-").order_by("slug").first()

    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())

    def series():
        # Conflict check + insert of the free dates, rolled back so every run sees the same data.
        try:
            with transaction.atomic():
                services.series_request(
                    by=booker,
                    room=room,
                    actor=actor,
                    title="Målt serie",
                    rule="FREQ=WEEKLY",
                    first_day=monday,
                    start_time=datetime.time(17),
                    end_time=datetime.time(19),
                    book_rest=True,
                )
                raise _Rollback
        except _Rollback:
            pass

    yield "request a 52-week series (book the rest)", series
    yield from calendar_operations(anonymous)
    yield from collaboration_operations()
    yield from digest_operations()


def calendar_operations(anonymous):
    """The calendar's views of the busiest month, the year's feed, the lobby
    screen, each next to its floor: the same rows with nothing else."""
    starts = Booking.objects.visible_to(None).confirmed().values_list("start", flat=True)
    months: dict[datetime.date, int] = {}
    for start in starts:
        first = timezone.localtime(start).date().replace(day=1)
        months[first] = months.get(first, 0) + 1
    if not months:
        return
    busiest = max(months, key=months.get)
    week_day = busiest + datetime.timedelta(days=14)

    def floor_rows(rows):
        return [
            {
                "title": row["title"],
                "time": f"{row['start']:%H:%M}–{row['end']:%H:%M}",
                "start": row["start"],
                "end": row["end"],
                "room": row["room__name"],
                "actor": row["actor__name"],
            }
            for row in rows
        ]

    for view, day in (("month", busiest), ("week", week_day), ("list", busiest)):
        period = period_for(view, day)
        rows = floor_rows(occurrences(None, period.start, period.end, {}))
        url = f"/calendar/?view={view}&date={day.isoformat()}"
        yield (
            f"calendar {view}, all rooms ({len(rows)} rows)",
            lambda url=url: anonymous.get(url),
        )

        def floor(rows=rows):
            floors.ROWS = rows
            return anonymous.get("/bench/floor.html")

        yield f"floor: {view} rows, one loop ({len(rows)} rows)", floor
    today = timezone.localdate()
    rows = floor_rows(
        occurrences(
            None,
            aware(today - FEED_PAST),
            aware(today + FEED_AHEAD),
            {},
        )
    )
    now = timezone.now()
    yield (
        f"feed.ics, a year of public activities ({len(rows)} rows)",
        lambda: anonymous.get("/calendar/feed.ics"),
    )

    def text_floor(rows=rows):
        floors.ROWS = rows
        return anonymous.get("/bench/floor.txt")

    yield f"floor: the year's rows as text ({len(rows)} rows)", text_floor

    changed = (
        Booking.objects.visible_to(None).confirmed().filter(start__gt=now).order_by("start").first()
    )

    def feed_one_change():
        # One activity changed since the last request, outside the services:
        # the feed finds its stamp out of date and rewrites its text first.
        Booking.objects.filter(pk=changed.pk).update(
            updated=timezone.now(), sequence=F("sequence") + 1
        )
        return anonymous.get("/calendar/feed.ics")

    if changed:
        yield "feed.ics, after one activity changed", feed_one_change
    yield (
        f"feed.json, a year of public activities ({len(rows)} rows)",
        lambda: anonymous.get("/calendar/feed.json"),
    )
    yield "GET /screen/", lambda: anonymous.get("/screen/")


def collaboration_operations():
    """The map of the house over the benchmark's collaborations: the statistics
    page (three queries for the figures) and the network map (two queries, the
    server-side layout and the SVG), for the default twelve months and the whole log."""
    from django.template.loader import render_to_string

    from collaboration import stats
    from collaboration.models import Collaboration
    from collaboration.stats.views import network_legend

    coordinator = User.objects.filter(is_coordinator=True).first()
    count = Collaboration.objects.count()
    if coordinator is None or not count:
        return
    signed_in = Client()
    signed_in.force_login(coordinator)
    today = timezone.localdate()
    oldest = Collaboration.objects.order_by("started").values_list("started", flat=True)[0]
    # The filter allows at most ten years at a time.
    oldest = max(oldest, today.replace(year=today.year - 10) + datetime.timedelta(days=1))
    periods = [
        ("12 months", stats.default_filters(today)),
        ("whole log", stats.Filters(first=oldest, last=today)),
    ]
    for label, filters in periods:
        url = "/collaboration/map/?" + filters.query
        yield (
            f"collaboration map (statistics), {label} ({count})",
            lambda url=url: signed_in.get(url),
        )

        def network_map(filters=filters):
            network = stats.network_for(filters)
            return render_to_string(
                "collaboration/_network.html", {"network": network, "legend": network_legend()}
            )

        yield f"network map, {label}", network_map


def digest_operations():
    """The digest for 150 recipients, half in Danish, half in English:
    built, not sent (sending is the SMTP server's time)."""
    from allauth.account.models import EmailAddress

    from centre.models import Centre
    from collaboration import digest
    from collaboration.models import CouncilMember

    for n in range(150):
        email = f"bench.digest.{n:03}@samhus.test"
        user, _created = User.objects.get_or_create(
            email=email, defaults={"name": f"Modtager {n}", "language": "da" if n % 2 else "en"}
        )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        CouncilMember.objects.get_or_create(
            user=user,
            defaults={
                "role": CouncilMember.Role.SUBSTITUTE,
                "since": datetime.date(2025, 1, 1),
            },
        )
    period = digest.current_period(Centre.load())
    recipients = len(digest.recipients(period))
    yield (
        f"digest built for {recipients} recipients, two languages",
        lambda: digest.build_all(period),
    )
