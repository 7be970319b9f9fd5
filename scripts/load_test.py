"""A bounded, repeatable load test of Samhus: gunicorn with the production
settings on loopback, PostgreSQL and Redis, the benchmark dataset, and locust
playing the house's residents, calendar apps, lobby screens and association
members (scripts/locustfile.py) for a fixed time.

    uv run --group load scripts/load_test.py [--duration 2m] [--users 50] [--spawn-rate 10]
                                             [--scale 1] [--workers N] [--keep-db]

One command does everything: a fresh database (samhus_load) with migrate and
bench_data, the load users and their sessions, collectstatic, gunicorn,
locust headless, and then the checks: no two
confirmed bookings overlap in a room, every contended slot went to at most one
booker, no failed request and no traceback in gunicorn's log. The figures are
printed and written to var/load/summary.json; the exit status is 1 when a
check fails. Redis database 12 is flushed before and after.

The signed-in users are members (admins and bookers) of benchmark actors,
signed in with a session made directly in the database: the login form's rate
limit is per address, and all the load comes from 127.0.0.1. Coordinators are
not among them (they would need a second factor).

The load generator and the server share the machine, so the figures are what
the machine does with both; locust warns when its own CPU passes 90 %.

The parts are in the package beside this file, scripts/load/ (its __init__
says what each module holds)."""

import sys
from pathlib import Path

# Run by path (uv run scripts/load_test.py) or loaded by path in the tests:
# either way the package is found beside this file, whatever the working directory.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load.checks import TITLE_CONTENDED, database_checks, gunicorn_problems
from load.main import main, parse_duration
from load.prepare import prepare
from load.report import booking_outcomes, format_table, parse_stats_csv
from load.run import samhus_env

# What tests/test_load_script.py reaches through this file.
__all__ = [
    "TITLE_CONTENDED",
    "booking_outcomes",
    "database_checks",
    "format_table",
    "gunicorn_problems",
    "parse_duration",
    "parse_stats_csv",
    "samhus_env",
]

if __name__ == "__main__":
    if sys.argv[1:2] == ["_prepare"]:
        prepare(sys.argv[2:])
    else:
        sys.exit(main())
