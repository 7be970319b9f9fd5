"""The lobby information screen: now and next per room, the rest of today,
public activities only, one room by its door, the refresh fragment."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from bookings.models import Status, Visibility
from bookings.screen_views import calendar_qr
from centre.models import Centre, ClosedDay
from tests.factories import BookingFactory, RoomFactory, in_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

URL = reverse("bookings:screen")
MINUTE = datetime.timedelta(minutes=1)


def end_of_today() -> datetime.datetime:
    return in_days(1)


@pytest.fixture
def left_of_today() -> datetime.timedelta:
    """How much of today is left. The tests place bookings later today, so they
    need a few minutes of it."""
    left = end_of_today() - timezone.now()
    if left < datetime.timedelta(minutes=10):
        pytest.skip("less than ten minutes of today left to place bookings in")
    return left


@pytest.fixture
def house(always_open, left_of_today, actor, other_actor):
    """Two rooms with something on now, a third with only something later, and
    the bookings that must never show on the screen."""
    now = timezone.now()
    cafe = RoomFactory(name="Caféen", slug="cafeen")
    hall = RoomFactory(name="Multisalen", slug="multisalen")
    workshop = RoomFactory(name="Værkstedet", slug="vaerkstedet")
    women, youth = actor, other_actor  # Kvindeforum and Basen
    soon = now + left_of_today / 3
    later = now + left_of_today * 2 / 3
    # What runs now ends before "soon", however late in the day: on PostgreSQL
    # two confirmed bookings of one room may not overlap.
    short = min(30 * MINUTE, left_of_today / 4)
    made = {
        "cafe_now": BookingFactory(
            room=cafe, actor=women, title="Kvindecafé", start=now - 30 * MINUTE, end=now + short
        ),
        "cafe_next": BookingFactory(
            room=cafe, actor=youth, title="Lektiecafé", start=soon, end=soon + 2 * MINUTE
        ),
        "cafe_later": BookingFactory(
            room=cafe, actor=youth, title="Filmaften", start=later, end=later + 2 * MINUTE
        ),
        "hall_now": BookingFactory(
            room=hall, actor=youth, title="Zumba", start=now - 10 * MINUTE, end=now + 10 * MINUTE
        ),
        "workshop_next": BookingFactory(
            room=workshop, actor=youth, title="Cykelværksted", start=soon, end=soon + 3 * MINUTE
        ),
        "finished": BookingFactory(
            room=cafe,
            actor=women,
            title="Morgenkaffe",
            start=now - 90 * MINUTE,
            end=now - 31 * MINUTE,
        ),
        "tomorrow": BookingFactory(
            room=hall,
            actor=women,
            title="Yoga i morgen",
            start=end_of_today() + 60 * MINUTE,
            end=end_of_today() + 120 * MINUTE,
        ),
        "internal": BookingFactory(
            room=workshop,
            actor=women,
            title="Personalemøde",
            start=now - 5 * MINUTE,
            end=now + min(5 * MINUTE, short),
            visibility=Visibility.INTERNAL,
        ),
        "requested": BookingFactory(
            room=hall,
            actor=women,
            title="Ønsket fest",
            start=later,
            end=later + MINUTE,
            status=Status.REQUESTED,
        ),
        "cancelled": BookingFactory(
            room=cafe,
            actor=women,
            title="Aflyst bingo",
            start=soon,
            end=soon + MINUTE,
            status=Status.CANCELLED,
        ),
    }
    return {"cafe": cafe, "hall": hall, "workshop": workshop, **made}


def get(client, url, language="en"):
    """The screen as a browser asking for one language sees it."""
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


HIDDEN = ["Personalemøde", "Ønsket fest", "Aflyst bingo"]


def card(html: str, room_name: str) -> str:
    """The room's card on the whole-house screen."""
    match = re.search(
        rf'<li class="room-card[^"]*">\s*<h3>{re.escape(room_name)}</h3>(.*?)</li>', html, re.S
    )
    assert match, f"no card for {room_name}"
    return match.group(1)


def section(html: str, heading_id: str) -> str:
    match = re.search(rf'aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert match, f"no section {heading_id}"
    return match.group(1)


def test_anonymous_visitors_see_now_and_next_per_room(anonymous, house):
    response = get(anonymous, URL)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    cafe = card(html, "Caféen")
    assert "Kvindecafé" in cafe and "Kvindeforum" in cafe
    assert re.search(r"Now</span>\s*<span class=\"slot-title\">Kvindecafé", cafe)
    assert re.search(r"Next</span>.*Lektiecafé", cafe, re.S)
    assert "Filmaften" not in cafe, "the card shows only the next one"
    until = timezone.localtime(house["cafe_now"].end).strftime("%H:%M")
    assert f"until {until}" in cafe
    hall = card(html, "Multisalen")
    assert "Zumba" in hall and "Next" not in hall
    workshop = card(html, "Værkstedet")
    assert "No activity right now" in workshop
    assert "Cykelværksted" in workshop


def test_the_rest_of_today_leaves_out_finished_and_tomorrows_activities(anonymous, house):
    html = get(anonymous, URL).content.decode()
    rest = section(html, "screen-agenda-heading")
    titles = re.findall(r'<span class="agenda-title">([^<]+)</span>', rest)
    # Time order; the two running ones first, marked as running.
    assert titles == ["Kvindecafé", "Zumba", "Lektiecafé", "Cykelværksted", "Filmaften"]
    assert rest.count('class="agenda-item is-now"') == 2
    assert "Multisalen" in rest and "Basen" in rest
    assert "Morgenkaffe" not in html
    assert "Yoga i morgen" not in html


@pytest.mark.parametrize("who", ["anonymous", "coordinator_client", "member_client"])
def test_internal_requested_and_cancelled_bookings_never_show(request, house, who):
    client = request.getfixturevalue(who)
    for url in [URL, f"{URL}?room=vaerkstedet", f"{URL}?room=cafeen", f"{URL}?partial=1"]:
        response = get(client, url)
        assert response.status_code == HTTPStatus.OK, url
        html = response.content.decode()
        for title in HIDDEN:
            assert title not in html, (who, url, title)
    # The workshop's staff meeting runs now, yet its door shows no activity.
    door = get(client, f"{URL}?room=vaerkstedet").content.decode()
    assert "No activity right now" in section(door, "door-now-heading")


def test_one_room_by_its_door(anonymous, house):
    response = get(anonymous, f"{URL}?room=cafeen")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<h1>Caféen</h1>" in html
    assert "Kvindecafé" in section(html, "door-now-heading")
    assert "Lektiecafé" in section(html, "door-next-heading")
    assert "Filmaften" in section(html, "door-later-heading")
    # Other rooms' activities stay off this door.
    for title in ["Zumba", "Cykelværksted"]:
        assert title not in html
    assert "room-card" not in html


def test_a_door_with_nothing_left_today(anonymous, always_open):
    RoomFactory(name="Mødelokale 2", slug="moedelokale-2")
    html = get(anonymous, f"{URL}?room=moedelokale-2").content.decode()
    assert "No activity right now" in html
    assert "No more activities today." in html
    assert "door-later-heading" not in html


def test_a_hall_and_its_halves_show_each_others_activities(anonymous, always_open):
    now = timezone.now()
    hall = RoomFactory(name="Multisalen", slug="multisalen")
    half_a = RoomFactory(name="Multisal A", slug="multisal-a")
    half_b = RoomFactory(name="Multisal B", slug="multisal-b")
    hall.parts.set([half_a, half_b])
    BookingFactory(room=half_a, title="Yoga", start=now - MINUTE, end=now + 30 * MINUTE)
    BookingFactory(
        room=RoomFactory(name="Caféen"), title="Kaffe", start=now - MINUTE, end=now + 30 * MINUTE
    )
    hall_door = get(anonymous, f"{URL}?room=multisalen").content.decode()
    assert "Yoga" in section(hall_door, "door-now-heading")
    assert "in Multisal A" in hall_door
    other_half = get(anonymous, f"{URL}?room=multisal-b").content.decode()
    assert "Yoga" not in other_half, "the two halves do not share space"
    assert "Kaffe" not in hall_door


def test_unknown_or_retired_rooms_answer_404(anonymous, house):
    assert get(anonymous, f"{URL}?room=no-such-room").status_code == HTTPStatus.NOT_FOUND
    assert get(anonymous, f"{URL}?partial=1&room=no-such-room").status_code == 404
    # An empty choice is the whole house.
    assert "room-card" in get(anonymous, f"{URL}?room=").content.decode()
    house["hall"].is_active = False
    house["hall"].save()
    assert get(anonymous, f"{URL}?room=multisalen").status_code == HTTPStatus.NOT_FOUND


def test_rooms_taken_out_of_use_are_hidden(anonymous, house):
    house["hall"].is_active = False
    house["hall"].save()
    html = get(anonymous, URL).content.decode()
    assert "Multisalen" not in html
    assert "Zumba" not in html
    assert "Caféen" in html


def test_the_partial_is_the_fragment_only_and_never_cached(anonymous, house):
    response = get(anonymous, f"{URL}?partial=1&room=cafeen")
    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode().strip()
    assert html.startswith('<div id="screen-data"')
    assert html.endswith("</div>")
    for absent in ["<html", "<head", "<h1", "screen.js", "screen-clock", "screen-stale"]:
        assert absent not in html
    assert "Kvindecafé" in html
    generated = re.search(r'data-generated="([^"]+)"', html).group(1)
    age = timezone.now() - datetime.datetime.fromisoformat(generated)
    assert abs(age) < datetime.timedelta(minutes=1)


def test_the_full_page_stands_alone(anonymous, house):
    html = get(anonymous, URL).content.decode()
    assert '<html lang="en"' in html or '<html lang="da"' in html
    assert '<meta name="viewport"' in html
    assert '<noscript><meta http-equiv="refresh" content="60"></noscript>' in html
    assert re.search(r'<script src="[^"]*js/screen\.js" defer></script>', html)
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/screen\.css">', html)
    assert "samhus.css" not in html, "no site navigation or stylesheet"
    assert "site-nav" not in html and "<footer" not in html
    assert "<script>" not in html, "no inline script"
    assert 'id="screen-data"' in html
    assert 'data-refresh-seconds="60"' in html
    assert 'aria-live="polite"' in html
    # The stale notice's words are the page's; screen.js fills in the numbers.
    assert (
        'data-stale-other="Showing data from {time} ({minutes} minutes ago) – trying again"' in html
    )
    assert 'data-stale-one="Showing data from {time} ({minutes} minute ago)' in html


def test_the_stale_notice_has_each_arabic_plural_form(anonymous, always_open):
    """Arabic has six plural forms; screen.js picks one by Intl.PluralRules."""
    html = anonymous.get(URL, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    forms = dict(re.findall(r'data-stale-(\w+)="([^"]*)"', html))
    assert set(forms) == {"zero", "one", "two", "few", "many", "other"}
    # 3 to 10 minutes take their own form ("دقائق"), not the one for 100.
    assert forms["few"] != forms["other"] and forms["two"] != forms["other"]
    assert all("{minutes}" in text or key in {"one", "two"} for key, text in forms.items())
    with translation.override("ar"):
        assert forms["two"] == ngettext(
            "Showing data from %(time)s (%(minutes)s minute ago) – trying again",
            "Showing data from %(time)s (%(minutes)s minutes ago) – trying again",
            2,
        ) % {"time": "{time}", "minutes": "{minutes}"}


@pytest.mark.parametrize(
    ("given", "expected"), [("2", 2), ("1", 2), ("90", 90), ("soon", 60), ("999999", 3600)]
)
def test_the_refresh_interval_can_be_shortened(anonymous, always_open, given, expected):
    html = get(anonymous, f"{URL}?refresh={given}").content.decode()
    assert f'data-refresh-seconds="{expected}"' in html
    assert f'content="{expected}"' in html


def test_opening_hours_today(anonymous, always_open):
    html = get(anonymous, URL).content.decode()
    assert "Open now, until 23:59" in html
    assert "Opening hours:" in html and "00:00–23:59" in html


def test_a_closed_day_says_so(anonymous, always_open):
    ClosedDay.objects.create(date=timezone.localdate(), name="Sommerlukket")
    html = get(anonymous, URL).content.decode()
    assert "Closed today: Sommerlukket" in html
    assert "Open now" not in html


def test_danish_and_english(anonymous, house):
    danish = get(anonymous, URL, "da").content.decode()
    assert '<html lang="da"' in danish
    assert "Åbent nu, indtil 23:59" in danish
    assert "Åbningstider" in danish and "Lokaler" in danish
    english = get(anonymous, URL, "en").content.decode()
    assert '<html lang="en"' in english
    assert "Open now, until 23:59" in english and "Rooms" in english
    # The date heading is in the page's language.
    weekday = timezone.localdate().weekday()
    danish_days = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"]
    english_days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert f'<h2 class="screen-date">{danish_days[weekday]}' in danish
    assert f'<h2 class="screen-date">{english_days[weekday]}' in english


@pytest.mark.parametrize("query", ["", "?room=cafeen", "?partial=1", "?partial=1&room=cafeen"])
def test_the_screen_takes_at_most_five_queries(
    anonymous, house, query, django_assert_max_num_queries
):
    now = timezone.now()
    for n in range(8):
        room = RoomFactory()
        BookingFactory(room=room, start=now - MINUTE, end=now + (n + 1) * MINUTE)
        BookingFactory(room=room, start=now + (n + 2) * MINUTE, end=now + (n + 3) * MINUTE)
    with django_assert_max_num_queries(5):
        response = get(anonymous, URL + query)
    assert response.status_code == HTTPStatus.OK


def test_the_house_message_line(anonymous, always_open):
    centre = Centre.load()
    html = get(anonymous, URL).content.decode()
    assert "screen-message" not in html
    centre.screen_message = "Caféen holder lukket i dag <b>"
    centre.save()
    for url in [URL, f"{URL}?partial=1", f"{URL}?room=", f"{URL}?partial=1&room="]:
        html = get(anonymous, url).content.decode()
        assert '<p class="screen-message" role="note">Caféen holder lukket i dag &lt;b&gt;</p>' in (
            html
        ), url


def test_once_the_house_has_closed_the_programme_is_the_next_opening_days(anonymous, always_open):
    ClosedDay.objects.create(date=timezone.localdate(), name="Sommerlukket")
    room = RoomFactory(name="Caféen")
    BookingFactory(room=room, title="Yoga i morgen", start=in_days(1, 10), end=in_days(1, 11))
    BookingFactory(room=room, title="Om to dage", start=in_days(2, 10), end=in_days(2, 11))
    BookingFactory(
        room=room,
        title="Intern i morgen",
        start=in_days(1, 12),
        end=in_days(1, 13),
        visibility=Visibility.INTERNAL,
    )
    html = get(anonymous, URL).content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    programme = section(html, "screen-agenda-heading")
    assert f"The programme {tomorrow:%A}" in html
    assert "Yoga i morgen" in programme
    assert "Om to dage" not in html and "Intern i morgen" not in html
    # The room's card is about now: nothing runs in a closed house.
    assert "Yoga i morgen" not in card(html, "Caféen")


def test_an_open_house_shows_the_rest_of_today_not_tomorrow(anonymous, house):
    html = get(anonymous, URL).content.decode()
    assert "Rest of today" in html and "The programme" not in html
    assert "Yoga i morgen" not in html


def test_rooms_and_the_programme_come_in_pages(anonymous, always_open, left_of_today):
    now = timezone.now()
    step = min(left_of_today / 14, 20 * MINUTE)
    for n in range(6):
        room = RoomFactory(name=f"Lokale {n}")
        for k in range(2):
            start = now + (2 * n + k + 1) * step
            BookingFactory(room=room, title=f"Aktivitet {n}.{k}", start=start, end=start + step / 2)
    html = get(anonymous, URL).content.decode()
    rooms = section(html, "screen-rooms-heading")
    pages = re.findall(r'<ul class="room-grid screen-page" role="list">(.*?)</ul>', rooms, re.S)
    assert [p.count('<li class="room-card') for p in pages] == [4, 2]
    programme = section(html, "screen-agenda-heading")
    pages = re.findall(
        r'<ol class="agenda timeline screen-page" role="list">(.*?)</ol>', programme, re.S
    )
    assert [p.count('<li class="agenda-item') for p in pages] == [5, 5, 2]
    assert 'data-page-seconds="15"' in html


def test_a_qr_code_leads_to_the_calendar(anonymous, always_open):
    html = get(anonymous, URL).content.decode()
    assert calendar_qr("http://testserver/calendar/") in html
    assert re.search(
        r'role="img" aria-label="QR code with the address of the calendar"><svg aria-hidden="true"',
        html,
    )
    assert '<span class="screen-url" dir="ltr">http://testserver/calendar/</span>' in html
    # The refresh fragment carries no QR code: the address does not change.
    assert "<svg" not in get(anonymous, f"{URL}?partial=1").content.decode()
