"""How the databases read a calendar page's rows: on SQLite from one index
that holds every column the page reads (bookings migration 0010)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import BookingFactory, MembershipFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own index"),
]

INDEX = "bookings_calendar_sqlite"


def rows_plan(client, url: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    (rows,) = [q["sql"] for q in captured.captured_queries if '"feed_html"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + rows)
        return " ".join(str(step) for step in cursor.fetchall())


@pytest.mark.parametrize("view", ["month", "week", "list"])
def test_every_calendar_view_reads_its_rows_from_the_index_alone(client, actor, room, view):
    booking = BookingFactory(actor=actor, room=room)
    day = timezone.localdate(booking.start).isoformat()
    plan = rows_plan(client, f"/calendar/?view={view}&date={day}")
    assert f"COVERING INDEX {INDEX}" in plan


def test_a_members_calendar_reads_from_the_index_too(client, actor, room):
    booking = BookingFactory(actor=actor, room=room, visibility="internal")
    member = MembershipFactory(actor=actor).user
    client.force_login(member)
    day = timezone.localdate(booking.start).isoformat()
    assert f"COVERING INDEX {INDEX}" in rows_plan(client, f"/calendar/?view=week&date={day}")
