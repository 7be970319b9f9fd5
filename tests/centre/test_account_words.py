"""Samhus's words where allauth's Danish reads badly, the password-reset mail
in the house's name, and one Danish word for each thing."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from centre.dates import date_as
from centre.models import Centre
from tests.factories import (
    PASSWORD,
    BookingFactory,
    ClosedDayFactory,
    in_days,
    series_dates,
    weekly_series,
)

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"


def _entries(language: str) -> list[dict]:
    """The catalogue's entries: where each is used, and its text and translations."""
    entries = []
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text()
    for block in text.split("\n\n"):
        if block.startswith("#~") or "msgid" not in block:
            continue
        strings = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                strings[key] = match.group(2)
            elif line.startswith('"') and key:
                strings[key] += line[1:-1]
        entries.append(
            {
                "paths": {
                    path.rsplit(":", 1)[0]
                    for line in block.splitlines()
                    if line.startswith("#: ")
                    for path in line[3:].split()
                },
                "msgid": strings.get("msgid", ""),
                "msgid_plural": strings.get("msgid_plural", ""),
                "said": " ".join(v for k, v in strings.items() if k.startswith("msgstr")),
            }
        )
    return entries


@pytest.mark.parametrize(
    ("template", "context", "words"),
    [
        ("account/messages/logged_in.txt", {"name": "Karen"}, "Du er logget ind som Karen."),
        ("account/messages/logged_out.txt", {}, "Du er logget ud."),
        ("account/messages/password_changed.txt", {}, "Adgangskoden er ændret."),
        ("account/messages/password_set.txt", {}, "Adgangskoden er gemt."),
        ("account/email/password_changed_subject.txt", {}, "Adgangskoden er ændret"),
    ],
)
def test_allauths_messages_read_naturally_in_danish(member, template, context, words):
    with translation.override("da"):
        text = render_to_string(template, {"user": member, **context}).strip()
    if "logged_in" in template:  # the name is the user's display, not the context's
        words = words.replace("Karen", text.removeprefix("Du er logget ind som ").rstrip("."))
    assert text == words
    assert not re.search(r"succes|Loggede|Password", text)


def test_signing_in_and_out_says_so_in_danish(anonymous, member):
    anonymous.post(
        reverse("account_login"),
        {"login": member.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    said = [str(m) for m in get_messages(anonymous.get(reverse("homes:home")).wsgi_request)]
    assert any(m.startswith("Du er logget ind som") for m in said), said
    response = anonymous.post(reverse("account_logout"), HTTP_ACCEPT_LANGUAGE="da", follow=True)
    assert "Du er logget ud." in response.content.decode()


def test_the_password_reset_mail_is_in_the_houses_name(
    anonymous, member, django_capture_on_commit_callbacks
):
    centre = Centre.load()
    centre.name = "Kvarterhuset Motalavej"
    centre.save()
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(
            reverse("account_reset_password"), {"email": member.email}, HTTP_ACCEPT_LANGUAGE="da"
        )
    [message] = mail.outbox
    assert message.subject == "[Kvarterhuset Motalavej] Vælg en ny adgangskode"
    assert message.body.startswith("Hej fra Kvarterhuset Motalavej.")
    assert "har bedt om en ny adgangskode til din konto hos Kvarterhuset Motalavej" in message.body
    assert "Venlig hilsen Kvarterhuset Motalavej" in message.body
    assert "Samhus" not in message.subject


def test_one_danish_word_for_a_booking_request():
    """Bookinganmodning, in every string; "ønske" is a season's wish."""
    danish = _entries("da")
    requests = [e for e in danish if "booking request" in e["msgid"].lower()]
    assert len(requests) >= 3
    for entry in danish:
        said = entry["said"].lower()
        assert "bookingønske" not in said and "booking-ønske" not in said, entry["msgid"]
    for entry in requests:
        assert "bookinganmodning" in entry["said"].lower(), entry["msgid"]
    for entry in _entries("en"):
        said = " ".join([entry["msgid"], entry["msgid_plural"], entry["said"]]).lower()
        assert "booking wish" not in said, entry["msgid"]


def test_skift_switches_and_is_never_an_edit():
    """ "Skift" says one thing: choose another (language, role, password); a
    link to a page that changes something says "Redigér"."""
    danish = _entries("da")
    skift = [entry for entry in danish if entry["said"] == "Skift"]
    assert [entry["paths"] for entry in skift] == [{"templates/includes/_language.html"}]
    assert [entry["said"] for entry in danish if entry["msgid"] == "Edit"] == ["Redigér"]


def test_booking_edit_links_say_edit(booker_client, booker, room, actor):
    booking = BookingFactory(room=room, actor=actor, booked_by=booker, start=in_days(3, 10))
    html = booker_client.get(
        reverse("bookings:booking-detail", args=[booking.pk]), HTTP_ACCEPT_LANGUAGE="da"
    ).content.decode()
    edit = reverse("bookings:booking-edit", args=[booking.pk])
    assert re.search(rf'href="{re.escape(edit)}">Redigér<', html)


def test_my_bookings_write_a_day_as_the_house_does(member_client, member, room, actor):
    start = in_days(9, 10)
    BookingFactory(room=room, actor=actor, booked_by=member, start=start)
    html = member_client.get(reverse("bookings:my-bookings")).content.decode()
    with translation.override("da"):
        assert date_as(start, "DAY_FORMAT") in html
    assert f"{start:%d.%m.%Y}" not in html


def test_closed_days_are_named_in_full(coordinator_client):
    day = timezone.localdate() + datetime.timedelta(days=30)
    ClosedDayFactory(date=day)
    html = coordinator_client.get(reverse("centre:house")).content.decode()
    with translation.override("da"):
        assert date_as(day, "LONG_DAY_FORMAT").capitalize() in html
    assert f"{day:%d.%m.%Y}" not in html


def test_a_series_writes_its_days_as_the_house_does(booker_client, booker, room, actor):
    series = weekly_series(booker, room, actor, weeks=3)
    first = series_dates(series)[0]
    html = booker_client.get(reverse("bookings:series-detail", args=[series.pk])).content.decode()
    with translation.override("da"):
        day = date_as(first.start, "DAY_FORMAT")
        named = date_as(first.start, "LONG_DAY_FORMAT").capitalize()
    times = '<bdi dir="ltr">17:00–19:00</bdi>'  # left to right inside Arabic text
    assert f">{day} {times}</a>" in html  # each date in the table
    assert f">{named} {times}</a>" in html  # the next one, named in full
    assert f"{first.start:%d.%m.%Y} 17:00" not in html
