"""The feeds' iCalendar writer (bookings.calendar.ical) against `icalendar`,
byte for byte, and the stored feed texts (bookings.calendar.feeds) staying
true to what they show."""

import datetime
import io
import zoneinfo

import pytest
from django.db import OperationalError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event

from bookings.calendar import ical, texts
from bookings.models import Booking
from tests.factories import ActorFactory, BookingFactory, RoomFactory, vevent

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")

AWKWARD = [
    "Lektiecafé",
    "Møde; om penge, regler",
    'Citat "med" anførselstegn',
    "Sti C:\\temp\\ny mappe",
    "Bogstaveligt \\N og \\n i teksten",
    "To linjer\nanden linje",
    "Windows\r\nlinjeskift og alene\rretur",
    "Bcc: x@example.org\r\nSubject: spam",
    "lang " * 40 + "slut",
    "æøå" * 40,
    "😀 emoji på grænsen " * 6,
    "x" * 73 + "\\,",  # an escape right at the fold
    "x" * 72 + "æ" + "y" * 10,  # a two-byte character at the fold
    "عربي ودنماركي معًا",
    "tab\tog\tkontrol\x07tegn",
    "semikolon;" * 20,
]


def icalendar_line(name: str, value: str) -> bytes:
    """What `icalendar` writes for one TEXT property."""
    event = Event()
    event.add(name, value)
    lines = event.to_ical().split(b"\r\n")
    start = next(
        i for i, line in enumerate(lines) if line.upper().startswith(name.upper().encode())
    )
    end = start + 1
    while lines[end].startswith(b" "):
        end += 1
    return b"\r\n".join(lines[start:end]) + b"\r\n"


@pytest.mark.parametrize("value", AWKWARD)
@pytest.mark.parametrize("name", ["SUMMARY", "DESCRIPTION", "LOCATION"])
def test_a_text_line_is_written_as_icalendar_writes_it(name, value):
    assert ical.text(name, value).encode() == icalendar_line(name, value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=300))
def test_any_text_is_written_as_icalendar_writes_it(value):
    assert ical.text("SUMMARY", value).encode() == icalendar_line("SUMMARY", value)


@pytest.mark.parametrize("title", AWKWARD)
def test_a_whole_event_is_the_same_bytes_as_icalendars(title):
    start = datetime.datetime(2026, 3, 29, 1, 30, tzinfo=COPENHAGEN)  # the night the clocks move
    end = datetime.datetime(2026, 3, 29, 4, 0, tzinfo=COPENHAGEN)
    stamp = datetime.datetime(2026, 3, 1, 12, 0, 5, 123456, tzinfo=datetime.UTC)
    values = {
        "uid": "booking-42@samhus.example.dk",
        "summary": title,
        "start": start,
        "end": end,
        "stamp": stamp,
        "sequence": 3,
        "description": f"Kvindeforum\n\n{title}",
        "location": f"Salen, {title}",
        "status": "CANCELLED",
        "url": "https://samhus.example.dk/calendar/activities/42/",
    }
    event = Event()
    event.add("uid", values["uid"])
    event.add("summary", title)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", 3)
    event.add("location", values["location"])
    event.add("status", "CANCELLED")
    event.add("url", values["url"])
    event.add("description", values["description"])
    assert ical.vevent(**values).encode() == event.to_ical()


def test_a_document_parses_with_its_time_zone_and_events():
    start = datetime.datetime(2026, 12, 8, 17, tzinfo=COPENHAGEN)
    event = vevent(start, summary="Zumba, for alle")
    body = ical.document([event.encode()], name="Huset\r\nBcc: x")
    assert all(line.endswith(b"\r") or not line for line in body.split(b"\n"))  # CRLF only
    calendar = Calendar.from_ical(body)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    (parsed,) = calendar.walk("VEVENT")
    assert parsed["SUMMARY"] == "Zumba, for alle"
    assert parsed.start == start and "DESCRIPTION" not in parsed
    assert calendar["NAME"] == "Huset Bcc: x"  # one line


# The stored texts


@pytest.mark.django_db
def test_a_feed_rewrites_the_texts_a_rename_made_out_of_date(client, actor):
    booking = BookingFactory(actor=actor, room=RoomFactory(name="Salen"))
    client.get("/calendar/feed.ics")
    stamp = Booking.objects.get(pk=booking.pk).feed_stamp
    assert stamp
    actor.name = "Kvindeforum Korsør"
    actor.save()
    assert Booking.objects.get(pk=booking.pk).feed_stamp == ""  # the rename cleared it
    body = client.get("/calendar/feed.ics").content
    assert "DESCRIPTION:Kvindeforum Korsør".encode() in body
    assert (
        "Kvindeforum Korsør" in client.get("/calendar/feed.json").json()["activities"][0]["actor"]
    )
    stored = Booking.objects.get(pk=booking.pk)
    assert stored.feed_stamp == stamp  # written back: the next feed reads it as it is
    assert "Kvindeforum Korsør".encode() in bytes(stored.feed_ics)


@pytest.mark.django_db
def test_a_renamed_room_or_actor_slug_reaches_the_calendar_and_other_saves_keep_the_texts(
    client, actor
):
    room = RoomFactory(name="Salen")
    booking = BookingFactory(actor=actor, room=room)
    other = BookingFactory(actor=ActorFactory(), room=RoomFactory(name="Køkkenet"))
    stamp = Booking.objects.get(pk=booking.pk).feed_stamp
    actor.description = "Nyt om os"
    actor.save()
    room.capacity = 40
    room.save()
    assert Booking.objects.get(pk=booking.pk).feed_stamp == stamp  # nothing the texts show
    room.name = "Store sal"
    room.save()
    actor.slug = "kvindeforum"
    actor.save()
    assert Booking.objects.get(pk=other.pk).feed_stamp == stamp  # another room's and actor's
    day = timezone.localtime(booking.start).date().isoformat()
    page = client.get(f"/calendar/?view=week&date={day}").content.decode()
    assert "Store sal" in page and "Salen" not in page
    (item,) = [
        a
        for a in client.get("/calendar/feed.json").json()["activities"]
        if "Store sal" in a["room"]
    ]
    assert item["actor_url"].endswith("/kvindeforum/")


@pytest.mark.django_db
def test_a_new_site_address_reaches_every_uid_and_link(client, actor, settings):
    BookingFactory(actor=actor, room=RoomFactory())
    client.get("/calendar/feed.ics")
    settings.SITE_URL = "https://samhus.example.dk"
    body = client.get("/calendar/feed.ics").content
    assert b"@samhus.example.dk" in body and b"URL:https://samhus.example.dk/calendar/" in body
    assert b"@127.0.0.1" not in body


@pytest.mark.django_db
def test_when_the_database_refuses_the_rewrite_the_feed_is_still_right(
    client, actor, monkeypatch, caplog
):
    booking = BookingFactory(actor=actor, room=RoomFactory(), title="Før")
    client.get("/calendar/feed.ics")
    Booking.objects.filter(pk=booking.pk).update(title="Efter", sequence=1)

    def refused(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(texts, "refresh", refused)
    body = client.get("/calendar/feed.ics").content
    assert b"SUMMARY:Efter" in body and b"SEQUENCE:1" in body
    assert "could not be rewritten" in caplog.text


@pytest.mark.django_db
def test_every_booking_service_leaves_the_feed_texts_current(
    client, booker, coordinator, room, actor, monkeypatch
):
    """Requests, series, decisions, changes and re-added dates write their
    texts themselves: the feed then rewrites nothing."""
    from bookings import services
    from tests.factories import in_days

    one = services.booking_request(
        by=booker,
        room=room,
        actor=actor,
        title="Strikkecafé",
        start=in_days(3, 10),
        end=in_days(3, 12),
    )
    series = services.series_request(
        by=booker,
        room=room,
        actor=actor,
        title="Zumba",
        rule="FREQ=WEEKLY",
        first_day=in_days(4).date(),
        start_time=datetime.time(17),
        end_time=datetime.time(18),
        until=in_days(40).date(),
    )
    dates = list(series.occurrences.order_by("start"))
    services.booking_update(booking=dates[0], by=booker, scope="following", title="Zumba for alle")
    services.booking_cancel(booking=dates[1], by=booker)
    services.series_readd(series=series, day=timezone.localdate(dates[1].start), by=booker)
    services.booking_cancel(booking=one, by=coordinator)

    def no_rewrite(*args, **kwargs):
        raise AssertionError("a service left a feed text out of date")

    monkeypatch.setattr(texts, "repair", no_rewrite)
    body = client.get("/calendar/feed.ics").content
    assert b"SUMMARY:Zumba for alle" in body and b"STATUS:CANCELLED" in body
    events = Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == series.occurrences.count() + 1  # the cancelled one-off stays, marked


@pytest.mark.django_db
def test_the_command_writes_only_the_texts_that_are_out_of_date(actor):
    from django.core.management import call_command

    from tests.factories import in_days

    room = RoomFactory()
    BookingFactory(actor=actor, room=room, start=in_days(2, 10), end=in_days(2, 11))
    stale = BookingFactory(actor=actor, room=room, start=in_days(3, 10), end=in_days(3, 11))
    Booking.objects.filter(pk=stale.pk).update(feed_stamp="", feed_html="")
    out = io.StringIO()
    call_command("write_calendar_texts", stdout=out)
    assert "written for 1 of the bookings" in out.getvalue()
    assert "Aktivitet" in Booking.objects.get(pk=stale.pk).feed_html
    out = io.StringIO()
    call_command("write_calendar_texts", stdout=out)
    assert "written for 0 of the bookings" in out.getvalue()
