"""The activity calendar, an activity's page and the feeds: who sees what,
filters, periods, and the feeds listing exactly what the page lists."""

import datetime
import json
import re

import pytest
from django.utils import timezone
from icalendar import Calendar

from actors.models import Language, TargetGroup, Theme
from bookings import services
from bookings.calendar.query import period_for
from bookings.models import Booking, Status, Visibility
from centre.models import Centre
from tests.factories import ActorFactory, BookingFactory, MembershipFactory, RoomFactory, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


ACTIVITY_LINK = re.compile(r'href="/calendar/activities/(\d+)/"')


def listed(response) -> set[int]:
    """The activities a calendar page links to (the calendar region only)."""
    html = response.content.decode()
    region = html[html.index('id="calendar"') : html.index('id="feeds-heading"')]
    return {int(pk) for pk in ACTIVITY_LINK.findall(region)}


def ics_uids(response) -> set[int]:
    calendar = Calendar.from_ical(response.content)
    return {
        int(str(event["UID"]).split("@")[0].removeprefix("booking-"))
        for event in calendar.walk("VEVENT")
    }


def json_ids(response) -> set[int]:
    return {
        int(item["uid"].split("@")[0].removeprefix("booking-"))
        for item in json.loads(response.content)["activities"]
    }


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def day():
    return timezone.localdate() + datetime.timedelta(days=2)


@pytest.fixture
def house(actor, other_actor, day):
    """Two rooms, two actors and one booking of each kind on one day."""
    cafe = RoomFactory(name="Caféen", slug="cafeen")
    hall = RoomFactory(name="Salen", slug="salen")
    youth = TargetGroup.objects.get(slug="youth")
    seniors = TargetGroup.objects.get(slug="seniors")
    sport = Theme.objects.get(slug="sport")
    arabic = Language.objects.get(slug="ar")
    public = BookingFactory(
        title="Lektiecafé", room=cafe, actor=actor, start=local(day, 15), end=local(day, 17)
    )
    public.target_groups.add(youth)
    public.themes.add(sport)
    city = BookingFactory(
        title="Fællesspisning",
        room=hall,
        actor=other_actor,
        start=local(day, 18),
        end=local(day, 20),
        open_to_whole_city=True,
    )
    city.target_groups.add(seniors)
    city.languages.add(arabic)
    internal = BookingFactory(
        title="Bestyrelsesmøde hemmeligt",
        room=cafe,
        actor=actor,
        start=local(day, 10),
        end=local(day, 11),
        visibility=Visibility.INTERNAL,
    )
    others_internal = BookingFactory(
        title="Personalemøde hemmeligt",
        room=hall,
        actor=other_actor,
        start=local(day, 9),
        end=local(day, 10),
        visibility=Visibility.INTERNAL,
    )
    requested = BookingFactory(
        title="Ønsket aften",
        room=hall,
        actor=actor,
        start=local(day, 12),
        end=local(day, 13),
        status=Status.REQUESTED,
    )
    declined = BookingFactory(
        title="Afvist aften",
        room=hall,
        actor=actor,
        start=local(day, 13),
        end=local(day, 14),
        status=Status.DECLINED,
    )
    return {
        "public": public,
        "city": city,
        "internal": internal,
        "others_internal": others_internal,
        "requested": requested,
        "declined": declined,
    }


def week_url(day, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/calendar/?view=week&date={day.isoformat()}" + (f"&{query}" if query else "")


# Periods


@pytest.mark.parametrize(
    ("view", "day", "first", "last", "previous", "following"),
    [
        # A month is its whole weeks, Monday to Sunday, as the grid shows them.
        ("month", "2026-12-15", "2026-11-30", "2027-01-04", "2026-11-01", "2027-01-01"),
        ("month", "2027-01-31", "2026-12-28", "2027-02-01", "2026-12-01", "2027-02-01"),
        ("month", "2027-02-10", "2027-02-01", "2027-03-01", "2027-01-01", "2027-03-01"),
        ("week", "2026-11-27", "2026-11-23", "2026-11-30", "2026-11-16", "2026-11-30"),
        ("list", "2026-11-27", "2026-11-27", "2026-12-11", "2026-11-13", "2026-12-11"),
    ],
)
def test_periods(view, day, first, last, previous, following):
    period = period_for(view, datetime.date.fromisoformat(day))
    assert period.first.isoformat() == first
    assert period.last.isoformat() == last
    assert period.previous.isoformat() == previous
    assert period.next.isoformat() == following


# Who sees what


def test_the_public_sees_confirmed_public_activities_only(client, house, day):
    response = client.get(week_url(day))
    assert response.status_code == 200
    assert listed(response) == {house["public"].pk, house["city"].pk}
    html = response.content.decode()
    assert "hemmeligt" not in html
    assert "Ønsket aften" not in html and "Afvist aften" not in html


def test_a_member_also_sees_their_actors_internal_bookings_marked(member_client, house, day):
    response = member_client.get(week_url(day))
    assert listed(response) == {house["public"].pk, house["city"].pk, house["internal"].pk}
    html = response.content.decode()
    assert "Personalemøde hemmeligt" not in html
    assert "badge-internal" in html


def test_a_coordinator_sees_every_internal_booking(coordinator_client, house, day):
    response = coordinator_client.get(week_url(day))
    assert listed(response) == {
        house["public"].pk,
        house["city"].pk,
        house["internal"].pk,
        house["others_internal"].pk,
    }


def test_a_cancelled_activity_stays_a_while_marked_cancelled(client, house, day, coordinator):
    services.booking_cancel(booking=house["public"], by=coordinator)
    response = client.get(week_url(day))
    assert house["public"].pk in listed(response)
    assert "badge-cancelled" in response.content.decode()
    # A month later it is gone from the calendar.
    Booking.objects.filter(pk=house["public"].pk).update(
        cancelled_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert house["public"].pk not in listed(client.get(week_url(day)))


def test_a_cancelled_request_never_shows(client, house, day, coordinator):
    services.booking_cancel(booking=house["requested"], by=coordinator)
    assert house["requested"].pk not in listed(client.get(week_url(day)))


def test_the_embedded_calendar_is_public_even_for_a_member(member_client, house, day):
    response = member_client.get(week_url(day, embed=1))
    assert listed(response) == {house["public"].pk, house["city"].pk}


# Filters


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"room": "cafeen"}, {"public"}),
        ({"room": "salen"}, {"city"}),
        ({"actor": "basen"}, {"city"}),
        ({"target": "youth"}, {"public"}),
        ({"theme": "sport"}, {"public"}),
        ({"language": "ar"}, {"city"}),
        ({"city": "1"}, {"city"}),
        ({"room": "cafeen", "target": "seniors"}, set()),
    ],
)
def test_filters(client, house, day, params, expected):
    response = client.get(week_url(day, **params))
    assert listed(response) == {house[name].pk for name in expected}


def test_an_unknown_filter_value_is_explained_and_ignored(english, house, day):
    client = english
    response = client.get(week_url(day, room="gone", target="youth"))
    assert response.status_code == 200
    assert listed(response) == {house["public"].pk}
    assert "This choice is not known any more and was left out." in response.content.decode()


def test_a_bad_date_or_view_falls_back_to_today_and_the_month(client, house):
    response = client.get("/calendar/?view=year&date=2026-13-45")
    assert response.status_code == 200
    assert response.context["period"].view == "month"
    assert response.context["period"].day == timezone.localdate()


# Views and navigation


def test_views_link_to_neighbouring_periods_and_keep_the_filters(english, house, day):
    client = english
    response = client.get(week_url(day, target="youth"))
    period = response.context["period"]
    html = response.content.decode()
    assert f"date={period.next.isoformat()}" in html
    assert f"date={period.previous.isoformat()}" in html
    assert "target=youth" in response.context["next_link"]
    assert 'aria-current="page">Week<' in html


def test_month_and_list_views_list_the_same_days_activities(client, house, day):
    month = client.get(f"/calendar/?view=month&date={day.isoformat()}")
    listing = client.get(f"/calendar/?view=list&date={day.isoformat()}")
    expected = {house["public"].pk, house["city"].pk}
    assert listed(month) == expected
    assert listed(listing) == expected


def test_a_days_activities_are_listed_by_time_then_room(client, actor, day):
    """The calendar's order: by start, and at the same start by the room's name."""
    rooms = {name: RoomFactory(name=name) for name in ("Værkstedet", "Køkkenet", "Biblioteket")}
    late = BookingFactory(actor=actor, room=rooms["Biblioteket"], start=local(day, 18))
    first = BookingFactory(actor=actor, room=rooms["Værkstedet"], start=local(day, 10))
    workshop = BookingFactory(actor=actor, room=rooms["Værkstedet"], start=local(day, 17))
    kitchen = BookingFactory(actor=actor, room=rooms["Køkkenet"], start=local(day, 17))
    html = client.get(f"/calendar/?view=list&date={day.isoformat()}").content.decode()
    region = html[html.index('id="calendar"') : html.index('id="feeds-heading"')]
    shown = [int(pk) for pk in ACTIVITY_LINK.findall(region)]
    assert shown == [first.pk, kitchen.pk, workshop.pk, late.pk]


def test_htmx_gets_only_the_calendar(client, house, day):
    response = client.get(week_url(day), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="calendar")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="calendar"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_only_the_embeddable_calendar_may_be_framed(client, house, day):
    assert client.get(week_url(day))["X-Frame-Options"] == "DENY"
    embedded = client.get(week_url(day, embed=1))
    assert not embedded.has_header("X-Frame-Options")
    html = embedded.content.decode()
    assert "site-nav" not in html and "site-footer" not in html
    assert "embed=1" in embedded.context["next_link"]


# Feeds


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"room": "cafeen"},
        {"target": "seniors"},
        {"city": "1"},
        {"theme": "sport"},
        {"actor": "kvindeforum"},
    ],
)
@pytest.mark.parametrize("view", ["month", "week", "list"])
def test_feeds_list_exactly_what_the_calendar_lists(client, house, day, view, params):
    # More dates around the period's edges, so that the periods differ.
    for offset in (-20, -8, 6, 13, 30):
        BookingFactory(
            room=house["public"].room,
            actor=house["public"].actor,
            start=local(day + datetime.timedelta(days=offset), 15),
            end=local(day + datetime.timedelta(days=offset), 16),
        )
    query = "&".join(
        [f"view={view}", f"date={day.isoformat()}"] + [f"{k}={v}" for k, v in params.items()]
    )
    page = listed(client.get(f"/calendar/?{query}"))
    assert page  # the comparison means something only when there is something to compare
    assert ics_uids(client.get(f"/calendar/feed.ics?{query}")) == page
    assert json_ids(client.get(f"/calendar/feed.json?{query}")) == page


def test_the_feed_without_a_period_covers_a_month_back_and_a_year_ahead(client, actor):
    room = RoomFactory()
    today = timezone.localdate()
    inside = [
        BookingFactory(
            room=room,
            actor=actor,
            start=local(today + datetime.timedelta(days=d), 10),
            end=local(today + datetime.timedelta(days=d), 11),
        )
        for d in (-25, 1, 300)
    ]
    for d in (-45, 400):
        BookingFactory(
            room=room,
            actor=actor,
            start=local(today + datetime.timedelta(days=d), 10),
            end=local(today + datetime.timedelta(days=d), 11),
        )
    assert ics_uids(client.get("/calendar/feed.ics")) == {b.pk for b in inside}


def test_the_ics_feed_is_a_valid_subscription(client, house, day):
    response = client.get("/calendar/feed.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "max-age" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    event = next(e for e in calendar.walk("VEVENT") if e["SUMMARY"] == "Lektiecafé")
    assert event["UID"] == f"booking-{house['public'].pk}@127.0.0.1"
    assert event.start == local(day, 15)
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Copenhagen"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event["LOCATION"] == "Caféen"


def test_a_change_and_a_cancellation_bump_the_sequence_and_keep_the_uid(client, house, coordinator):
    booking = house["public"]
    uid = f"booking-{booking.pk}@127.0.0.1"

    def event():
        calendar = Calendar.from_ical(client.get("/calendar/feed.ics").content)
        return next(e for e in calendar.walk("VEVENT") if e["UID"] == uid)

    services.booking_update(booking=booking, by=coordinator, title="Lektiecafé og leg")
    assert (event()["SEQUENCE"], event()["SUMMARY"]) == (1, "Lektiecafé og leg")
    booking.refresh_from_db()
    services.booking_cancel(booking=booking, by=coordinator)
    cancelled = event()
    assert cancelled["SEQUENCE"] == 2
    assert cancelled["STATUS"] == "CANCELLED"


def test_awkward_titles_round_trip_through_the_feed(client, actor):
    title = 'Møde; om "penge", regler\\noter\r\nBcc: x@example.org ' + "lang " * 15 + "slut"
    booking = BookingFactory(actor=actor, title=title, room=RoomFactory())
    body = client.get("/calendar/feed.ics").content
    lines = body.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # folded
    assert not any(line.startswith(b"Bcc:") for line in lines)  # the line break stays inside
    event = next(iter(Calendar.from_ical(body).walk("VEVENT")))
    # iCalendar writes a line break as \n; the rest comes back character for character.
    assert event["SUMMARY"] == title.replace("\r\n", "\n")
    assert event["UID"] == f"booking-{booking.pk}@127.0.0.1"


def test_the_json_feed(client, house):
    response = client.get("/calendar/feed.json?target=seniors")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert [item["title"] for item in data["activities"]] == ["Fællesspisning"]
    item = data["activities"][0]
    assert item["room"] == "Salen" and item["actor"] == "Basen"
    assert item["url"].endswith(f"/calendar/activities/{house['city'].pk}/")
    assert datetime.datetime.fromisoformat(item["start"]) == house["city"].start


# An activity's page


def test_an_activity_page_shows_what_where_who_and_for_whom(english, house):
    client = english
    booking = house["city"]
    booking.room.step_free = True
    booking.room.save()
    response = client.get(f"/calendar/activities/{booking.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Fællesspisning", "Salen", "Basen", "Seniors", "Arabic", "Step-free access"):
        assert text in html
    assert f'href="/calendar/activities/{booking.pk}.ics"' in html
    assert 'href="/actors/basen/"' in html


def test_internal_activities_are_not_found_by_others(client, member_client, house):
    internal, others = house["internal"], house["others_internal"]
    assert client.get(f"/calendar/activities/{internal.pk}/").status_code == 404
    assert client.get(f"/calendar/activities/{internal.pk}.ics").status_code == 404
    assert member_client.get(f"/calendar/activities/{others.pk}/").status_code == 404
    assert member_client.get(f"/calendar/activities/{internal.pk}/").status_code == 200
    assert client.get(f"/calendar/activities/{house['requested'].pk}/").status_code == 404


def test_a_single_activity_ics(client, house):
    response = client.get(f"/calendar/activities/{house['public'].pk}.ics")
    assert response["Content-Disposition"].startswith("attachment;")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Lektiecafé"]


def test_an_activity_of_a_series_names_the_rule_and_the_next_dates(english, booker, actor, room):
    client = english
    first = timezone.localdate() + datetime.timedelta(days=1)
    series = services.series_request(
        by=booker,
        room=room,
        actor=actor,
        title="Strikkeklub",
        rule="FREQ=WEEKLY",
        first_day=first,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        until=first + datetime.timedelta(weeks=8),
    )
    dates = list(series.occurrences.order_by("start"))
    response = client.get(f"/calendar/activities/{dates[0].pk}/")
    html = response.content.decode()
    assert "Part of a series" in html
    weekday = dates[0].start.astimezone(timezone.get_current_timezone()).strftime("%A")
    assert f"Every {weekday}" in html
    assert [row["pk"] for row in response.context["series_next"]] == [d.pk for d in dates[1:6]]


# The front page


def test_the_front_page_shows_now_next_and_the_week(client, actor):
    room = RoomFactory(name="Værkstedet")
    now = timezone.localtime()
    BookingFactory(
        title="Igang nu",
        room=room,
        actor=actor,
        start=now - datetime.timedelta(minutes=30),
        end=now + datetime.timedelta(minutes=30),
    )
    tomorrow = now.date() + datetime.timedelta(days=1)
    BookingFactory(
        title="I morgen", room=room, actor=actor, start=local(tomorrow, 10), end=local(tomorrow, 11)
    )
    BookingFactory(
        title="Om to uger",
        room=room,
        actor=actor,
        start=local(tomorrow + datetime.timedelta(days=14), 10),
        end=local(tomorrow + datetime.timedelta(days=14), 11),
    )
    BookingFactory(
        title="Internt nu",
        room=RoomFactory(),
        actor=actor,
        start=now - datetime.timedelta(minutes=5),
        end=now + datetime.timedelta(minutes=5),
        visibility=Visibility.INTERNAL,
    )
    response = client.get("/")
    assert [row["title"] for row in response.context["now_on"]] == ["Igang nu"]
    assert [row["title"] for row in response.context["highlights"]] == ["I morgen"]
    html = response.content.decode()
    assert "Internt nu" not in html
    assert 'href="webcal://testserver/calendar/feed.ics"' in html
    assert 'href="http://testserver/calendar/feed.json"' in html


def test_the_front_page_shows_a_series_once_among_the_highlights(client, actor):
    room = RoomFactory()
    base = timezone.localdate() + datetime.timedelta(days=1)
    from bookings.models import BookingSeries

    series = BookingSeries.objects.create(
        room=room,
        actor=actor,
        booked_by=MembershipFactory(actor=actor).user,
        title="Daglig",
        rrule="FREQ=DAILY",
        first_day=base,
        start_time=datetime.time(9),
        end_time=datetime.time(10),
        materialised_until=base,
    )
    for offset in range(4):
        BookingFactory(
            series=series,
            title="Daglig",
            room=room,
            actor=actor,
            start=local(base + datetime.timedelta(days=offset), 9),
            end=local(base + datetime.timedelta(days=offset), 10),
        )
    titles = [row["title"] for row in client.get("/").context["highlights"]]
    assert titles == ["Daglig"]


# Queries


def _busy_month(count: int, actor, other_actor):
    Centre.load()  # the house exists, as it always does after the first request
    rooms = [RoomFactory() for _ in range(3)]
    first = timezone.localdate().replace(day=1)
    groups = list(TargetGroup.objects.all()[:2])
    for n in range(count):
        day = first + datetime.timedelta(days=n % 28)
        booking = BookingFactory(
            room=rooms[n % 3],
            actor=actor if n % 2 else other_actor,
            start=local(day, 8 + n // 28),
            end=local(day, 9 + n // 28),
        )
        booking.target_groups.set(groups)


@pytest.mark.parametrize("count", [6, 60])
@pytest.mark.parametrize("view", ["month", "week", "list"])
def test_calendar_views_run_a_fixed_number_of_queries(
    client, actor, other_actor, count, view, django_assert_max_num_queries
):
    _busy_month(count, actor, other_actor)
    with django_assert_max_num_queries(8):
        response = client.get(f"/calendar/?view={view}&target=children")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [6, 60])
def test_a_members_calendar_runs_a_fixed_number_of_queries(
    member_client, actor, other_actor, count, django_assert_max_num_queries
):
    _busy_month(count, actor, other_actor)
    with django_assert_max_num_queries(12):
        assert member_client.get("/calendar/").status_code == 200


@pytest.mark.parametrize("count", [6, 60])
def test_the_front_page_runs_at_most_seven_queries(
    client, actor, other_actor, count, django_assert_max_num_queries
):
    _busy_month(count, actor, other_actor)
    # The house, its hours, closed days and target groups; the week's
    # activities to choose from, the chosen ones whole, and their places
    # left for those that take sign-ups.
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/calendar/feed.ics", "/calendar/feed.json", "/calendar/feed.ics?target=children"]
)
def test_feeds_run_a_fixed_number_of_queries(
    client, actor, other_actor, path, django_assert_max_num_queries
):
    _busy_month(40, actor, other_actor)
    Booking.objects.update(feed_stamp="")  # written outside the services: texts out of date
    # The house, the filter's choices, the rows, the rooms' and actors' names,
    # one rewrite of the out-of-date texts (in a savepoint), and the places
    # of the dates that take sign-ups.
    with django_assert_max_num_queries(10):
        assert client.get(path).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(path).status_code == 200


def test_a_room_filter_for_a_hall_and_a_new_actor_do_not_break(client, actor):
    # Choices come from the current rooms and actors: a new actor is filterable at once.
    newcomer = ActorFactory(name="Nyt netværk", slug="nyt-netvaerk")
    BookingFactory(actor=newcomer, room=RoomFactory())
    response = client.get("/calendar/?view=list&actor=nyt-netvaerk")
    assert len(listed(response)) == 1


def test_a_feed_answers_a_conditional_request_with_not_modified(client, house):
    first = client.get("/calendar/feed.ics")
    again = client.get("/calendar/feed.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_the_public_pages_and_feeds_answer_head_as_get(client, house):
    """Calendar apps, link checkers and uptime monitors ask with HEAD."""
    public = house["public"].pk
    for path in (
        "/",
        "/calendar/",
        "/calendar/feed.ics",
        "/calendar/feed.json",
        f"/calendar/activities/{public}/",
        f"/calendar/activities/{public}.ics",
        "/privacy/",
        "/healthz",
    ):
        got, head = client.get(path), client.head(path)
        assert (head.status_code, got.status_code) == (200, 200), path
        for header in ("Content-Type", "Content-Disposition", "ETag", "Cache-Control"):
            assert head.get(header) == got.get(header), (path, header)
    assert client.head("/calendar/feed.ics")["ETag"]
    refused = client.post("/calendar/feed.ics")
    assert refused.status_code == 405 and refused["Allow"] == "GET, HEAD"


def test_the_public_calendar_shows_a_change_at_once(client, house, day, actor):
    url = week_url(day)
    assert listed(client.get(url)) == {house["public"].pk, house["city"].pk}
    added = BookingFactory(
        room=house["public"].room, actor=actor, start=local(day, 20), end=local(day, 21)
    )
    assert added.pk in listed(client.get(url))
    Booking.objects.filter(pk=added.pk).update(status=Status.DECLINED, updated=timezone.now())
    assert added.pk not in listed(client.get(url))


def test_a_member_is_never_served_the_public_copy(client, member_client, house, day):
    client.get(week_url(day))
    assert house["internal"].pk in listed(member_client.get(week_url(day)))
    # ...and the public is never served the member's.
    assert house["internal"].pk not in listed(client.get(week_url(day)))


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY", "Every Tuesday"),
        ("FREQ=WEEKLY;INTERVAL=2", "Every other Tuesday"),
        ("FREQ=MONTHLY;BYDAY=2TU", "The second Tuesday of each month"),
        ("FREQ=MONTHLY;BYDAY=-1TU", "The last Tuesday of each month"),
    ],
)
def test_a_series_rule_in_words(rule, words):
    from bookings.calendar.views import describe_rule

    assert describe_rule(rule, datetime.date(2026, 12, 8)) == words


def test_the_front_page_writes_its_items_as_markup_and_escapes_titles(client, actor):
    now = timezone.localtime()
    BookingFactory(
        title="<script>alert(1)</script> & co",
        room=RoomFactory(),
        actor=actor,
        start=now - datetime.timedelta(minutes=10),
        end=now + datetime.timedelta(minutes=50),
    )
    html = client.get("/").content.decode()
    assert '<li class="cal-item"><a href="/calendar/activities/' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<script>alert(1)" not in html


def test_a_feed_for_an_unknown_filter_says_so_instead_of_listing_everything(client, house):
    response = client.get("/calendar/feed.ics?room=no-such-room")
    assert response.status_code == 400
    assert "room=no-such-room" in response.content.decode()


def test_a_feed_for_a_room_taken_out_of_use_keeps_its_own_activities(client, house):
    room = house["public"].room
    room.is_active = False
    room.save()
    assert ics_uids(client.get(f"/calendar/feed.ics?room={room.slug}")) == {house["public"].pk}


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "2026-02-30", "16.12.2026"])
def test_impossible_dates_get_a_message_not_an_error(english, house, date):
    for view in ("month", "week", "list"):
        response = english.get(f"/calendar/?view={view}&date={date}")
        assert response.status_code == 200
        assert response.context["period"].day == timezone.localdate()
    assert english.get(f"/calendar/feed.ics?date={date}").status_code == 400
    assert english.get(f"/calendar/?embed=1&date={date}").status_code == 200


def test_renaming_a_room_changes_the_feed_and_its_etag(client, house):
    first = client.get("/calendar/feed.ics")
    room = house["public"].room
    room.name = "Det nye café"
    room.save()
    again = client.get("/calendar/feed.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert b"LOCATION:Det nye caf\xc3\xa9" in again.content
    assert again["ETag"] != first["ETag"]


def test_day_labels_read_naturally_in_both_languages(english, client, house, day):
    html = english.get(week_url(day)).content.decode()
    assert day.strftime("%A") + f" {day.day} " + day.strftime("%B") in html  # Monday 7 December
    client.cookies["django_language"] = "da"
    danish = client.get(week_url(day)).content.decode()
    from django.utils import translation
    from django.utils.dateformat import format as date_format

    with translation.override("da"):
        expected = date_format(day, "l").capitalize() + f" {day.day}. " + date_format(day, "F")
    assert expected in danish
