import datetime
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from centre import services
from centre.integrity import explain_refusal
from centre.models import Centre, ClosedDay, OpeningHours
from centre.selectors import house_status
from tests.factories import ClosedDayFactory, OpeningHoursFactory, local

pytestmark = pytest.mark.django_db


def test_open_inside_an_interval(week_hours):
    status = house_status(local(datetime.date(2026, 11, 23), 10, 30))  # a Monday
    assert status.open_now
    assert status.current.closes == datetime.time(12)


def test_closed_in_the_lunch_break_opens_again_today(week_hours):
    status = house_status(local(datetime.date(2026, 11, 23), 12, 30))
    assert not status.open_now
    assert status.next_opening == local(datetime.date(2026, 11, 23), 13)


def test_closed_at_the_weekend_opens_monday(week_hours):
    status = house_status(local(datetime.date(2026, 11, 28), 11))  # a Saturday
    assert not status.open_now
    assert status.next_opening == local(datetime.date(2026, 11, 30), 9)


def test_closed_day_overrides_opening_hours(week_hours):
    ClosedDayFactory(date=datetime.date(2026, 11, 23), name="Personaledag")
    status = house_status(local(datetime.date(2026, 11, 23), 10))
    assert not status.open_now
    assert status.today.closed_day.name == "Personaledag"
    assert status.next_opening == local(datetime.date(2026, 11, 24), 9)


def test_holiday_kept_open_does_not_close_the_house(week_hours):
    ClosedDayFactory(
        date=datetime.date(2026, 11, 23), source=ClosedDay.Source.PUBLIC_HOLIDAY, observed=False
    )
    assert house_status(local(datetime.date(2026, 11, 23), 10)).open_now


def test_opening_hours_follow_wall_clock_across_dst(week_hours):
    # 2026-10-25 is the switch to winter time; Monday the 26th still opens at 09:00 local.
    status = house_status(local(datetime.date(2026, 10, 24), 22))
    assert status.next_opening == local(datetime.date(2026, 10, 26), 9)
    assert status.next_opening.utcoffset() == datetime.timedelta(hours=1)


def test_public_holidays_fill_is_idempotent_and_keeps_choices():
    created = services.public_holidays_fill(years=[2027])
    assert created >= 10
    christmas = ClosedDay.objects.get(date=datetime.date(2027, 12, 25))
    assert christmas.source == ClosedDay.Source.PUBLIC_HOLIDAY
    christmas.observed = False
    christmas.save()
    assert services.public_holidays_fill(years=[2027]) == 0
    christmas.refresh_from_db()
    assert christmas.observed is False


def test_holiday_name_follows_the_language():
    services.public_holidays_fill(years=[2027])
    day = ClosedDay.objects.get(date=datetime.date(2027, 12, 25))
    from django.utils import translation

    with translation.override("da"):
        assert day.display_name == "Juledag"
    with translation.override("en"):
        assert day.display_name == "Christmas Day"


def test_overlapping_hours_are_refused_and_the_old_week_stays(week_hours):
    before = list(OpeningHours.objects.values_list("weekday", "opens", "closes"))
    with pytest.raises(ValidationError, match="overlap"):
        services.opening_hours_replace(
            rows=[
                (0, datetime.time(9), datetime.time(14)),
                (0, datetime.time(13), datetime.time(16)),
            ]
        )
    assert list(OpeningHours.objects.values_list("weekday", "opens", "closes")) == before


def test_holiday_cannot_be_deleted():
    day = ClosedDayFactory(source=ClosedDay.Source.PUBLIC_HOLIDAY)
    with pytest.raises(ValidationError):
        services.closed_day_delete(closed_day=day)
    assert ClosedDay.objects.filter(pk=day.pk).exists()


def test_a_date_closed_meanwhile_is_refused_as_by_the_check():
    day = datetime.date(2031, 7, 1)
    original = ClosedDay.full_clean

    def someone_else_saves_it_meanwhile(self, *args, **kwargs):
        original(self, *args, **kwargs)
        ClosedDayFactory(date=day, name="Sommerlukket")

    with (
        mock.patch.object(ClosedDay, "full_clean", someone_else_saves_it_meanwhile),
        pytest.raises(ValidationError) as refused,
    ):
        services.closed_day_save(closed_day=ClosedDay(date=day, name="Personaledag"))
    assert not ClosedDay.objects.filter(name="Personaledag").exists()
    # The same message as a coordinator who comes a moment later gets.
    ClosedDayFactory(date=day, name="Sommerlukket")
    with pytest.raises(ValidationError) as checked:
        ClosedDay(date=day, name="Personaledag").full_clean()
    assert refused.value.message_dict == checked.value.message_dict


def test_a_refusal_the_checks_do_not_explain_is_raised_as_it_is(db):
    with pytest.raises(IntegrityError, match="something else"), explain_refusal(ClosedDay()):
        raise IntegrityError("something else")


def test_the_centre_is_one_row():
    Centre.load()
    with pytest.raises(Exception):  # noqa: B017 - the database refuses a second row
        Centre.objects.create(pk=2, name="Another house")


# --- pages ------------------------------------------------------------------


def test_home_shows_the_house(anonymous, week_hours, django_assert_max_num_queries):
    Centre.objects.update_or_create(pk=1, defaults={"name": "Kvarterhuset", "address": "Motalavej"})
    # The house, its hours, closed days, the week's activities and the target groups' feeds.
    with django_assert_max_num_queries(5):
        response = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Kvarterhuset" in content
    assert "Åbningstider" in content


MANAGE_URLS = [
    ("centre:house", {}),
    ("centre:centre-edit", {}),
    ("bookings:hours-edit", {}),
    ("bookings:closedday-create", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), MANAGE_URLS)
def test_house_pages_need_login(anonymous, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = anonymous.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "kwargs"), MANAGE_URLS)
@pytest.mark.parametrize("persona", ["member_client", "council_client"])
def test_house_pages_are_for_coordinators_only(request, persona, name, kwargs):
    client = request.getfixturevalue(persona)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize(("name", "kwargs"), MANAGE_URLS)
def test_house_pages_open_for_coordinators(coordinator_client, name, kwargs):
    assert coordinator_client.get(reverse(name, kwargs=kwargs)).status_code == HTTPStatus.OK


def test_house_page_query_bound(coordinator_client, week_hours, django_assert_max_num_queries):
    services.public_holidays_fill(years=[2026, 2027])
    with django_assert_max_num_queries(12):
        response = coordinator_client.get(reverse("centre:house"))
    assert response.status_code == HTTPStatus.OK


def test_refused_post_changes_nothing(member_client):
    Centre.objects.update_or_create(pk=1, defaults={"name": "Kvarterhuset"})
    response = member_client.post(
        reverse("centre:centre-edit"), {"name": "Hijacked", "kind": "health"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Centre.load().name == "Kvarterhuset"


def test_coordinator_edits_the_centre(coordinator_client):
    response = coordinator_client.post(
        reverse("centre:centre-edit"),
        {
            "name": "Foreningernes Hus",
            "kind": "association",
            "city": "Aarhus",
            "booking_window_days": 365,
            "weekly_quota_hours": 0,
            "cancellation_deadline_hours": 24,
            "one_vote_per_actor": "on",
            "digest_weekday": 4,
            "digest_time": "16:30",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    centre = Centre.load()
    assert (centre.name, centre.kind, centre.city) == ("Foreningernes Hus", "association", "Aarhus")
    assert centre.one_vote_per_actor
    assert (centre.digest_weekday, centre.digest_time) == (4, datetime.time(16, 30))


def test_centre_edit_refuses_empty_name_in_danish(coordinator_client):
    response = coordinator_client.post(
        reverse("centre:centre-edit"),
        {"name": "", "kind": "association"},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Dette felt er påkrævet" in response.content.decode()


def _hours_post(rows, existing=()):
    data = {
        "form-TOTAL_FORMS": str(len(existing) + len(rows)),
        "form-INITIAL_FORMS": str(len(existing)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, (pk, weekday, opens, closes, delete) in enumerate([*existing, *rows]):
        if pk:
            data[f"form-{i}-id"] = str(pk)
        data[f"form-{i}-weekday"] = str(weekday)
        data[f"form-{i}-opens"] = opens
        data[f"form-{i}-closes"] = closes
        if delete:
            data[f"form-{i}-DELETE"] = "on"
    return data


def test_coordinator_replaces_opening_hours(coordinator_client):
    old = OpeningHoursFactory(weekday=0)
    data = _hours_post(
        rows=[(None, 1, "10:00", "18:00", False)],
        existing=[(old.pk, 0, "09:00", "17:00", True)],
    )
    response = coordinator_client.post(reverse("bookings:hours-edit"), data)
    assert response.status_code == HTTPStatus.FOUND
    assert list(OpeningHours.objects.values_list("weekday", "opens", "closes")) == [
        (1, datetime.time(10), datetime.time(18))
    ]


def test_overlapping_hours_in_the_form_are_refused(coordinator_client):
    OpeningHoursFactory(weekday=0)
    data = _hours_post(
        rows=[(None, 2, "09:00", "14:00", False), (None, 2, "12:00", "16:00", False)]
    )
    response = coordinator_client.post(
        reverse("bookings:hours-edit"), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == HTTPStatus.OK
    assert "overlap" in response.content.decode()
    assert list(OpeningHours.objects.values_list("weekday", flat=True)) == [0]


def test_closing_before_opening_is_refused(coordinator_client):
    data = _hours_post(rows=[(None, 2, "14:00", "09:00", False)])
    response = coordinator_client.post(
        reverse("bookings:hours-edit"), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == HTTPStatus.OK
    assert "Closing time must be after opening time." in response.content.decode()
    assert not OpeningHours.objects.exists()


def test_coordinator_adds_and_deletes_a_closed_day(coordinator_client):
    summer = timezone.localdate() + datetime.timedelta(days=200)
    response = coordinator_client.post(
        reverse("bookings:closedday-create"),
        {"date": summer.isoformat(), "name": "Sommerlukket", "observed": "on"},
    )
    assert response.status_code == HTTPStatus.FOUND
    day = ClosedDay.objects.get(date=summer)
    assert day.source == ClosedDay.Source.HOUSE
    response = coordinator_client.post(reverse("bookings:closedday-delete", args=[day.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert not ClosedDay.objects.exists()


def test_closed_day_needs_a_reason_and_a_free_date(coordinator_client):
    summer = timezone.localdate() + datetime.timedelta(days=200)
    ClosedDayFactory(date=summer)
    response = coordinator_client.post(
        reverse("bookings:closedday-create"),
        {"date": summer.isoformat(), "name": "", "observed": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "This field is required." in content
    assert "already exists" in content
    assert ClosedDay.objects.count() == 1


def test_holiday_edit_only_toggles_closed(coordinator_client):
    services.public_holidays_fill(years=[2030])
    day = ClosedDay.objects.get(date=datetime.date(2030, 12, 25))
    response = coordinator_client.post(
        reverse("bookings:closedday-edit", args=[day.pk]), {"date": "2030-12-27", "name": "Hacked"}
    )
    assert response.status_code == HTTPStatus.FOUND
    day.refresh_from_db()
    assert (day.date, day.name, day.observed) == (datetime.date(2030, 12, 25), "Juledag", False)


def test_deleting_a_holiday_is_refused_with_a_message(coordinator_client):
    services.public_holidays_fill(years=[2030])
    day = ClosedDay.objects.get(date=datetime.date(2030, 12, 25))
    response = coordinator_client.post(
        reverse("bookings:closedday-delete", args=[day.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "cannot be deleted" in response.content.decode()
    assert ClosedDay.objects.filter(pk=day.pk).exists()


def test_fill_holidays_button(coordinator_client):
    response = coordinator_client.post(reverse("bookings:holidays-fill"))
    assert response.status_code == HTTPStatus.FOUND
    assert ClosedDay.objects.filter(source=ClosedDay.Source.PUBLIC_HOLIDAY).count() >= 20


def test_missing_closed_day_is_404(coordinator_client):
    assert coordinator_client.get(reverse("bookings:closedday-edit", args=[999])).status_code == 404


def test_coordinator_sets_the_booking_rules(coordinator_client):
    response = coordinator_client.post(
        reverse("centre:centre-edit"),
        {
            "name": "Huset",
            "kind": "health",
            "booking_window_days": 180,
            "weekly_quota_hours": 6,
            "cancellation_deadline_hours": 48,
            "digest_weekday": 0,
            "digest_time": "07:00",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    centre = Centre.load()
    assert (
        centre.booking_window_days,
        centre.weekly_quota_hours,
        centre.cancellation_deadline_hours,
    ) == (180, 6, 48)
