"""Bad input is parsed by a form (issues #15 item 4, #14 item 7): the bugs the
fuzz test (tests/test_fuzz.py) was written for, each as it was found; the 400
page; and a scan of the apps' code for raw request data parsed or looked up
outside a form.

What a bad query parameter gets (centre/forms.py, bad_query):

- a date, period, time, room or actor a page is asked for (a room's week, the
  booking form's prefill, the requests queue, fair use, room use, the map,
  its CSV and summary, the figures): 400 with what is wrong, in the site's
  layout, with the form holding what was asked for;
- the calendar's view, date and filters fall back to today and the month with
  the message on the page (tests/bookings/test_calendar.py), its feeds answer
  400; the lobby screen's and the parallel overview's knobs fall back."""

import ast
import datetime
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import StringConverter
from django.utils import timezone

from actors.forms import OfferForm
from bookings.models import Status
from centre.forms import OpeningHoursFormSet
from collaboration.log import services as log_services
from collaboration.models import Form
from tests.factories import BookingFactory, OfferFactory

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parent.parent
BAD_DATES = ("2026-02-29", "2026-13-45", "9999-12-31", "0001-01-01", "i morgen")
OUT_OF_RANGE = "Choose a date between the years 1900 and 2999."


def bad_request(response, *messages: str) -> str:
    assert response.status_code == HTTPStatus.BAD_REQUEST, response.status_code
    page = response.content.decode()
    assert 'role="alert"' in page
    for message in messages:
        assert message in page, message
    return page


# --- the known bugs: each answered a server error ------------------------------------------------


@pytest.mark.parametrize("date", BAD_DATES)
def test_a_rooms_week_of_an_impossible_date_is_a_bad_request(anonymous, room, date):
    # 9999-12-31 overflowed the week's arithmetic; 2026-02-29 failed to parse.
    response = anonymous.get(reverse("bookings:room-detail", args=[room.slug]), {"date": date})
    bad_request(response)


def test_the_bad_request_page_says_what_is_wrong_in_danish_and_keeps_the_address(anonymous, room):
    url = reverse("bookings:room-detail", args=[room.slug])
    page = bad_request(anonymous.get(url, {"date": "9999-12-31"}))
    assert "Vælg en dato mellem årene 1900 og 2999." in page
    assert 'value="9999-12-31"' in page  # the form to try again holds what was asked
    assert f'href="{url}"' in page  # and the page without the choice
    english = anonymous.get(url, {"date": "9999-12-31"}, HTTP_ACCEPT_LANGUAGE="en")
    bad_request(english, "Week of", OUT_OF_RANGE, "Open the page without these choices")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date": "2026-02-29"}, "Enter a valid date."),
        ({"date": "9999-12-31"}, OUT_OF_RANGE),
        ({"start": "25:61"}, "Enter a valid time."),
        ({"end": "25:61"}, "Enter a valid time."),
        ({"room": "\x00"}, "Null characters are not allowed."),
        ({"room": "no-such-room"}, "Select a valid choice."),
    ],
)
def test_the_booking_forms_prefill_is_checked(booker_client, room, params, message):
    url = reverse("bookings:booking-create")
    bad_request(booker_client.get(url, params, HTTP_ACCEPT_LANGUAGE="en"), message)


def test_a_good_prefill_still_fills_the_booking_form(booker_client, room):
    client = booker_client
    day = timezone.localdate() + datetime.timedelta(days=3)
    params = {"room": room.slug, "date": day.isoformat(), "start": "10:00", "end": "11:30"}
    form = client.get(reverse("bookings:booking-create"), params).context["form"]
    assert form.initial["room"] == room
    assert (form.initial["date"], form.initial["end_time"]) == (day, datetime.time(11, 30))


@pytest.mark.parametrize(
    "params",
    [{"date": date} for date in BAD_DATES] + [{"room": "\x00"}, {"actor": "\x00"}],
)
def test_the_requests_queue_refuses_what_it_cannot_filter_by(coordinator_client, params):
    # NUL in a slug failed on PostgreSQL; impossible dates failed to parse.
    bad_request(coordinator_client.get(reverse("bookings:requests"), params))


@pytest.mark.parametrize("name", ["from", "to"])
@pytest.mark.parametrize("date", BAD_DATES)
def test_fair_use_refuses_an_impossible_period(coordinator_client, name, date):
    bad_request(coordinator_client.get(reverse("bookings:fair-use"), {name: date}))


@pytest.mark.parametrize(
    "name",
    [
        "collaboration:figures",
        "collaboration:map",
        "collaboration:map-csv",
        "collaboration:summary",
    ],
)
@pytest.mark.parametrize("params", [{"to": date} for date in BAD_DATES] + [{"from": "0001-01-01"}])
def test_the_maps_and_figures_refuse_an_impossible_period(coordinator_client, name, params):
    # ?to=9999-12-31 made the ten-year check reach the year 10009.
    response = coordinator_client.get(reverse(name), params, HTTP_ACCEPT_LANGUAGE="en")
    bad_request(response)


def test_the_summary_refuses_a_nul_in_its_actor(coordinator_client):
    # It went to the database and failed there on PostgreSQL.
    response = coordinator_client.get(reverse("collaboration:summary"), {"actor": "\x00"})
    bad_request(response)


@pytest.mark.parametrize("token", ["%00", "%E2%80%AE", "abc%00def"])
def test_an_invitation_token_that_is_no_slug_is_not_found(anonymous, token):
    # A NUL byte reached the database (PostgreSQL refuses NUL in text).
    assert anonymous.get(f"/invitations/{token}/").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("posted", ["abc", "1e9", "-1", "99999999999999999999", "\x00", ""])
def test_an_answer_for_an_actor_that_is_no_part_is_not_found(
    member, member_client, actor, other_actor, posted
):
    collaboration = log_services.collaboration_log(
        by=member,
        on_behalf_of=actor,
        actors=[actor, other_actor],
        title="Fælles møde",
        form=Form.KNOWLEDGE,
    )
    url = reverse("collaboration:answer", args=[collaboration.pk])
    response = member_client.post(url, {"actor": posted, "confirm": "yes"})
    assert response.status_code == HTTPStatus.NOT_FOUND  # it was ValueError or OverflowError


# --- found by the fuzz test ----------------------------------------------------------------------


def test_a_series_date_that_is_no_date_is_explained(booker, booker_client, room, actor):
    booking = BookingFactory(actor=actor, room=room, booked_by=booker)
    url = reverse("bookings:series-readd", args=[booking.pk])
    response = booker_client.post(
        url, {"day": "2026-13-45"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Choose a date of the series." in response.content.decode()


def test_a_decline_reason_with_a_nul_is_shown_again_to_correct(coordinator_client, actor, room):
    # The reason skipped its form and reached the database (PostgreSQL refuses NUL).
    booking = BookingFactory(actor=actor, room=room, status=Status.REQUESTED)
    response = coordinator_client.post(
        reverse("bookings:booking-decline", args=[booking.pk]),
        {"reason": "Lokalet er\x00 optaget"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == HTTPStatus.OK
    assert "Null characters are not allowed." in response.content.decode()
    assert "Lokalet er" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED


def test_an_empty_decline_reason_still_asks_for_one(coordinator_client, actor, room):
    booking = BookingFactory(actor=actor, room=room, status=Status.REQUESTED)
    url = reverse("bookings:booking-decline", args=[booking.pk])
    response = coordinator_client.post(url, {"reason": " "}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Give a reason, so the booker knows what to do instead." in response.content.decode()


def test_an_id_no_column_can_hold_is_refused_by_the_form(actor):
    # SQLite raised OverflowError on it in Django's own check of the choices.
    form = OfferForm({"title": "Lektiecafé", "themes": ["99999999999999999999"]})
    assert not form.is_valid()
    assert "themes" in form.errors
    assert OfferFactory(actor=actor).pk  # the form's queryset still answers


def test_a_huge_number_of_referrals_is_refused(member_client, actor, other_actor):
    response = member_client.post(
        reverse("collaboration:quick"),
        {
            "kind": "referral",
            "on_behalf_of": actor.pk,
            "others": [other_actor.pk],
            "day": timezone.localdate().isoformat(),
            "referrals": "99999999999999999999",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == HTTPStatus.OK  # the form again, not an OverflowError
    assert response.context["form"].errors["referrals"]


def test_a_huge_form_count_builds_no_more_rows_than_the_formset_takes():
    # TOTAL_FORMS=99999999999999999999 built 2,000 forms: seconds per request.
    data = {
        "form-TOTAL_FORMS": "99999999999999999999",
        "form-INITIAL_FORMS": "0",
    }
    formset = OpeningHoursFormSet(data)
    assert len(formset.forms) <= 50
    assert not formset.is_valid()


# --- the scan ------------------------------------------------------------------------------------

APPS = ("actors", "bookings", "centre", "collaboration", "seasons", "homes")
PARSERS = {
    "int",
    "float",
    "Decimal",
    "date",
    "datetime",
    "time",
    "fromisoformat",
    "strptime",
    "parse_date",
    "parse_time",
    "parse_datetime",
}
LOOKUPS = {"filter", "exclude", "get", "get_object_or_404", "get_list_or_404"}


def _is_raw(node, tainted: set[str]) -> bool:
    """Does the expression read request.GET / request.POST, or a name holding it?"""
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Attribute)
            and inner.attr in ("GET", "POST")
            and isinstance(inner.value, ast.Name)
            and inner.value.id == "request"
        ):
            return True
        if isinstance(inner, ast.Name) and inner.id in tainted:
            return True
    return False


def _raw_uses(tree: ast.AST):
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        tainted: set[str] = set()
        for _pass in range(2):  # a name read from a name read from the request
            for node in ast.walk(function):
                if isinstance(node, ast.Assign | ast.NamedExpr | ast.AnnAssign) and node.value:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    if _is_raw(node.value, tainted) and not _is_form(node.value):
                        tainted |= {t.id for t in targets if isinstance(t, ast.Name)}
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            called = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if called in PARSERS and any(_is_raw(arg, tainted) for arg in node.args):
                yield node.lineno, called
            if called in LOOKUPS and any(_is_raw(kw.value, tainted) for kw in node.keywords):
                yield node.lineno, called


def _is_form(node) -> bool:
    """A form built from the request: what it cleans is no longer raw."""
    return isinstance(node, ast.Call) and getattr(node.func, "id", "").endswith(
        ("Form", "FormSet", "Filter")
    )


def test_no_raw_request_data_is_parsed_or_looked_up_outside_a_form():
    found = []
    for app in APPS:
        for path in sorted((REPO / app).rglob("*.py")):
            if "migrations" in path.parts or path.name == "demo.py":
                continue
            tree = ast.parse(path.read_text(), str(path))
            found += [
                f"{path.relative_to(REPO)}:{line} {called}()" for line, called in _raw_uses(tree)
            ]
    assert not found, "raw request data parsed or looked up outside a form: " + ", ".join(found)


def test_the_scan_finds_what_it_is_for():
    code = """
def view(request, pk):
    day = parse_date(request.GET.get("date") or "")
    room = Room.objects.filter(slug=request.GET.get("room")).first()
    weeks = request.GET.get("weeks")
    n = int(weeks)
    form = ThingForm(request.GET)
    if form.is_valid():
        Room.objects.filter(slug=form.cleaned_data["room"])
"""
    assert sorted(called for _line, called in _raw_uses(ast.parse(code))) == [
        "filter",
        "int",
        "parse_date",
    ]


def _patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.pattern.converters


# A text URL argument reaches its view as it came, NUL and all: each has its reason.
TEXT_ARGUMENTS = {
    "digest/unsubscribe/<str:token>/": "a signed token, read by signing.loads before any query",
    "house/closed-days/<str:day>/restore/": "a date, read by a DateField and centre.dates",
}


def test_text_url_arguments_are_few_and_known():
    found = {
        route
        for route, converters in _patterns(get_resolver())
        if any(
            isinstance(c, StringConverter) and type(c) is StringConverter
            for c in converters.values()
        )
        and not route.startswith(("admin/", "accounts/"))
    }
    assert found == set(TEXT_ARGUMENTS)
