"""The load test's own arithmetic (scripts/load_test.py): reading locust's
statistics, the outcomes of the booking requests, gunicorn's log, the
environment it gives Samhus, and the database checks that must find an
overlap when there is one."""

import datetime
import importlib.util

import pytest
from django.db import connection

from bookings.models import Booking, Occupancy, Status

from .conftest import REPO
from .factories import BookingFactory, RoomFactory

_spec = importlib.util.spec_from_file_location("load_test", REPO / "scripts" / "load_test.py")
load_test = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load_test)

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def test_durations_read_like_locusts():
    assert load_test.parse_duration("20s") == 20
    assert load_test.parse_duration("2m") == 120
    assert load_test.parse_duration("1h30m") == 5400
    assert load_test.parse_duration("90") == 90
    for bad in ("", "2 minutes", "m"):
        with pytest.raises(ValueError):
            load_test.parse_duration(bad)


def test_the_stats_csv_gives_each_request_and_the_total(tmp_path):
    path = tmp_path / "locust_stats.csv"
    path.write_text(
        HEADER + "\n"
        "GET,/,120,0,31,40.5,12,900,8041,1.0,0.0,31,35,40,44,60,95,150,300,900,900,900\n"
        "POST,booking request: contended slot (refused: taken),7,0,80,90,50,400,9000,0.06,0,"
        "80,85,90,95,100,120,400,400,400,400,400\n"
        "POST,booking request: contended slot (confirmed),2,1,75,75,70,80,0,0.02,0.01,"
        "75,80,80,80,80,80,80,80,80,80,80\n"
        ",Aggregated,129,1,33,44.1,12,900,7900,1.08,0.01,33,37,41,46,70,110,300,400,900,900,900\n"
    )
    stats = load_test.parse_stats_csv(path)
    assert [row["name"] for row in stats["rows"]] == [
        "/",
        "booking request: contended slot (refused: taken)",
        "booking request: contended slot (confirmed)",
    ]
    assert stats["total"]["requests"] == 129
    assert stats["total"]["failures"] == 1
    assert (stats["total"]["p50"], stats["total"]["p95"], stats["total"]["p99"]) == (33, 110, 400)
    assert load_test.booking_outcomes(stats["rows"]) == {
        "contended slot": {"refused: taken": 7, "confirmed": 2}
    }
    table = load_test.format_table(stats)
    assert "GET /" in table and table.splitlines()[-1].split()[:3] == ["total", "129", "1"]


def test_a_stats_csv_without_the_total_is_an_error(tmp_path):
    path = tmp_path / "locust_stats.csv"
    path.write_text(HEADER + "\n")
    with pytest.raises(ValueError, match="Aggregated"):
        load_test.parse_stats_csv(path)


def test_gunicorns_log_problems_are_found_and_its_ordinary_lines_are_not():
    log = (
        "[2026-11-28 02:19:09 +0000] [10676] [INFO] Booting worker with pid: 10677\n"
        "Internal Server Error: /bookings/new/\n"
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in <module>\n'
        "[2026-11-28 02:19:40 +0000] [10676] [CRITICAL] WORKER TIMEOUT (pid:10677)\n"
        "[2026-11-28 02:19:52 +0100] [10677] [INFO] Worker exiting (pid: 10677)\n"
    )
    problems = load_test.gunicorn_problems(log)
    assert len(problems) == 3
    assert problems[0].startswith("Internal Server Error")


def test_samhus_runs_with_the_production_settings_and_none_of_the_callers(monkeypatch, tmp_path):
    monkeypatch.setenv("EMAIL_URL", "smtp://mail.example.org:25")
    monkeypatch.setenv("DEBUG", "true")
    env = load_test.samhus_env(
        database_url="postgres://postgres@127.0.0.1:5432/samhus_load",
        redis_url="redis://127.0.0.1:6379/12",
        secret_key="k" * 50,
        var_dir=tmp_path,
    )
    assert "DEBUG" not in env and "EMAIL_URL" not in env
    assert env["DATABASE_URL"].endswith("/samhus_load")
    assert env["REDIS_URL"].endswith("/12")
    assert env["ALLOWED_HOSTS"] == "127.0.0.1,localhost"
    assert env["DATABASE_CONN_MAX_AGE"] == "600"
    assert env["PATH"]


@pytest.mark.postgres
def test_the_database_checks_count_an_overlap_the_constraint_would_refuse(db):
    room = RoomFactory()
    BookingFactory(room=room, title=load_test.TITLE_CONTENDED)
    checks = load_test.database_checks(connection.cursor())
    assert checks["occupancy_overlaps"] == 0
    assert checks["confirmed_booking_overlaps"] == 0
    assert checks["contended_slots_won"] == 1
    assert checks["contended_slots_double_booked"] == 0
    assert checks["load_bookings_by_status"] == {"contended slot": {"confirmed": 1}}

    # Inside the test's transaction only: without the constraint, a second
    # booking of the same slot gets in, and every check must see it.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys' checks, first
        cursor.execute(
            "ALTER TABLE bookings_occupancy DROP CONSTRAINT bookings_occupancy_no_overlap"
        )
    second = BookingFactory(room=room, title=load_test.TITLE_CONTENDED)
    Booking.objects.create(
        room=room,
        actor=second.actor,
        booked_by=second.booked_by,
        title="Uden plads",
        start=second.start + datetime.timedelta(hours=3),
        end=second.end + datetime.timedelta(hours=3),
        status=Status.CONFIRMED,
    )
    checks = load_test.database_checks(connection.cursor())
    assert checks["occupancy_overlaps"] == 1
    assert checks["confirmed_booking_overlaps"] == 1
    assert checks["confirmed_without_occupancy"] == 1
    assert checks["contended_slots_double_booked"] == 1
    assert checks["contended_confirmed_in_database"] == 2


@pytest.mark.postgres
def test_touching_bookings_are_not_an_overlap(db):
    room = RoomFactory()
    first = BookingFactory(room=room)
    BookingFactory(room=room, start=first.end, end=first.end + datetime.timedelta(hours=1))
    assert Occupancy.objects.count() == 2
    checks = load_test.database_checks(connection.cursor())
    assert checks["occupancy_overlaps"] == 0
    assert checks["confirmed_booking_overlaps"] == 0
