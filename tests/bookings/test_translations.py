"""Activities in several languages (issue #19, point 4): a reader sees the
title and description in their language, else in Danish; the calendar's
stored texts keep the other languages' versions only for the bookings that
have them; the feeds take ``?lang``; the translations pages; the lobby screen
taking turns in the house's languages."""

import datetime
import json
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from bookings import services
from bookings.calendar import texts
from bookings.models import AuditEntry, Booking, BookingSeries
from centre.models import Centre
from tests.factories import BookingFactory, RoomFactory, series_dates, weekly_series

pytestmark = pytest.mark.django_db

ARABIC = "مقهى النساء"


@pytest.fixture
def translated(actor):
    """A booking with an English and an Arabic title, its description in Danish only."""
    return BookingFactory(
        actor=actor,
        title="Kvindecafé",
        title_en="Women's café",
        title_ar=ARABIC,
        description="Kaffe og snak",
    )


@pytest.fixture
def danish_only(actor):
    return BookingFactory(actor=actor, title="Zumba", description="Musik og dans")


def feed_titles(response) -> list[str]:
    return [item["title"] for item in json.loads(response.content)["activities"]]


def test_a_reader_sees_their_language_else_danish(translated, danish_only):
    for language, expected in [("da", "Kvindecafé"), ("en", "Women's café"), ("ar", ARABIC)]:
        with translation.override(language):
            booking = Booking.objects.get(pk=translated.pk)
            assert booking.title == expected
            # The description is written in Danish only: every reader gets that.
            assert booking.description == "Kaffe og snak"
            assert Booking.objects.get(pk=danish_only.pk).title == "Zumba"


def test_only_translated_bookings_keep_texts_in_other_languages(translated, danish_only):
    stored = dict(
        Booking.objects.filter(pk__in=[translated.pk, danish_only.pk]).values_list(
            "pk", "feed_translated"
        )
    )
    assert stored[danish_only.pk] == ""
    other = json.loads(stored[translated.pk])
    assert set(other) == {"en", "ar"}
    assert ARABIC in other["ar"]["feed_html"]
    assert "Women's café" in json.loads(other["en"]["feed_json"])["title"]
    # The Danish texts are the booking's as ever.
    danish = Booking.objects.filter(pk=translated.pk).values_list("feed_json", flat=True)[0]
    assert json.loads(bytes(danish))["title"] == "Kvindecafé"


def test_the_feeds_are_in_the_language_asked_for(client, translated, danish_only):
    assert feed_titles(client.get("/calendar/feed.json?lang=ar")) == [ARABIC, "Zumba"] or set(
        feed_titles(client.get("/calendar/feed.json?lang=ar"))
    ) == {ARABIC, "Zumba"}
    assert set(feed_titles(client.get("/calendar/feed.json?lang=en"))) == {
        "Women's café",
        "Zumba",
    }
    assert set(feed_titles(client.get("/calendar/feed.json"))) == {"Kvindecafé", "Zumba"}
    calendar = Calendar.from_ical(client.get("/calendar/feed.ics?lang=en").content)
    assert {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")} == {
        "Women's café",
        "Zumba",
    }


@pytest.mark.parametrize("value", ["xx", "", "ar-", "\u202e", "x" * 1000])
def test_an_unknown_language_gives_the_danish_feed(client, translated, value):
    response = client.get("/calendar/feed.json", {"lang": value})
    assert response.status_code == HTTPStatus.OK
    assert feed_titles(response) == ["Kvindecafé"]


def test_the_feeds_fixed_texts_follow_lang(client, translated):
    english = client.get("/calendar/feed.ics?room=nowhere&lang=en")
    danish = client.get("/calendar/feed.ics?room=nowhere&lang=da")
    assert english.status_code == danish.status_code == HTTPStatus.BAD_REQUEST
    assert "This feed's address is not valid" in english.content.decode()
    assert "This feed's address is not valid" not in danish.content.decode()


def test_each_language_has_its_own_etag(client, translated):
    etags = {client.get(f"/calendar/feed.json?lang={code}")["ETag"] for code in ("da", "en", "ar")}
    assert len(etags) == 3


def test_an_out_of_date_text_is_rewritten_for_a_reader_in_another_language(client, translated):
    Booking.objects.filter(pk=translated.pk).update(feed_stamp="", feed_translated="")
    assert feed_titles(client.get("/calendar/feed.json?lang=ar")) == [ARABIC]
    Booking.objects.filter(pk=translated.pk).update(feed_stamp="", feed_translated="")
    day = timezone.localdate(translated.start).isoformat()
    page = client.get(f"/calendar/?view=list&date={day}", HTTP_ACCEPT_LANGUAGE="ar")
    assert ARABIC in page.content.decode()


def test_the_calendar_page_and_the_activity_page_in_the_readers_language(client, translated):
    day = timezone.localdate(translated.start).isoformat()
    arabic = client.get(f"/calendar/?view=list&date={day}", HTTP_ACCEPT_LANGUAGE="ar")
    danish = client.get(f"/calendar/?view=list&date={day}", HTTP_ACCEPT_LANGUAGE="da")
    assert ARABIC in arabic.content.decode()
    assert ARABIC not in danish.content.decode()
    assert "Kvindecafé" in danish.content.decode()
    page = client.get(f"/calendar/activities/{translated.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Women&#x27;s café" in page.content.decode()


def test_the_front_page_lists_the_readers_language(client, actor):
    BookingFactory(
        actor=actor,
        title="Lektiecafé",
        title_en="Homework café",
        start=timezone.now() + datetime.timedelta(hours=1),
        end=timezone.now() + datetime.timedelta(hours=2),
    )
    assert "Homework café" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Homework café" not in client.get("/", HTTP_ACCEPT_LANGUAGE="da").content.decode()


def test_the_calendar_and_feeds_cost_no_more_queries_in_another_language(client, actor):
    room = RoomFactory()
    for n in range(30):
        BookingFactory(
            actor=actor,
            room=room,
            title=f"Hold {n}",
            title_ar=f"فريق {n}" if n % 2 else None,
            start=timezone.now() + datetime.timedelta(days=1 + n % 20, hours=n),
        )
    Centre.load()  # made once, before counting
    counts = {}
    for language in ("da", "ar"):
        for path in ("/calendar/?view=month", "/calendar/feed.json", "/calendar/feed.ics", "/"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"{path}", HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == HTTPStatus.OK
            counts[language, path] = len(queries)
    assert [
        counts["ar", path]
        for path in ("/calendar/?view=month", "/calendar/feed.json", "/calendar/feed.ics", "/")
    ] == [
        counts["da", path]
        for path in ("/calendar/?view=month", "/calendar/feed.json", "/calendar/feed.ics", "/")
    ]
    assert counts["ar", "/calendar/?view=month"] <= 8


# --- the translations pages --------------------------------------------------------------


def test_a_booker_translates_one_date(booker_client, booker, actor):
    booking = BookingFactory(actor=actor, title="Zumba")
    url = reverse("bookings:booking-translations", args=[booking.pk])
    page = booker_client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert 'lang="ar" dir="rtl"' in page.content.decode()
    assert (
        reverse("bookings:booking-translations", args=[booking.pk])
        in booker_client.get(reverse("bookings:booking-detail", args=[booking.pk])).content.decode()
    )
    response = booker_client.post(
        url, {"title_en": "Zumba class", "title_ar": "زومبا", "description_en": "Music"}
    )
    assert response.status_code == HTTPStatus.FOUND
    booking.refresh_from_db()
    assert (booking.title_da, booking.title_en, booking.title_ar) == (
        "Zumba",
        "Zumba class",
        "زومبا",
    )
    assert booking.description_en == "Music" and not booking.description_ar
    assert set(json.loads(booking.feed_translated)) == {"en", "ar"}
    entry = AuditEntry.objects.get(booking=booking, changes__has_key="translations")
    assert entry.changes["translations"] == ["en", "ar"]


def test_a_refused_translation_is_answered_400(booker_client, actor):
    booking = BookingFactory(actor=actor, title="Zumba")
    response = booker_client.post(
        reverse("bookings:booking-translations", args=[booking.pk]), {"title_en": "x" * 151}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    booking.refresh_from_db()
    assert booking.title_en is None


def test_emptying_a_translation_shows_danish_again(booker_client, actor):
    booking = BookingFactory(actor=actor, title="Zumba", title_en="Zumba class")
    booker_client.post(reverse("bookings:booking-translations", args=[booking.pk]), {})
    booking.refresh_from_db()
    assert booking.feed_translated == ""
    with translation.override("en"):
        assert Booking.objects.get(pk=booking.pk).title == "Zumba"


def test_a_series_is_translated_on_every_date_and_its_new_dates(booker, booker_client, room, actor):
    series = weekly_series(booker, room, actor, weeks=3)
    response = booker_client.post(
        reverse("bookings:series-translations", args=[series.pk]),
        {"title_en": "Women's café", "title_ar": ARABIC},
    )
    assert response.status_code == HTTPStatus.FOUND
    series.refresh_from_db()
    assert series.title_ar == ARABIC
    assert {b.title_ar for b in series_dates(series)} == {ARABIC}
    # A date booked later for the series (the horizon moving on) has them too.
    template = series_dates(series)[0]
    slot = services.series.Slot(
        template.start + datetime.timedelta(weeks=3), template.end + datetime.timedelta(weeks=3)
    )
    (added,) = services.series.add_occurrences(series, [slot], by=booker, template=template)
    assert (added.title_da, added.title_ar) == ("Kvindecafé", ARABIC)


def test_changing_a_title_in_english_changes_the_english_title(booker, actor, room):
    booking = BookingFactory(
        actor=actor, room=room, booked_by=booker, title="Zumba", title_en="Zumba class"
    )
    with translation.override("en"):
        services.booking_update(booking=booking, by=booker, title="Zumba for all")
    booking.refresh_from_db()
    assert (booking.title_da, booking.title_en) == ("Zumba", "Zumba for all")


# --- the lobby screen --------------------------------------------------------------------


def screen(client, query=""):
    return client.get(f"/screen/?partial=1{query}").content.decode()


def test_the_screen_takes_turns_in_the_houses_languages(client, always_open):
    now = timezone.now()
    BookingFactory(
        title="Kvindecafé",
        title_ar=ARABIC,
        start=now - datetime.timedelta(minutes=5),
        end=now + datetime.timedelta(hours=1),
    )
    centre = Centre.load()
    centre.screen_languages = "da,ar"
    centre.save()
    first = screen(client)
    assert 'lang="da" dir="ltr"' in first and 'data-next-lang="ar"' in first
    assert "Kvindecafé" in first
    second = screen(client, "&lang=ar")
    assert 'lang="ar" dir="rtl"' in second and 'data-next-lang="da"' in second
    assert ARABIC in second
    # A language the house has not chosen starts the turns again.
    assert 'lang="da"' in screen(client, "&lang=en")
    whole = client.get("/screen/").content.decode()
    assert "url=?lang=ar" in whole  # without JavaScript, the page reloads in the next one


def test_a_screen_without_chosen_languages_stays_in_one(client, always_open):
    html = screen(client)
    assert "data-next-lang" not in html
    assert 'lang="ar"' in screen(client, "&lang=ar")
    assert client.get("/screen/?partial=1&lang=xx").status_code == HTTPStatus.OK


def test_the_taking_turns_screen_takes_at_most_five_queries(
    client, always_open, django_assert_max_num_queries
):
    Centre.objects.filter(pk=1).update(screen_languages="da,en,ar")
    with django_assert_max_num_queries(5):
        assert client.get("/screen/?partial=1&lang=en").status_code == HTTPStatus.OK


def test_texts_written_in_no_language_fall_back_to_the_plain_column(translated):
    row = {"title": "Plain", "title_da": None, "title_en": None}
    assert texts.written_in(row, "title", "en") == "Plain"
    assert BookingSeries._meta.get_field("title_ar")
