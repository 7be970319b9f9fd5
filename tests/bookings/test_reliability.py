"""Double booking under concurrency (PostgreSQL), and series expansion
against an independent oracle across daylight-saving changes."""

import datetime
import itertools
import re
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
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


def _race_worker(proc: int, rounds: list[dict], barrier, results) -> None:
    """One process of the race below: its own connection, one write a round."""
    import time

    from django.db import connections
    from django.utils import translation

    from actors.models import Actor
    from bookings.models import Room
    from centre.models import User

    translation.activate("en")
    by = User.objects.get(email="booker@example.org")
    coordinator = User.objects.get(email="koordinator@example.org")
    actor = Actor.objects.get(slug="kvindeforum")
    for n, plan in enumerate(rounds):
        room = Room.objects.get(pk=plan["rooms"][proc % len(plan["rooms"])])
        kind = plan["kind"]
        barrier.wait(timeout=60)
        began = time.monotonic()
        try:
            if kind == "series" and proc % 2:
                services.series_request(
                    by=by,
                    room=room,
                    actor=actor,
                    title=f"Serie {proc}-{n}",
                    rule="FREQ=WEEKLY",
                    first_day=timezone.localdate(plan["start"]),
                    start_time=timezone.localtime(plan["start"]).time(),
                    end_time=timezone.localtime(plan["end"]).time(),
                    until=timezone.localdate(plan["start"]) + datetime.timedelta(weeks=3),
                )
            elif kind == "approve":
                booking = Booking.objects.get(pk=plan["bookings"][proc])
                services.booking_approve(booking=booking, by=coordinator)
            elif kind == "move":
                booking = Booking.objects.get(pk=plan["bookings"][proc])
                services.booking_update(
                    booking=booking,
                    by=by,
                    start_time=timezone.localtime(plan["start"]).time(),
                    end_time=timezone.localtime(plan["end"]).time(),
                )
            else:
                services.booking_request(
                    by=by,
                    room=room,
                    actor=actor,
                    title=f"Forsøg {proc}-{n}",
                    start=plan["start"],
                    end=plan["end"],
                )
            outcome = "confirmed"
        except ValidationError as error:
            outcome = "refused: " + " ".join(error.messages)
        except Exception as error:  # what the test is looking for
            outcome = f"error: {type(error).__name__}: {error}"
        results.put((n, proc, outcome, time.monotonic() - began))
    connections.close_all()


@pytest.mark.postgres
def test_six_processes_racing_fifty_rounds_end_confirmed_or_refused_never_in_error(
    transactional_db, booker, actor, coordinator
):
    """Issue #15: processes (not threads) racing for one slot never deadlock:
    requests in a hall and its two parts, series, approvals and moves each end
    confirmed or with the clash message, and the winner does not wait long."""
    import multiprocessing
    import statistics

    from django.db import connections

    from tests.factories import RoomFactory, opening_hours

    opening_hours(range(7), (datetime.time(0), datetime.time(23, 59, 59)))
    left, right = RoomFactory(), RoomFactory()
    hall = RoomFactory()
    hall.parts.set([left, right])
    asked = RoomFactory(needs_approval=True)
    processes, rounds = 6, 50
    kinds = ["request", "series", "approve", "move", "request"]
    plans = []
    for n in range(rounds):
        kind = kinds[n % 5]
        # Single dates at 8 or 14, series (weekly, four dates) at 20 or 21: the
        # rounds never clash with each other, only within themselves.
        series = kind == "series"
        start = in_days(2 + n % 40, (20 if series else 8) + n // 40 * (1 if series else 6))
        plan = {
            "kind": kind,
            "start": start,
            "end": start + datetime.timedelta(hours=1 if series else 2),
            # Some rounds race for one room; the others mix the hall with its
            # parts, so a request holds two rooms' units.
            "rooms": [left.pk] if n % 3 == 0 else [hall.pk, left.pk, right.pk],
            "bookings": [],
        }
        if kind == "approve":
            plan["rooms"] = [asked.pk]
            plan["bookings"] = [
                services.booking_request(
                    by=booker,
                    room=asked,
                    actor=actor,
                    title=f"Ønske {p}",
                    start=start,
                    end=plan["end"],
                ).pk
                for p in range(processes)
            ]
        if kind == "move":
            # Each process moves its own date in that room to the same hours.
            room = RoomFactory()
            plan["rooms"] = [room.pk]
            plan["bookings"] = [
                services.booking_request(
                    by=booker,
                    room=room,
                    actor=actor,
                    title=f"Flyttes {p}",
                    start=start.replace(hour=0) + datetime.timedelta(hours=p * 1.2),
                    end=start.replace(hour=1) + datetime.timedelta(hours=p * 1.2),
                ).pk
                for p in range(processes)
            ]
        plans.append(plan)
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(target=_race_worker, args=(p, plans, barrier, results))
        for p in range(processes)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=300) for _ in range(processes * rounds)]
    for worker in workers:
        worker.join(timeout=60)
    errors = [o for o in outcomes if o[2].startswith("error")]
    assert not errors, errors[:5]
    refusals = [o for o in outcomes if o[2].startswith("refused")]
    assert all(re.search("booked|double-book|clash", o[2]) for o in refusals), refusals[:5]
    for n in range(rounds):
        won = [o for o in outcomes if o[0] == n and o[2] == "confirmed"]
        assert 1 <= len(won) <= 2, (n, plans[n]["kind"], won)  # two: the hall's two parts
    # No two confirmed bookings share a unit at any moment.
    occupancies = list(Occupancy.objects.order_by("room_id", "start"))
    for a, b in itertools.pairwise(occupancies):
        if a.room_id == b.room_id:
            assert a.end <= b.start, (a, b)
    winners = [o[3] for o in outcomes if o[2] == "confirmed"]
    p95 = statistics.quantiles(winners, n=20)[-1]
    print(
        f"race: {len(winners)} won, {len(refusals)} refused; winner median "
        f"{statistics.median(winners) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )
