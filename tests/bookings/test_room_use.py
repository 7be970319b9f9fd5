"""Room use for coordinators: the figures (occupancy, hours per actor, busiest
hours), the chart geometry, the page and its CSV, for each role."""

import csv
import datetime
import io
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from bookings import room_use
from bookings.filters import RoomUseForm
from bookings.models import Status
from centre import charts
from centre.models import Centre
from tests.factories import (
    ActorFactory,
    BookingFactory,
    ClosedDayFactory,
    OpeningHoursFactory,
    RoomFactory,
    local,
    opening_hours,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

MONDAY = datetime.date(2030, 3, 4)  # a week and month without daylight-saving changes
WEEK = room_use.period_for(room_use.WEEK, MONDAY)
MARCH = room_use.period_for(room_use.MONTH, MONDAY)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def book(room, day, start_hour, end_hour, start_minute=0, end_minute=0, **extra):
    return BookingFactory(
        room=room,
        start=local(day, start_hour, start_minute),
        end=local(day, end_hour, end_minute),
        **extra,
    )


@pytest.fixture
def weekdays_9_to_17(db):
    """The house is open Monday to Friday, 9 to 17: 40 hours a week."""
    opening_hours(range(5), (datetime.time(9), datetime.time(17)))
    Centre.load()


@pytest.fixture
def hall(weekdays_9_to_17):
    return RoomFactory(name="Multisalen", slug="multisalen")


def figures_for(report, name):
    return next(room for room in report.rooms if room.name == name)


def asked(params, today=None) -> room_use.Period:
    form = RoomUseForm(params, today=today)
    assert form.is_valid(), form.errors
    return form.period_asked()


# The period


def test_the_default_period_is_this_month():
    period = asked({}, today=datetime.date(2030, 3, 14))
    assert (period.kind, period.first, period.last) == (
        "month",
        datetime.date(2030, 3, 1),
        datetime.date(2030, 3, 31),
    )
    assert period.previous == datetime.date(2030, 2, 1)
    assert period.next == datetime.date(2030, 4, 1)


def test_a_week_runs_monday_to_sunday():
    period = asked({"period": "week", "date": "2030-03-07"})
    assert (period.first, period.last) == (MONDAY, MONDAY + days(6))
    assert (period.previous, period.next) == (MONDAY - days(7), MONDAY + days(7))
    assert period.start == local(MONDAY, 0)
    assert period.end == local(MONDAY + days(7), 0)
    assert period.slug == "week-2030-03-04"


def test_january_goes_back_to_december():
    period = asked({"period": "month", "date": "2030-01-20"})
    assert period.previous == datetime.date(2029, 12, 1)
    assert room_use.period_for("month", datetime.date(2029, 12, 5)).next == datetime.date(
        2030, 1, 1
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "year", "date": "2030-03-07"}, "period"),
        ({"date": "not a date"}, "date"),
        ({"date": "2030-02-30"}, "date"),
        ({"date": "0001-01-01"}, "date"),
        ({"date": "9999-12-31", "period": "week"}, "date"),
    ],
)
def test_bad_parameters_are_refused_with_what_is_wrong(params, field):
    form = RoomUseForm(params)
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_empty_parameters_are_this_month():
    today = datetime.date(2030, 3, 14)
    assert asked({"period": "", "date": ""}, today=today) == asked({}, today=today)


def test_days_on_weekday_counts_both_ends():
    assert room_use.days_on_weekday(MARCH.first, MARCH.last, 4) == 5  # Fridays in March 2030
    assert room_use.days_on_weekday(MARCH.first, MARCH.last, 0) == 4  # Mondays
    assert room_use.days_on_weekday(MONDAY, MONDAY, 1) == 0


# Occupancy


def test_a_two_hour_booking_in_a_forty_hour_week_is_five_percent(hall):
    book(hall, MONDAY + days(1), 10, 12)
    report = room_use.room_use(WEEK)
    figures = figures_for(report, "Multisalen")
    assert report.hours_open == 40.0
    assert (figures.hours_booked, figures.hours_open) == (2.0, 40.0)
    assert figures.share == pytest.approx(5.0)


def test_a_month_counts_its_weekdays(hall):
    book(hall, MONDAY, 9, 17)
    report = room_use.room_use(MARCH)
    assert report.hours_open == 21 * 8.0
    assert figures_for(report, "Multisalen").share == pytest.approx(8 / 168 * 100)


def test_an_observed_closed_day_reduces_the_open_hours(hall):
    ClosedDayFactory(date=MONDAY + days(2))  # Wednesday
    ClosedDayFactory(date=MONDAY + days(5))  # Saturday: closed anyway, changes nothing
    ClosedDayFactory(date=MONDAY + days(3), observed=False)  # kept open
    ClosedDayFactory(date=MONDAY + days(9))  # next week
    book(hall, MONDAY + days(1), 10, 12)
    figures = figures_for(room_use.room_use(WEEK), "Multisalen")
    assert figures.hours_open == 32.0
    assert figures.share == pytest.approx(6.25)


def test_split_opening_hours_add_up(weekdays_9_to_17):
    OpeningHoursFactory(weekday=5, opens=datetime.time(10), closes=datetime.time(12, 30))
    OpeningHoursFactory(weekday=5, opens=datetime.time(13), closes=datetime.time(14))
    RoomFactory()
    report = room_use.room_use(WEEK)
    assert report.hours_open == 40 + 2.5 + 1
    # 9:00 to 17:00 on weekdays, 10:00 to 14:00 on Saturday: rows 09 to 16.
    assert [row.hour for row in report.busiest] == list(range(9, 17))


def test_no_opening_hours_means_no_share(db):
    RoomFactory(name="Værkstedet")
    figures = figures_for(room_use.room_use(WEEK), "Værkstedet")
    assert figures.hours_open == 0
    assert figures.share is None


def test_a_booking_is_cut_at_the_edges_of_the_period(hall):
    sunday_before = MONDAY - days(1)
    BookingFactory(room=hall, start=local(sunday_before, 22), end=local(MONDAY, 2))
    sunday = MONDAY + days(6)
    BookingFactory(room=hall, start=local(sunday, 23), end=local(sunday + days(1), 1, 30))
    assert figures_for(room_use.room_use(WEEK), "Multisalen").hours_booked == 3.0
    previous = room_use.period_for("week", sunday_before)
    assert figures_for(room_use.room_use(previous), "Multisalen").hours_booked == 2.0


@pytest.mark.parametrize("status", [Status.REQUESTED, Status.DECLINED, Status.CANCELLED])
def test_only_confirmed_bookings_count(hall, status):
    book(hall, MONDAY, 10, 12, status=status)
    report = room_use.room_use(WEEK)
    assert figures_for(report, "Multisalen").hours_booked == 0
    assert report.actors == []
    assert report.busiest_max == 0
    book(hall, MONDAY, 13, 14)
    assert figures_for(room_use.room_use(WEEK), "Multisalen").hours_booked == 1


def test_a_hall_counts_its_own_bookings_not_its_parts(hall):
    east = RoomFactory(name="Multisal øst")
    west = RoomFactory(name="Multisal vest")
    hall.parts.set([east, west])
    book(east, MONDAY, 10, 12)
    book(hall, MONDAY, 13, 14)
    report = room_use.room_use(WEEK)
    assert figures_for(report, "Multisalen").hours_booked == 1
    assert figures_for(report, "Multisal øst").hours_booked == 2
    assert figures_for(report, "Multisal vest").hours_booked == 0


def test_rooms_out_of_use_are_not_listed_but_their_hours_count_for_the_actor(hall):
    old = RoomFactory(name="Kælderen", is_active=False)
    RoomFactory(name="Lukket rum", is_active=False)
    actor = ActorFactory(name="Basen")
    book(old, MONDAY, 10, 13, actor=actor)
    report = room_use.room_use(WEEK)
    assert [room.name for room in report.rooms] == ["Multisalen"]
    assert [(a.name, a.hours) for a in report.actors] == [("Basen", 3.0)]


# Hours per actor and busiest hours


def test_hours_per_actor_are_added_up_and_sorted(hall):
    small = RoomFactory(name="Mødelokale 1")
    cafe, basen = ActorFactory(name="Café Sumak"), ActorFactory(name="Basen")
    book(hall, MONDAY, 9, 12, actor=cafe)
    book(small, MONDAY + days(2), 16, 17, end_minute=30, actor=cafe)
    book(hall, MONDAY + days(3), 10, 12, actor=basen)
    book(hall, MONDAY + days(8), 10, 12, actor=basen)  # next week
    actors = room_use.room_use(WEEK).actors
    assert [(a.name, a.bookings, a.hours) for a in actors] == [
        ("Café Sumak", 2, 4.5),
        ("Basen", 1, 2.0),
    ]


def test_busiest_hours_spread_bookings_over_the_hours_they_cover(hall):
    small = RoomFactory(name="Mødelokale 1")
    tuesday = MONDAY + days(1)
    book(hall, tuesday, 17, 19, end_minute=30)
    book(small, tuesday, 18, 19)
    report = room_use.room_use(WEEK)
    cells = {row.hour: row.cells for row in report.busiest}
    assert cells[17][1] == 1.0
    assert cells[18][1] == 2.0  # two rooms in the same hour
    assert cells[19][1] == 0.5  # after closing time, still shown
    assert cells[18][0] == 0.0
    assert report.busiest_max == 2.0
    top = report.top_slots[0]
    assert (top.weekday, top.hour, top.hours) == (1, 18, 2.0)
    assert [row.hour for row in report.busiest] == list(range(9, 20))


def test_busiest_hours_follow_local_time_across_daylight_saving(hall):
    night = datetime.date(2030, 3, 31)  # clocks go from 02:00 to 03:00
    BookingFactory(room=hall, start=local(night, 1), end=local(night, 4))
    report = room_use.room_use(room_use.period_for("week", night))
    cells = {row.hour: row.cells[6] for row in report.busiest}
    assert cells[1] == 1.0
    assert cells[3] == 1.0
    assert 2 not in cells
    assert figures_for(report, "Multisalen").hours_booked == 2.0


def test_the_figures_take_two_queries(hall, django_assert_num_queries):
    for i in range(5):
        room = RoomFactory()
        book(room, MONDAY + days(i), 9 + i, 12 + i)
    with django_assert_num_queries(2):
        report = room_use.room_use(WEEK)
        assert len(report.rooms) == 6
        assert report.top_slots


# Chart geometry


def test_bar_chart_geometry_is_scaled_to_the_maximum():
    chart = charts.bar_chart(
        [("Multisalen", 50), ("Café", 25.5), ("Tomt", 0)],
        max_value=100,
        width=600,
        label_width=150,
        value_width=50,
        bar_height=20,
        gap=10,
        padding=0,
    )
    assert chart.max_value == 100
    assert (chart.plot_x, chart.plot_width) == (150, 400)
    assert [bar.width for bar in chart.bars] == [200, 102, 0]
    assert [bar.y for bar in chart.bars] == [0, 30, 60]
    assert chart.height == 80
    assert chart.bars[0].value_x == 150 + 200 + 6
    assert chart.bars[0].text_y == 10
    assert chart.bars[1].value_label in {"25.5", "25,5"}
    assert chart == charts.bar_chart(
        [("Multisalen", 50), ("Café", 25.5), ("Tomt", 0)],
        max_value=100,
        width=600,
        label_width=150,
        value_width=50,
        bar_height=20,
        gap=10,
        padding=0,
    )


def test_bar_chart_grows_its_scale_and_survives_zeros():
    grown = charts.bar_chart([("A", 150), ("B", 75)], max_value=100)
    assert grown.max_value == 150
    assert grown.bars[0].width == grown.plot_width
    assert grown.bars[1].width == grown.plot_width / 2
    empty = charts.bar_chart([("A", 0), ("B", -3)])
    assert empty.max_value == 0
    assert [bar.width for bar in empty.bars] == [0, 0]
    assert charts.bar_chart([]).bars == ()


def test_bar_chart_shortens_long_labels_only():
    chart = charts.bar_chart([("x" * 40, 1), ("Café", 2)], max_label_chars=10)
    assert chart.bars[0].short_label == "x" * 9 + "…"
    assert chart.bars[0].label == "x" * 40
    assert chart.bars[1].short_label == "Café"


def test_heat_levels_and_grid():
    assert charts.heat_level(0, 10) == 0
    assert charts.heat_level(0.01, 10) == 1
    assert charts.heat_level(5, 10) == 2
    assert charts.heat_level(10, 10) == len(charts.HEAT_LEVELS) - 1
    grid = charts.heat_grid(["09:00", "10:00"], ["Man", "Tir"], [[0, 1], [2, 4]])
    assert len(grid.cells) == 4
    assert grid.cells[0].value_label == ""
    assert grid.cells[3].fill == charts.HEAT_LEVELS[-1][0]
    assert (grid.width, grid.height) == (64 + 2 * 64, 28 + 2 * 28)
    with pytest.raises(ValueError):
        charts.heat_grid(["09:00"], ["Man", "Tir"], [[1]])


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_chart_colours_have_enough_contrast():
    assert contrast(charts.BAR, charts.PAPER) >= 3  # a bar against the page
    assert contrast(charts.INK, charts.PAPER) >= 4.5
    assert contrast(charts.MUTED, charts.PAPER) >= 4.5
    for fill, text in charts.HEAT_LEVELS:
        assert contrast(fill, text) >= 4.5, fill


# The page and the CSV


@pytest.fixture
def busy_week(hall):
    cafe, basen = ActorFactory(name="Café Sumak"), ActorFactory(name="Basen")
    small = RoomFactory(name="Mødelokale 1", slug="moedelokale-1")
    book(hall, MONDAY + days(1), 10, 12, actor=cafe)
    book(small, MONDAY + days(1), 11, 12, actor=basen)
    return {"period": "week", "date": (MONDAY + days(2)).isoformat()}


URLS = ["bookings:room-use", "bookings:room-use-csv"]


@pytest.mark.parametrize("name", URLS)
def test_anonymous_visitors_are_sent_to_sign_in(anonymous, name):
    response = anonymous.get(reverse(name))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", URLS)
def test_members_are_refused(member_client, name):
    assert member_client.get(reverse(name)).status_code == HTTPStatus.FORBIDDEN


def test_a_coordinator_sees_the_figures(coordinator_client, busy_week):
    response = coordinator_client.get(
        reverse("bookings:room-use"), busy_week, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Week 10, 2030" in page
    rows = dict(
        re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>(.*?)</tr>', page, re.S)
    )
    assert re.findall(r"<td[^>]*>([^<]*)</td>", rows["Multisalen"]) == ["2.0", "40.0", "5.0 %"]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", rows["Mødelokale 1"]) == ["1.0", "40.0", "2.5 %"]
    assert (
        '<th scope="row">Café Sumak</th><td data-label="Bookings">1</td>'
        '<td data-label="Hours booked">2.0</td>'
    ) in page
    # Tuesday 11 to 12 holds both rooms: the busiest hour.
    assert "Busiest:" in page and 'Tuesday <bdi dir="ltr">11:00–12:00</bdi> (2.0 hours)' in page
    assert page.count('role="img"') == 3
    assert '<title id="occupancy-chart-title">' in page
    csv_link = reverse("bookings:room-use-csv") + "?period=week&amp;date=2030-03-04"
    assert f'href="{csv_link}"' in page
    assert 'href="/house/room-use/?period=week&amp;date=2030-02-25"' in page
    assert 'href="/house/room-use/?period=week&amp;date=2030-03-11"' in page


def test_danish_numbers_use_a_comma_but_the_svg_does_not(coordinator_client, busy_week):
    page = coordinator_client.get(
        reverse("bookings:room-use"), busy_week, HTTP_ACCEPT_LANGUAGE="da"
    ).content.decode()
    assert '<td data-label="Andel af åbningstiden">2,5 %</td>' in page
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        for attribute in re.findall(r'\b(?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', svg):
            assert re.fullmatch(r"-?\d+(\.\d+)?(%)?", attribute), attribute


def test_an_empty_period_says_so(coordinator_client, hall):
    page = coordinator_client.get(
        reverse("bookings:room-use"),
        {"period": "week", "date": "2030-03-04"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "No confirmed bookings in this period." in page
    assert page.count('role="img"') == 1  # the occupancy chart, all bars empty


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "decade"}, "Select a valid choice."),
        ({"date": "2030-13-45"}, "Enter a valid date."),
        ({"date": "<script>"}, "Enter a valid date."),
        (
            {"period": "week", "date": "0001-01-01"},
            "Choose a date between the years 1900 and 2999.",
        ),
        (
            {"period": "month", "date": "9999-12-31"},
            "Choose a date between the years 1900 and 2999.",
        ),
    ],
)
@pytest.mark.parametrize("name", URLS)
def test_bad_parameters_answer_400_with_what_is_wrong(
    coordinator_client, hall, name, params, message
):
    response = coordinator_client.get(reverse(name), params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert message in page
    assert "&lt;script&gt;" in page or "<script>" not in page


@pytest.mark.parametrize("name", URLS)
def test_a_repeated_parameter_counts_once(coordinator_client, hall, name):
    params = {"date": "2030-03-04", "period": ["week", "month"]}
    response = coordinator_client.get(reverse(name), params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == HTTPStatus.OK


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_holds_the_same_figures(coordinator_client, busy_week):
    response = coordinator_client.get(
        reverse("bookings:room-use-csv"), busy_week, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="room-use-week-2030-03-04.csv"'
    rows = read_csv(response)
    assert rows[0] == ["Room use", "Week 10, 2030", "2030-03-04", "2030-03-10"]
    occupancy = rows.index(["Occupancy of the rooms"])
    assert rows[occupancy + 1] == [
        "Room",
        "Hours booked",
        "Hours open",
        "Share of opening hours (%)",
    ]
    assert rows[occupancy + 2 : occupancy + 4] == [
        ["Multisalen", "2.00", "40.00", "5.0"],
        ["Mødelokale 1", "1.00", "40.00", "2.5"],
    ]
    actors = rows.index(["Hours per actor"])
    assert rows[actors + 1 : actors + 4] == [
        ["Actor", "Bookings", "Hours booked"],
        ["Café Sumak", "1", "2.00"],
        ["Basen", "1", "1.00"],
    ]
    busiest = rows.index(["Busiest hours"])
    assert rows[busiest + 1] == ["Weekday", "Hour", "Booked room-hours"]
    cells = {(r[0], r[1]): r[2] for r in rows[busiest + 2 :]}
    assert cells[("Tuesday", "11:00-12:00")] == "2.00"
    assert cells[("Tuesday", "10:00-11:00")] == "1.00"
    assert cells[("Monday", "09:00-10:00")] == "0.00"
    assert len(cells) == 7 * 8  # every weekday, 9 to 17


def test_the_csv_opens_in_danish_excel(coordinator_client, busy_week):
    """In Danish: a byte-order mark, a semicolon between fields and a decimal
    comma, as Danish Excel reads them (centre.csv_export); English keeps commas
    and a decimal point (test_the_csv_holds_the_same_figures)."""
    response = coordinator_client.get(
        reverse("bookings:room-use-csv"), busy_week, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Mødelokale 1", "1,00", "40,00", "2,5"] in rows
    assert "Mødelokale 1;1,00;40,00;2,5" in text
    english = coordinator_client.get(
        reverse("bookings:room-use-csv"), busy_week, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode("utf-8-sig")
    assert "Mødelokale 1,1.00,40.00,2.5" in english


def test_the_page_takes_few_queries(coordinator_client, busy_week, django_assert_max_num_queries):
    for i in range(6):
        room = RoomFactory()
        book(room, MONDAY + days(i % 5), 9 + i, 12 + i, actor=ActorFactory())
    with django_assert_max_num_queries(8):
        response = coordinator_client.get(reverse("bookings:room-use"), busy_week)
    assert response.status_code == HTTPStatus.OK
    with django_assert_max_num_queries(5):
        response = coordinator_client.get(reverse("bookings:room-use-csv"), busy_week)
    assert response.status_code == HTTPStatus.OK
