"""Double booking under concurrency (PostgreSQL), and series expansion
against an independent oracle across daylight-saving changes."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from bookings import services
from bookings.models import Booking, Occupancy, Status
from tests.factories import in_days

pytestmark = pytest.mark.usefixtures("english_messages")

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.mark.postgres
def test_twenty_concurrent_requests_for_one_slot_confirm_exactly_one(
    transactional_db, booker, room, actor
):
    start, end = in_days(3, 17), in_days(3, 19)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def request(n: int) -> None:
        try:
            barrier.wait()
            services.booking_request(
                by=booker, room=room, actor=actor, title=f"Forsøg {n}", start=start, end=end
            )
            result = "confirmed"
        except ValidationError as error:
            result = " ".join(error.messages)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=request, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("confirmed") == 1, outcomes
    refusals = [o for o in outcomes if o != "confirmed"]
    assert len(refusals) == 19
    assert all("Forsøg" in message or "booked" in message for message in refusals), refusals
    assert Booking.objects.filter(status=Status.CONFIRMED).count() == 1
    occupancies = list(Occupancy.objects.order_by("start"))
    assert len(occupancies) == 1


def oracle(
    first_day: datetime.date,
    weekday: int,
    interval: int,
    hour: int,
    minute: int,
    last_day: datetime.date,
) -> list[datetime.datetime]:
    """RFC 5545 weekly semantics by plain date arithmetic, no rrule involved:
    weeks start on Monday and are counted from the week holding the first day;
    every `interval`-th of them has an occurrence on `weekday`, at the local
    wall-clock time, unless it falls before the first day."""
    day = (
        first_day - datetime.timedelta(days=first_day.weekday()) + datetime.timedelta(days=weekday)
    )
    out = []
    while day <= last_day:
        if day >= first_day:
            out.append(datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH))
        day += datetime.timedelta(weeks=interval)
    return out


@settings(max_examples=200, deadline=None)
@given(
    first_day=st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2028, 12, 31)),
    weekday=st.integers(min_value=0, max_value=6),
    interval=st.integers(min_value=1, max_value=3),
    hour=st.integers(min_value=6, max_value=22),
    minute=st.sampled_from([0, 15, 30, 45]),
    weeks=st.integers(min_value=1, max_value=60),
)
def test_series_expansion_matches_the_oracle_across_dst(
    first_day, weekday, interval, hour, minute, weeks
):
    day_code = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][weekday]
    last_day = first_day + datetime.timedelta(weeks=weeks)
    start = datetime.time(hour, minute)
    end = (datetime.datetime.combine(first_day, start) + datetime.timedelta(hours=1)).time()
    if end <= start:
        return
    slots = services.expand(
        f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={day_code}", first_day, start, end, last_day
    )
    expected = oracle(first_day, weekday, interval, hour, minute, last_day)
    assert [slot.start for slot in slots] == expected
    for slot in slots:
        local = slot.start.astimezone(CPH)
        assert (local.hour, local.minute) == (hour, minute)
        # One wall-clock hour: 60 real minutes, unless the clocks change inside it.
        same_offset = local.utcoffset() == slot.end.astimezone(CPH).utcoffset()
        assert slot.end - slot.start == datetime.timedelta(hours=1) or not same_offset
