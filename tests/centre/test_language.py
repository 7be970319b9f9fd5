"""Language that reads naturally: Danish pages write dates in Danish ("man. 7.
dec.", never "7. Dec"), English pages in English ("Mon 7 Dec"), each kind of
date in one format (centre/formats/), and no "booking(er)" or "resident(s)":
real plurals, in the catalogues and on the pages."""

import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from actors.models import TargetGroup
from bookings.models import Status
from centre.dates import date_as
from collaboration.models import DigestDelivery, HouseRule, Meeting
from tests.factories import BookingFactory, in_days, log_collaboration

LOCALE = Path(settings.BASE_DIR) / "locale"
ENGLISH_ABBREVIATIONS = re.compile(
    r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?"
)
ENGLISH_NAMES = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"May|June|July|October)\b"  # the others are Danish words too, capitalised
)
# "booking(er)", "modtager(e)", "resident(s)": a plural written as a bracket.
BRACKET_PLURAL = re.compile(r"\w\((er|e|r|s|n|ne)\)")


def _catalogue(language: str) -> dict:
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


def _texts(catalogue: dict, *, source: bool):
    for key, value in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:
            continue  # the header
        yield msgid if source else value


def test_no_bracket_plurals_in_either_catalogue():
    found = [text for text in _texts(_catalogue("da"), source=False) if BRACKET_PLURAL.search(text)]
    found += [text for text in _texts(_catalogue("da"), source=True) if BRACKET_PLURAL.search(text)]
    assert not found, f"write these with ngettext: {found}"


# A template names the kind of date (DATE_FORMAT, date_as:"DAY_FORMAT", …), never its
# letters ("j. F Y" is Danish in every language). Allowed: a weekday's name alone,
# and the ISO date a link carries.
DATE_LETTERS = re.compile(r'\|date:"(?![A-Z_]+")([^"]+)"')
ALLOWED_LETTERS = {"l", "Y-m-d"}


def test_templates_name_the_kind_of_date_not_its_letters():
    found = []
    for template in (Path(settings.BASE_DIR) / "templates").rglob("*.*"):
        for letters in DATE_LETTERS.findall(template.read_text()):
            if letters not in ALLOWED_LETTERS:
                found.append(f"{template.name}: {letters}")
    assert found == []


def test_the_danish_catalogue_writes_no_english_month_or_day():
    found = [
        text
        for text in _texts(_catalogue("da"), source=False)
        if ENGLISH_ABBREVIATIONS.search(text) or ENGLISH_NAMES.search(text)
    ]
    assert not found, found


@pytest.mark.parametrize(
    ("language", "kind", "expected"),
    [
        ("da", "DAY_FORMAT", "man. 7. dec."),
        ("en", "DAY_FORMAT", "Mon 7 Dec"),
        ("da", "LONG_DAY_FORMAT", "mandag 7. december 2026"),
        ("en", "LONG_DAY_FORMAT", "Monday 7 December 2026"),
        ("da", "MONTH_SHORT_FORMAT", "dec. 2026"),
        ("en", "MONTH_SHORT_FORMAT", "Dec 2026"),
    ],
)
def test_one_format_per_kind_of_date(language, kind, expected):
    with translation.override(language):
        assert date_as(datetime.date(2026, 12, 7), kind) == expected
        rendered = Template('{{ day|date_as:"' + kind + '" }}').render(
            Context({"day": datetime.date(2026, 12, 7)})
        )
        assert rendered == expected


@pytest.mark.parametrize(
    ("language", "kind", "expected"),
    [
        ("da", "DATE_FORMAT", "7. december 2026"),
        ("en", "DATE_FORMAT", "7 December 2026"),
        ("da", "MONTH_DAY_FORMAT", "7. december"),
        ("en", "MONTH_DAY_FORMAT", "7 December"),
        ("da", "SHORT_DATE_FORMAT", "07.12.2026"),
        ("en", "SHORT_DATE_FORMAT", "7 Dec 2026"),
    ],
)
def test_djangos_kinds_are_the_houses(language, kind, expected):
    with translation.override(language):
        assert (
            Template('{{ day|date:"' + kind + '" }}').render(
                Context({"day": datetime.date(2026, 12, 7)})
            )
            == expected
        )


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)  # attributes (datetime="…") are not read


@pytest.fixture
def lived_in_house(room, small_room, actor, other_actor, booker, other_booker, council_member):
    """A fortnight of activities, one of each kind of thing a page dates."""
    youth = TargetGroup.objects.first()
    for day in range(0, 15):
        booking = BookingFactory(
            room=room, actor=actor, start=in_days(day, 17), title=f"Café {day}"
        )
        booking.target_groups.set([youth])
    parallel = BookingFactory(room=small_room, actor=other_actor, start=in_days(2, 18))
    parallel.target_groups.set([youth])
    BookingFactory(room=small_room, actor=actor, start=in_days(3, 10), status=Status.REQUESTED)
    log_collaboration(other_booker, other_actor, actor, title="Fælles udflugt")
    today = timezone.localdate()
    Meeting.objects.create(date=today + datetime.timedelta(days=5), title="Husrådsmøde")
    HouseRule.objects.create(title="Ro efter kl. 22", text="Ro i huset.")
    DigestDelivery.objects.create(
        period=today, recipient=council_member, status=DigestDelivery.Status.SENT
    )


PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/calendar/?view=list"),
    ("anonymous", "/calendar/?view=week"),
    ("anonymous", "/calendar/?view=month"),
    ("anonymous", "/rooms/multisalen/"),
    ("coordinator_client", "/home/"),
    ("coordinator_client", "/house/"),
    ("coordinator_client", "/bookings/requests/"),
    ("coordinator_client", "/calendar/parallel/"),
    ("coordinator_client", "/house/room-use/"),
    ("coordinator_client", "/digest/preview/"),
    ("coordinator_client", "/digest/preview/?format=text"),
    ("booker_client", "/home/"),
    ("booker_client", "/bookings/mine/"),
    ("booker_client", "/collaboration/"),
    ("council_client", "/home/"),
    ("council_client", "/home/digest/"),
    ("council_client", "/council/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
def test_pages_write_dates_in_their_language_and_real_plurals(lived_in_house, request, language):
    problems = []
    for persona, path in PAGES:
        client = request.getfixturevalue(persona)
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        assert response.status_code == 200, (persona, path, response.status_code)
        text = _visible_text(response.content.decode())
        if language == "da":
            for pattern in (ENGLISH_ABBREVIATIONS, ENGLISH_NAMES):
                problems += [(path, hit.group(0)) for hit in pattern.finditer(text)]
        problems += [(path, hit.group(0)) for hit in BRACKET_PLURAL.finditer(text)]
    assert not problems, problems
    assert reverse("homes:home") == "/home/"
