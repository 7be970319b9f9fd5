"""Places in the feeds (issue #17): a date that takes sign-ups carries its
places in the JSON feed ("places") and in its VEVENT's DESCRIPTION ("2 of 4
places left"), in the reader's language, added as the feed answers; other
bookings' texts, and the stored texts, are untouched. Valid RFC 5545."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from bookings import services as booking_services
from bookings.calendar import ical, texts
from bookings.models import Booking
from signups import services
from tests.factories import BookingFactory, in_days, vevent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def feed(kind: str, language="en"):
    return Client(HTTP_ACCEPT_LANGUAGE=language).get(reverse(f"bookings:feed-{kind}"))


def events(language="en") -> dict[str, object]:
    calendar = Calendar.from_ical(feed("ics", language).content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def plain(room, actor):
    return BookingFactory(room=room, actor=actor, title="Bestyrelsesmøde", start=in_days(4, 10))


def test_the_json_feed_gives_the_places_of_a_date_that_takes_sign_ups_only(sheet, activity, plain):
    services.sign_up(booking=activity, name="Ada", email="a@example.org", people=2, language="en")
    items = {item["title"]: item for item in json.loads(feed("json").content)["activities"]}
    assert items["Strikkecafé"]["places"] == {
        "places": 4,
        "left": 2,
        "waiting_list": True,
        "state": "open",
        "text": "2 of 4 places left",
    }
    assert "places" not in items["Bestyrelsesmøde"]
    danish = json.loads(feed("json", "da").content)["activities"]
    assert {i["title"]: i for i in danish}["Strikkecafé"]["places"]["text"] == (
        "2 af 4 pladser tilbage"
    )
    # The stored texts stay the booking's own: places change with every sign-up.
    stored = Booking.objects.get(pk=activity.pk)
    assert b"places" not in bytes(stored.feed_json)
    assert b"places left" not in bytes(stored.feed_ics)


def test_the_ical_feed_says_the_places_in_the_description_and_stays_valid(sheet, activity, plain):
    activity.description = "Vi strikker; tag garn med, og en ven. " * 4
    activity.save()
    texts.refresh([activity.pk])  # as the booking services do after a write
    services.sign_up(booking=activity, name="Ada", email="a@example.org", people=2, language="en")
    content = feed("ics").content
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    found = events()
    description = str(found["Strikkecafé"]["DESCRIPTION"])
    assert description == f"Kvindeforum\n\n{activity.description}\n\n2 of 4 places left"
    assert "places left" not in str(found["Bestyrelsesmøde"]["DESCRIPTION"])
    assert str(events("da")["Strikkecafé"]["DESCRIPTION"]).endswith("2 af 4 pladser tilbage")


def test_a_full_date_says_waiting_list_and_a_cancelled_one_says_nothing(
    sheet, activity, coordinator
):
    for email in ("a@example.org", "b@example.org"):
        services.sign_up(booking=activity, name="Ada", email=email, people=2, language="en")
    found = events()
    assert str(found["Strikkecafé"]["DESCRIPTION"]).endswith("Full – waiting list")
    item = json.loads(feed("json").content)["activities"][0]
    assert (item["places"]["state"], item["places"]["left"]) == ("waiting", 0)
    booking_services.booking_cancel(booking=activity, by=coordinator)
    assert "places" not in json.loads(feed("json").content)["activities"][0]
    assert "Full" not in str(events()["Strikkecafé"].get("DESCRIPTION", ""))


def test_a_sign_up_changes_the_feeds_etag(sheet, activity):
    before = feed("ics")["ETag"]
    services.sign_up(booking=activity, name="Ada", email="a@example.org", people=1, language="en")
    assert feed("ics")["ETag"] != before


def test_the_places_cost_one_query_however_many_dates_take_sign_ups(sheet, activity, room, actor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from signups.models import Sheet

    client = Client()
    url = reverse("bookings:feed-json")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for days in (5, 6, 7):
        other = BookingFactory(room=room, actor=actor, title=f"Dag {days}", start=in_days(days, 10))
        Sheet.objects.create(booking=other, places=10)
    client.get(url)
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    assert len(one.captured_queries) == len(four.captured_queries) <= 6
    assert sum("places" in item for item in json.loads(response.content)["activities"]) == 4


def test_a_description_is_added_to_an_event_that_has_none():
    from django.utils import timezone

    event = vevent(timezone.localtime()).encode()
    added = ical.with_description(event, "Ét af 20 pladser tilbage, " * 5)
    (parsed,) = Calendar.from_ical(ical.document([added], name="Test")).walk("VEVENT")
    assert str(parsed["DESCRIPTION"]) == "Ét af 20 pladser tilbage, " * 5
    assert all(len(line) <= 75 for line in added.split(b"\r\n"))
    assert added.index(b"DESCRIPTION") < added.index(b"LAST-MODIFIED")
