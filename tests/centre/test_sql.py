"""Queries whose SQL is written once per shape (centre/sql.py): the same SQL
and parameters as the ORM writes for the same values, written once, and
never shared between shapes that differ in what they show."""

import datetime

import pytest
from django.db import connection, models
from django.db.models import Q

from bookings.calendar import query
from bookings.calendar.fetch import plain
from bookings.models import Booking, Visibility
from centre.models import Centre
from centre.sql import Prepared, Slot
from tests.factories import BookingFactory, in_days

pytestmark = pytest.mark.django_db

TIME = models.DateTimeField()


def test_a_slot_is_filled_as_the_orm_writes_a_value():
    start, end = in_days(2), in_days(9)
    filters = {"room": "salen", "city": True}

    def build(start, end, filters):
        return plain(query.visible(None, start, end, filters).order_by("start", "pk"))

    slots = {"room": Slot("room", models.CharField()), "city": True}
    prepared = Prepared(
        Booking,
        key=("test: calendar", "room", "city"),
        build=lambda: build(Slot("start", TIME), Slot("end", TIME), slots),
        values={"start": start, "end": end, "room": "salen"},
    )
    columns = ("pk", "title", "start")
    sql, params = prepared.sql(columns)
    expected_sql, expected_params = (
        build(start, end, filters).values_list(*columns).query.sql_with_params()
    )
    # The ORM writes a slot's placeholder in brackets; the parameters are the same.
    assert sql.replace("(%s)", "%s") == expected_sql
    assert params == list(expected_params)


def test_a_slot_minus_a_duration_is_the_value_moved_back():
    start = in_days(2, 10)
    moved = Slot("start", TIME) - datetime.timedelta(hours=25)
    assert moved.fill({"start": start}, connection) == TIME.get_db_prep_value(
        start - datetime.timedelta(hours=25), connection
    )


def test_the_sql_is_written_once_per_key_and_again_for_another():
    built = []

    def build():
        built.append(1)
        return Booking.objects.filter(start__gte=Slot("from", TIME))

    for day in (1, 2, 3):
        Prepared(Booking, key=("test: once",), build=build, values={"from": in_days(day)}).sql(
            ("pk",)
        )
    assert len(built) == 1
    Prepared(Booking, key=("test: once", "other"), build=build, values={"from": in_days(1)}).sql(
        ("pk",)
    )
    assert len(built) == 2


def test_rows_are_read_with_each_runs_values():
    early = BookingFactory(start=in_days(2, 10), end=in_days(2, 12))
    late = BookingFactory(start=in_days(5, 10), end=in_days(5, 12))

    def after(moment):
        return Prepared(
            Booking,
            key=("test: after",),
            build=lambda: Booking.objects.filter(start__gte=Slot("moment", TIME)).order_by("pk"),
            values={"moment": moment},
        ).rows(("pk",))

    assert after(in_days(1)) == [(early.pk,), (late.pk,)]
    assert after(in_days(3)) == [(late.pk,)]
    assert after(in_days(6)) == []


def test_who_reads_is_part_of_the_calendars_shape(coordinator, member):
    # The same period and filters, read by a coordinator and by a resident:
    # the internal booking is shown to the one and never to the other.
    internal = BookingFactory(
        start=in_days(2, 10), end=in_days(2, 12), visibility=Visibility.INTERNAL
    )
    public = BookingFactory(start=in_days(2, 13), end=in_days(2, 14))
    start, end = in_days(1), in_days(4)
    for _ in range(2):
        seen = {row["pk"] for row in query.occurrences(coordinator, start, end, {})}
        assert {internal.pk, public.pk} <= seen
        seen = {row["pk"] for row in query.occurrences(None, start, end, {})}
        assert public.pk in seen and internal.pk not in seen
    assert query.visible_to(None) != query.visible_to(coordinator)
    assert isinstance(query.visible_to(None), Q)


def test_the_house_is_read_in_one_query_and_made_once(django_assert_num_queries):
    Centre.objects.all().delete()
    made = Centre.load()
    assert made.name == "Samhus" and Centre.objects.count() == 1
    Centre.objects.filter(pk=1).update(name="Medborgerhuset", digest_time=datetime.time(8, 30))
    with django_assert_num_queries(1):
        house = Centre.load()
    # Read through the ORM's conversions: a time is a time, not text.
    assert house.name == "Medborgerhuset"
    assert house.digest_time == datetime.time(8, 30)
    assert Centre.objects.count() == 1
