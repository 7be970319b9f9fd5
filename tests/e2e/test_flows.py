"""Samhus's main journeys, clicked through in Chromium: signing in, switching
language, editing the opening hours and a coordinator's forced two-factor setup."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from playwright.sync_api import expect

from centre.models import OpeningHours, User, Weekday
from tests.e2e.conftest import assert_accessible, html_lang, open_menu
from tests.factories import PASSWORD, OpeningHoursFactory, UserFactory

pytestmark = pytest.mark.e2e


def _sign_in_through_form(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.locator("input[name='login']").fill(email)
    page.locator("input[name='password']").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def _danish(message: str) -> str:
    with translation.override("da"):
        return gettext(message)


def _weekday_name(weekday: int) -> str:
    with translation.override("da"):
        return str(Weekday(weekday).label)


def test_member_signs_in_through_the_form_in_danish(e2e, member, page):
    _sign_in_through_form(page, e2e.url, member.email)

    # A member lands on their home, not the residents' front page.
    expect(page).to_have_url(e2e.url + "/home/")
    assert html_lang(page) == "da"
    # A signed-in person's navigation is one menu, closed until asked for.
    expect(page.get_by_role("button", name="Log ud")).to_be_hidden()
    open_menu(page)
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()
    expect(page.get_by_role("link", name="Min profil")).to_be_visible()
    expect(page.get_by_role("link", name="Log ind")).to_have_count(0)


def test_language_switcher_changes_to_english_and_it_sticks(e2e, member, signed_in, page):
    signed_in(member)
    page.goto(e2e.url + "/")
    assert html_lang(page) == "da"
    open_menu(page)
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()

    page.get_by_label("Sprog").select_option("en")
    page.get_by_role("button", name="Skift").click()

    expect(page).to_have_url(e2e.url + "/")
    assert html_lang(page) == "en"
    open_menu(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Today in the house"))

    page.get_by_role("link", name="My profile").click()
    expect(page).to_have_url(e2e.url + "/accounts/profile/")
    assert html_lang(page) == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(page.locator("form.stacked select[name='language']")).to_have_value("en")
    # The switch is remembered on the profile too, for e-mails.
    member.refresh_from_db()
    assert member.language == "en"


def test_coordinator_edits_opening_hours_and_the_front_page_shows_them(
    e2e, coordinator, signed_in, page
):
    signed_in(coordinator)
    today = timezone.localdate()
    weekday = (today + datetime.timedelta(days=2)).weekday()

    page.goto(e2e.url + "/house/hours/")
    expect(page.get_by_role("heading", level=1)).to_have_text(_danish("Edit opening hours"))
    page.get_by_label("Ugedag 1", exact=True).select_option(label=_weekday_name(weekday))
    page.get_by_label("Åbner 1", exact=True).fill("10:15")
    page.get_by_label("Lukker 1", exact=True).fill("14:45")
    page.get_by_role("button", name="Gem").click()

    expect(page).to_have_url(e2e.url + "/house/")
    expect(page.get_by_role("status")).to_contain_text("Åbningstiderne er gemt.")
    assert list(OpeningHours.objects.values_list("weekday", "opens", "closes")) == [
        (weekday, datetime.time(10, 15), datetime.time(14, 45))
    ]

    page.locator(".site-name").click()  # the house's name leads to its front page
    rows = page.locator("table.hours tbody tr")
    expect(rows).to_have_count(7)
    # The front page lists today first, so the edited weekday is two rows down.
    expect(rows.nth(2)).to_contain_text("10:15–14:45")
    expect(rows.nth(2).locator("th")).to_contain_text(_weekday_name(weekday), ignore_case=True)
    for index in (0, 1, 3, 4, 5, 6):
        expect(rows.nth(index).locator("td")).to_have_text("Lukket")


def test_overlapping_hours_show_the_translated_error_and_save_nothing(
    e2e, coordinator, signed_in, page
):
    OpeningHoursFactory(weekday=Weekday.MONDAY, opens=datetime.time(9), closes=datetime.time(17))
    signed_in(coordinator)

    page.goto(e2e.url + "/house/hours/")
    # Row 1 holds Monday's existing hours; rows 2 and 3 are empty.
    expect(page.get_by_label("Åbner 1", exact=True)).to_have_value("09:00")
    tuesday = _weekday_name(Weekday.TUESDAY)
    page.get_by_label("Ugedag 2", exact=True).select_option(label=tuesday)
    page.get_by_label("Åbner 2", exact=True).fill("09:00")
    page.get_by_label("Lukker 2", exact=True).fill("12:00")
    page.get_by_label("Ugedag 3", exact=True).select_option(label=tuesday)
    page.get_by_label("Åbner 3", exact=True).fill("11:00")
    page.get_by_label("Lukker 3", exact=True).fill("14:00")
    page.get_by_role("button", name="Gem").click()

    template = "%(day)s: the opening hours overlap. Merge them or move one."
    assert _danish(template) != template, "the overlap message has no Danish translation"
    expected = _danish(template) % {"day": capfirst(tuesday)}
    expect(page).to_have_url(e2e.url + "/house/hours/")
    # The error summary at the top says it, and has the focus.
    expect(page.get_by_role("alert")).to_contain_text(expected)
    expect(page.locator(".error-summary")).to_be_focused()
    assert html_lang(page) == "da"
    assert list(OpeningHours.objects.values_list("weekday", "opens", "closes")) == [
        (Weekday.MONDAY, datetime.time(9), datetime.time(17))
    ]


def test_coordinator_without_two_factor_is_sent_to_set_it_up(e2e, page):
    newcomer = UserFactory(email="ny.koordinator@example.org", is_coordinator=True)
    assert not Authenticator.objects.filter(user=newcomer).exists()

    _sign_in_through_form(page, e2e.url, newcomer.email)

    # Samhus sends them to the authenticator setup; allauth first asks for the
    # password once more before an authenticator may be added.
    activate = "/accounts/2fa/totp/activate/"
    expect(page).to_have_url(e2e.url + "/accounts/reauthenticate/?" + urlencode({"next": activate}))
    assert html_lang(page) == "da"
    expect(page.get_by_role("status")).to_contain_text(
        _danish("Coordinators must use two-factor authentication. Set it up to continue.")
    )
    assert_accessible(page)
    page.locator("input[name='password']").fill(PASSWORD)
    page.get_by_role("button", name=_danish("Confirm")).click()

    expect(page).to_have_url(e2e.url + activate)
    expect(page.get_by_role("heading", level=1)).to_have_text(_danish("Activate Authenticator App"))
    expect(page.locator("input[name='code']")).to_be_visible()
    assert_accessible(page)

    # Every other signed-in page sends them back until it is done.
    page.goto(e2e.url + "/house/")
    expect(page).to_have_url(e2e.url + activate)
    assert User.objects.get(pk=newcomer.pk).is_coordinator
