"""Residents sign up for an activity (issue 17): places, the hold and the
double opt-in, the waiting list, cancelled and moved dates, reminders,
attendance, retention, privacy and abuse."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings import services as booking_services
from centre import privacy
from centre.selectors import aware
from signups import services, tasks, upkeep
from signups.models import Attendance, Reminder, Sheet, SignUp
from tests.factories import BookingFactory, in_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

S = SignUp.Status


def ask(activity, email, people=1, name="Ada", language="en"):
    return services.sign_up(
        booking=activity, name=name, email=email, people=people, language=language
    )


def link(message, name: str) -> str:
    return re.search(rf"https?://\S+/signups/{name}/[\w-]+/", message.body).group(0)


def test_a_resident_signs_up_confirms_gets_the_ics_and_cancels(
    sheet, activity, django_capture_on_commit_callbacks
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(reverse("bookings:activity", args=[activity.pk]))
    assert "4 of 4 places left" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("signups:signup", args=[activity.pk]),
            {"name": "Ada", "email": "Ada@Example.org", "people": 2},
        )
    assert answer.status_code == 200 and "Check your mail" in answer.content.decode()
    signup = SignUp.objects.get()
    assert (signup.status, signup.email, signup.language) == (S.HELD, "ada@example.org", "en")
    assert signup.held_until - timezone.now() > datetime.timedelta(minutes=29)
    (first,) = mail.outbox
    assert first.subject == "Confirm your sign-up: Strikkecafé"
    confirm_url = link(first, "confirm")
    # Opening the link confirms nothing (mail scanners open links); the button does.
    assert client.get(confirm_url).status_code == 200
    assert SignUp.objects.get().status == S.HELD
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url)
    assert SignUp.objects.get().status == S.CONFIRMED
    second = mail.outbox[1]
    assert second.subject == "You are signed up: Strikkecafé"
    (ics,) = second.attachments
    assert ics[0].endswith(".ics") and "BEGIN:VEVENT" in str(ics[1]) and ics[2] == "text/calendar"
    assert "Garn" in second.body
    page = client.get(reverse("bookings:activity", args=[activity.pk]))
    assert "2 of 4 places left" in page.content.decode()
    cancel_url = link(second, "mine")
    client.post(cancel_url)
    assert SignUp.objects.get().status == S.CANCELLED


def test_the_last_place_goes_once_then_the_waiting_list_is_promoted_and_mailed(
    sheet, activity, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(activity, "a@example.org", people=2)
        second = ask(activity, "b@example.org", people=2)
        waiting = ask(activity, "c@example.org", people=1, language="da")
    assert [s.status for s in (first, second, waiting)] == [S.HELD, S.HELD, S.WAITING]
    for signup in (first, second, waiting):
        services.confirm(signup.token)
    waiting.refresh_from_db()
    assert waiting.status == S.WAITING and waiting.confirmed_at
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(SignUp.objects.get(pk=first.pk))
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
    (promoted,) = mail.outbox
    # In the person's own language.
    assert promoted.to == ["c@example.org"] and promoted.subject.startswith("En plads blev ledig")
    assert promoted.attachments


def test_without_a_waiting_list_a_full_date_says_so_before_anyone_types(sheet, activity):
    Sheet.objects.filter(pk=sheet.pk).update(places=1, waiting_list=False)
    ask(activity, "a@example.org")
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("bookings:activity", args=[activity.pk]))
    text = page.content.decode()
    assert "Full." in text and "keeps no waiting list" in text and 'name="email"' not in text
    with pytest.raises(ValidationError, match="keeps no waiting list"):
        ask(activity, "b@example.org")


def test_a_lapsed_hold_frees_its_place(sheet, activity):
    Sheet.objects.filter(pk=sheet.pk).update(places=1)
    held = ask(activity, "a@example.org")
    late = ask(activity, "b@example.org")
    assert late.status == S.WAITING
    services.confirm(late.token)
    SignUp.objects.filter(pk=held.pk).update(
        held_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    upkeep.release_lapsed_holds()
    late.refresh_from_db()
    assert late.status == S.CONFIRMED
    # The first comes back too late: the waiting list, not an oversold place.
    assert services.confirm(held.token).status == S.WAITING


def test_per_person_limit_opening_and_closing(sheet, activity):
    with pytest.raises(ValidationError, match="1 to 2 people"):
        ask(activity, "a@example.org", people=3)
    Sheet.objects.filter(pk=sheet.pk).update(opens_days_before=1)
    with pytest.raises(ValidationError, match="Sign-up opens"):
        ask(activity, "a@example.org")
    Sheet.objects.filter(pk=sheet.pk).update(opens_days_before=None, closes_hours_before=24 * 4)
    with pytest.raises(ValidationError, match="has closed"):
        ask(activity, "a@example.org")


def test_places_are_at_most_the_rooms_capacity(activity, member):
    with pytest.raises(ValidationError, match="holds 100 people"):
        services.sheet_save(booking=activity, by=member, whole_series=False, places=101)


def test_the_same_address_again_learns_nothing_and_gets_its_own_sign_up(
    sheet, activity, django_capture_on_commit_callbacks
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("signups:signup", args=[activity.pk])
    form = {"name": "Ada", "email": "ada@example.org", "people": 1}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, form)
        again = client.post(url, {**form, "name": "Someone else"})

    def answer(response):
        return re.sub(r'value="[\w-]{30,}"', "", response.content.decode())

    assert answer(first) == answer(again)  # the same answer
    assert SignUp.objects.count() == 1
    assert mail.outbox[1].subject == "Your sign-up: Strikkecafé"


def test_the_honeypot_is_answered_like_a_sign_up_and_keeps_nothing(sheet, activity):
    answer = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("signups:signup", args=[activity.pk]),
        {"name": "Bot", "email": "bot@example.org", "people": 1, "website": "http://spam"},
    )
    assert "Check your mail" in answer.content.decode()
    assert not SignUp.objects.exists() and not mail.outbox


def test_sign_ups_are_limited_per_address_and_per_ip(sheet, activity, settings):
    from django.core.cache import cache

    cache.clear()
    url = reverse("signups:signup", args=[activity.pk])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    Sheet.objects.filter(pk=sheet.pk).update(places=100, per_person=1)
    same = [
        client.post(url, {"name": "A", "email": "same@example.org", "people": 1}).status_code
        for _ in range(6)
    ]
    assert same == [200] * 5 + [429]
    answer = client.post(url, {"name": "A", "email": "same@example.org", "people": 1})
    assert "Too many sign-ups" in answer.content.decode()
    others = [
        client.post(url, {"name": "A", "email": f"p{n}@example.org", "people": 1}).status_code
        for n in range(20)
    ]
    assert others.count(429) == 7  # 20 an hour from one address, 7 went already
    cache.clear()


def test_a_cancelled_date_tells_everyone_signed_up_and_a_moved_one_too(
    sheet, activity, coordinator, django_capture_on_commit_callbacks
):
    for email in ("a@example.org", "b@example.org"):
        services.confirm(ask(activity, email).token)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_services.booking_move(
            booking=activity,
            by=coordinator,
            day=timezone.localdate(activity.start) + datetime.timedelta(days=1),
        )
    told = [m for m in mail.outbox if m.to[0] in ("a@example.org", "b@example.org")]
    assert sorted(m.subject for m in told) == ["New time: Strikkecafé"] * 2
    mail.outbox.clear()
    activity.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        booking_services.booking_cancel(booking=activity, by=coordinator)
    told = [m for m in mail.outbox if m.to[0] in ("a@example.org", "b@example.org")]
    assert sorted(m.to[0] for m in told) == ["a@example.org", "b@example.org"]
    assert {m.subject for m in told} == {"Cancelled: Strikkecafé"}
    assert set(SignUp.objects.values_list("status", flat=True)) == {S.CANCELLED}
    # A cancelled date sends no reminder.
    assert upkeep.reminders_due(activity.start - datetime.timedelta(days=1)) == []


def test_a_closed_day_tells_the_sign_ups(
    sheet, activity, coordinator, django_capture_on_commit_callbacks
):
    from bookings.services import house
    from centre.models import ClosedDay

    services.confirm(ask(activity, "a@example.org").token)
    mail.outbox.clear()
    day = ClosedDay(date=timezone.localdate(activity.start), name="Lukket")
    change = house.Change(closed_days=[day])
    touched = house.affected(change)
    with django_capture_on_commit_callbacks(execute=True):
        house.apply(
            change,
            {b.pk: house.Decision(house.CANCEL) for b in touched},
            by=coordinator,
            seen=[b.pk for b in touched],
        )
    assert "Cancelled: Strikkecafé" in [m.subject for m in mail.outbox]


def test_reminders_go_once_per_sign_up_and_day(sheet, member, room, actor):
    tomorrow = BookingFactory(room=room, actor=actor, booked_by=member, start=in_days(1, 10))
    Sheet.objects.create(booking=tomorrow, places=5)
    kept = services.confirm(ask(tomorrow, "a@example.org").token)
    gone = services.confirm(ask(tomorrow, "b@example.org").token)
    services.cancel(gone)
    ask(tomorrow, "c@example.org")  # never confirmed
    mail.outbox.clear()
    assert tasks.reminders_due() == 1
    assert tasks.reminders_due() == 0  # beat again: nothing new
    tasks.send_reminder(Reminder.objects.get().pk)  # a redelivered task
    (reminder,) = mail.outbox
    assert reminder.to == ["a@example.org"] and reminder.subject.startswith("Tomorrow")
    assert Reminder.objects.get().signup_id == kept.pk


def test_attendance_by_ticking_and_by_age_band(sheet, member, room, actor, other_member):
    past = BookingFactory(room=room, actor=actor, booked_by=member, start=in_days(-1, 10))
    Sheet.objects.create(booking=past, places=10)
    a = services.add_at_desk(booking=past, by=member, name="Karen", phone="12345678", people=2)
    assert a.status == S.CONFIRMED and a.phone == "12345678"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(member)
    answer = client.post(
        reverse("signups:attendance", args=[past.pk]), {"came": [a.pk], "children": 1, "adults": 1}
    )
    assert answer.status_code == 302
    attendance = Attendance.objects.get()
    assert (attendance.total, attendance.children, attendance.adults) == (2, 1, 1)
    assert SignUp.objects.get().attended
    stranger = Client()
    stranger.force_login(other_member)
    assert stranger.get(reverse("signups:list", args=[past.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.record_attendance(booking=past, by=other_member, total=3)


def test_personal_data_goes_30_days_after_the_date_and_the_counts_stay(sheet, member, room, actor):
    past = BookingFactory(room=room, actor=actor, booked_by=member, start=in_days(-2, 10))
    Sheet.objects.create(booking=past, places=10)
    services.add_at_desk(
        booking=past,
        by=member,
        name="Karen",
        phone="1234",
        email="k@example.org",
        people=3,
        note="Kørestol",
    )
    services.record_attendance(booking=past, by=member, total=5)
    assert tasks.erase_personal_data() == 0
    later = timezone.now() + datetime.timedelta(days=29)
    assert upkeep.erase_old(later) == 1
    row = SignUp.objects.get()
    assert (row.name, row.email, row.phone, row.note, row.people) == ("", "", "", "", 3)
    assert Attendance.objects.get().total == 5


def test_export_and_forget_person_include_sign_ups(sheet, activity, member, capsys):
    services.confirm(ask(activity, "ada@example.org", name="Ada Lovelace").token)
    holdings = privacy.export_address("ada@example.org")["holdings"]
    (row,) = holdings["signups.SignUp (to this address)"]
    assert row["name"] == "Ada Lovelace" and "token" not in row
    call_command("forget_person", "ada@example.org", "--yes")
    signup = SignUp.objects.get()
    assert (signup.name, signup.email, signup.people, signup.status) == ("", "", 1, S.CONFIRMED)
    # With an account at the same address: in the account's export too.
    services.confirm(ask(activity, member.email).token)
    assert "signups.SignUp (to this address)" in privacy.export(member)["holdings"]


def test_the_privacy_page_says_what_is_kept_and_for_how_long():
    text = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("centre:privacy")).content.decode()
    assert "30 days after the date" in text


def test_calendar_items_show_the_places_left_in_both_languages(sheet, activity):
    ask(activity, "a@example.org", people=2)
    day = timezone.localdate(activity.start).isoformat()
    url = reverse("bookings:calendar") + f"?view=week&date={day}"
    assert "2 of 4 places left" in Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    assert "2 af 4 pladser tilbage" in Client(HTTP_ACCEPT_LANGUAGE="da").get(url).content.decode()


def test_a_calendar_gives_places_only_to_its_own_items(sheet, activity, small_room, actor):
    """The places are read for the page's window: an activity in the window but
    not on the page (another room) gets no badge on it, and the items at the
    window's first and last minute get theirs."""
    ask(activity, "a@example.org", people=1)
    elsewhere = BookingFactory(
        room=small_room, actor=actor, title="Lektiecafé", start=activity.start
    )
    Sheet.objects.create(booking=elsewhere, places=9)
    later = BookingFactory(room=activity.room, actor=actor, title="Syklub", start=in_days(4, 21))
    Sheet.objects.create(booking=later, places=7)
    day = timezone.localdate(activity.start).isoformat()
    base = reverse("bookings:calendar") + f"?view=list&date={day}"
    whole = Client(HTTP_ACCEPT_LANGUAGE="en").get(base).content.decode()
    assert "3 of 4 places left" in whole and "9 of 9 places left" in whole
    assert "7 of 7 places left" in whole
    one_room = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"{base}&room={activity.room.slug}")
    text = one_room.content.decode()
    assert "3 of 4 places left" in text and "7 of 7 places left" in text
    assert "Lektiecafé" not in text and "9 of 9 places left" not in text


def test_a_series_sheet_serves_every_date(member, room, actor):
    from bookings.models import BookingSeries

    series = BookingSeries.objects.create(
        room=room,
        actor=actor,
        booked_by=member,
        title="Lektiecafé",
        rrule="FREQ=WEEKLY",
        first_day=timezone.localdate(),
        start_time=datetime.time(16),
        end_time=datetime.time(18),
        materialised_until=timezone.localdate(),
    )
    dates = [
        BookingFactory(
            series=series, room=room, actor=actor, booked_by=member, start=in_days(d, 16)
        )
        for d in (2, 9)
    ]
    services.sheet_save(booking=dates[0], by=member, whole_series=True, places=1)
    assert ask(dates[0], "a@example.org").status == S.HELD
    assert ask(dates[1], "a@example.org").status == S.HELD  # its own places


def test_a_series_sheet_badges_its_dates_in_the_calendar(booker, room, actor):
    """A sheet for a whole series gives each of its dates its own places on the
    calendar; the page spends one query on the sheets and the places taken,
    with or without dates that take sign-ups."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import weekly_series

    series = weekly_series(booker, room, actor, weeks=3, title="Lektiecafé")
    first, second = list(series.occurrences.order_by("start"))[:2]
    services.sheet_save(booking=first, by=booker, whole_series=True, places=5)
    ask(second, "a@example.org", people=2)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("bookings:calendar") + "?view=list&date={}"
    with CaptureQueriesContext(connection) as with_sheets:
        html = client.get(url.format(timezone.localdate(first.start).isoformat())).content
    assert b"5 of 5 places left" in html and b"3 of 5 places left" in html
    later = timezone.localdate(first.start) + datetime.timedelta(days=60)
    BookingFactory(room=room, actor=actor, start=aware(later, datetime.time(10)))
    with CaptureQueriesContext(connection) as without:
        client.get(url.format(later.isoformat()))
    places = [q for q in with_sheets.captured_queries if "signups_" in q["sql"]]
    assert len(places) == 1
    assert len([q for q in without.captured_queries if "signups_" in q["sql"]]) == 1


def test_a_dates_own_sheet_and_only_live_holds_count_in_the_calendar(booker, room, actor):
    """A date with a sheet of its own shows its own places, not its series';
    a sign-up held past its time takes no place, one still held does."""
    from tests.factories import weekly_series

    series = weekly_series(booker, room, actor, weeks=3, title="Lektiecafé")
    first, second, third = list(series.occurrences.order_by("start"))[:3]
    services.sheet_save(booking=second, by=booker, whole_series=False, places=2)
    services.sheet_save(booking=first, by=booker, whole_series=True, places=5)
    held = ask(third, "a@example.org", people=2)
    lapsed = ask(third, "b@example.org", people=1)
    SignUp.objects.filter(pk=lapsed.pk).update(
        held_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert SignUp.objects.get(pk=held.pk).status == S.HELD
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    badges = []
    for date in (first, third):  # the list shows 14 days: the first two, then the third
        html = client.get(
            reverse("bookings:calendar")
            + f"?view=list&date={timezone.localdate(date.start).isoformat()}"
        ).content.decode()
        for item in re.findall(r'<li class="cal-item">(.*?)</li>', html, re.S):
            badges.append(re.findall(r'class="badge badge-places">([^<]*)<', item))
    assert badges == [
        ["5 of 5 places left"],
        ["2 of 2 places left"],
        ["3 of 5 places left"],
    ]


def test_an_internal_date_shows_no_places_in_the_calendar(booker, room, actor):
    """An internal activity takes no sign-ups from residents (its page offers
    none): its calendar item says so rather than places left."""
    from bookings.models import Visibility
    from tests.factories import weekly_series

    series = weekly_series(booker, room, actor, weeks=2, title="Lektiecafé")
    first, second = list(series.occurrences.order_by("start"))
    services.sheet_save(booking=first, by=booker, whole_series=True, places=5)
    booking_services.booking_update(booking=first, by=booker, visibility=Visibility.INTERNAL)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(booker)
    url = reverse("bookings:calendar") + "?view=week&date={}"
    for day, shown in ((first, False), (second, True)):
        html = client.get(url.format(timezone.localdate(day.start).isoformat())).content
        assert (b"5 of 5 places left" in html) is shown
    assert b"Internal" in client.get(url.format(timezone.localdate(first.start))).content


def test_query_bounds_of_the_new_pages(sheet, activity, member, django_assert_max_num_queries):
    for n in range(4):
        services.add_at_desk(booking=activity, by=member, name=f"P{n}", phone="1", people=1)
    for n in range(3):
        services.add_at_desk(booking=activity, by=member, name=f"W{n}", phone="1", people=1)
    client = Client()
    client.force_login(member)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("signups:list", args=[activity.pk])).status_code == 200
    anonymous = Client()
    with django_assert_max_num_queries(12):
        assert anonymous.get(reverse("bookings:activity", args=[activity.pk])).status_code == 200
    token = SignUp.objects.first().token
    with django_assert_max_num_queries(4):
        assert anonymous.get(reverse("signups:cancel", args=[token])).status_code == 200
    with django_assert_max_num_queries(4):
        assert anonymous.get(reverse("signups:confirm", args=[token])).status_code == 200


@pytest.mark.parametrize(
    ("who", "label", "refusal"),
    [
        ("area", "I live in the area", "This activity is for residents of the area"),
        ("group", "I belong to the group the activity is for", "for a particular group"),
    ],
)
def test_an_activity_for_some_people_asks_the_resident_to_say_they_are_among_them(
    sheet, activity, who, label, refusal
):
    sheet.who, sheet.who_note = who, "Beboere i Motalavej og Ellehammervej"
    sheet.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(reverse("bookings:activity", args=[activity.pk])).content.decode()
    assert label in page and "Beboere i Motalavej og Ellehammervej" in page
    url = reverse("signups:signup", args=[activity.pk])
    answer = client.post(url, {"name": "Ada", "email": "ada@example.org", "people": 1})
    assert answer.status_code == 400 and refusal in answer.content.decode()
    assert not SignUp.objects.exists()
    answer = client.post(
        url, {"name": "Ada", "email": "ada@example.org", "people": 1, "eligible": "on"}
    )
    assert "Check your mail" in answer.content.decode()
    assert SignUp.objects.get().status == S.HELD


def test_an_activity_for_anyone_asks_nothing_more(sheet, activity):
    page = Client().get(reverse("bookings:activity", args=[activity.pk])).content.decode()
    assert 'name="eligible"' not in page
