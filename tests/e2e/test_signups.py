"""A resident signs up for an activity on a phone (360 px), without an
account: from the activity's page, confirming from the mail, with the .ics,
cancelling from the link; the first on the waiting list is promoted and
mailed. Every page passes axe's WCAG 2.1 A/AA rules and fits the screen."""

import re

import pytest
from django.core import mail

from signups.models import Sheet, SignUp
from tests.e2e.conftest import assert_accessible, set_language
from tests.factories import BookingFactory, in_days

pytestmark = pytest.mark.e2e


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width}px wide at 360 px"


def link(message, name: str) -> str:
    return re.search(rf"https?://\S+/signups/{name}/[\w-]+/", message.body).group(0)


def test_a_resident_signs_up_on_a_phone_confirms_and_cancels(
    e2e, room, actor, member, page, context
):
    booking = BookingFactory(
        room=room, actor=actor, booked_by=member, title="Strikkecafé", start=in_days(3, 17)
    )
    Sheet.objects.create(booking=booking, places=2, per_person=2, bring="Garn og pinde")
    waiting = SignUp.objects.create(
        sheet=booking.sheet,
        booking=booking,
        name="Birgit",
        email="birgit@example.org",
        status=SignUp.Status.WAITING,
        confirmed_at=booking.created,
        language="da",
    )
    set_language(context, e2e.url, "en")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{e2e.url}/calendar/activities/{booking.pk}/")
    assert "2 of 2 places left" in page.inner_text("#places")
    assert_accessible(page)
    fits(page)
    page.get_by_label("Name or initials").fill("Ada")
    page.get_by_label("E-mail").fill("ada@example.org")
    page.get_by_label("Number of people").fill("2")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("heading", name="Check your mail").wait_for()
    assert_accessible(page)

    (confirm_mail,) = mail.outbox
    page.goto(link(confirm_mail, "confirm"))
    assert_accessible(page)
    fits(page)
    page.get_by_role("button", name="Confirm my sign-up").click()
    page.get_by_role("heading", name="My sign-up").wait_for()
    assert "Signed up" in page.inner_text("main")
    assert_accessible(page)
    signed_up = mail.outbox[1]
    (ics,) = signed_up.attachments
    assert ics[0].endswith(".ics") and "BEGIN:VEVENT" in str(ics[1])

    page.goto(f"{e2e.url}/calendar/activities/{booking.pk}/")
    assert "Full" in page.inner_text("#places")
    mail.outbox.clear()
    page.goto(link(signed_up, "mine"))
    page.get_by_role("button", name="Cancel my sign-up").click()
    page.get_by_text("Your sign-up is cancelled.").wait_for()
    waiting.refresh_from_db()
    assert waiting.status == SignUp.Status.CONFIRMED
    promoted = [m for m in mail.outbox if m.to == ["birgit@example.org"]]
    assert len(promoted) == 1 and promoted[0].subject.startswith("En plads blev ledig")


def test_the_activitys_people_see_the_list_add_at_the_desk_and_record_who_came(
    e2e, room, actor, member, signed_in, page, context
):
    booking = BookingFactory(
        room=room, actor=actor, booked_by=member, title="Lektiecafé", start=in_days(-1, 15)
    )
    Sheet.objects.create(booking=booking, places=10)
    signed_in(member)
    set_language(context, e2e.url, "en")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{e2e.url}/signups/dates/{booking.pk}/")
    assert_accessible(page)
    form = page.locator("form", has=page.get_by_role("button", name="Add"))
    form.get_by_label("Name or initials").fill("Karen")
    form.get_by_label("Phone").fill("20304050")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("Karen is signed up.").wait_for()
    page.get_by_label("Karen (1)").check()
    page.get_by_label("Children (0–12)").fill("1")
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("Attendance is saved.").wait_for()
    assert "Recorded: 1 came." in page.inner_text("main")
    assert_accessible(page)
