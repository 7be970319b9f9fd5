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
the machine does with both; locust warns when its own CPU passes 90 %."""

import argparse
import csv
import datetime
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "var" / "load"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
DATABASE = "samhus_load"
# Contended slots open one after another, one every BURST_SECONDS: the members
# waiting for that moment all ask for the same room and time at once.
BURST_SECONDS = 10
CONTENDED_SLOTS = 120
FREE_SLOTS_PER_MEMBER = 40  # at most; fewer each when many members share the free slots
APPROVAL_SLOTS = 400
LOAD_EMAIL = "load-{:03d}@samhus.test"
# The titles mark the load test's own bookings, so the checks can find them.
TITLE_FREE = "Belastningstest: ledig tid"
TITLE_CONTENDED = "Belastningstest: kapløb"
TITLE_APPROVAL = "Belastningstest: anmodning"

# Two confirmed bookings holding one unit of space at the same time: what the
# exclusion constraint on bookings_occupancy forbids. Counted, not trusted.
OCCUPANCY_OVERLAPS_SQL = """
SELECT count(*)
FROM bookings_occupancy a
JOIN bookings_occupancy b
  ON a.room_id = b.room_id AND a.id < b.id
 AND tstzrange(a.start, a."end", '[)') && tstzrange(b.start, b."end", '[)')
"""
# The same question asked of the bookings themselves, without the occupancy
# rows: confirmed bookings of a room that start before an earlier-starting one
# of the same room has ended (a sweep in start order; the table has no range index).
BOOKING_OVERLAPS_SQL = """
SELECT count(*) FROM (
  SELECT start, max("end") OVER (
      PARTITION BY room_id ORDER BY start, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
  ) AS held_until
  FROM bookings_booking WHERE status = 'confirmed'
) AS by_room
WHERE held_until > start
"""
# A confirmed booking must hold its room: one without an occupancy escaped the constraint.
UNHELD_SQL = """
SELECT count(*) FROM bookings_booking bk
WHERE bk.status = 'confirmed'
  AND NOT EXISTS (SELECT 1 FROM bookings_occupancy o WHERE o.booking_id = bk.id)
"""
# Per contended slot (room and start), how the requests ended in the database.
CONTENDED_SQL = """
SELECT room_id, start, count(*) FILTER (WHERE status = 'confirmed')
FROM bookings_booking WHERE title = %s
GROUP BY room_id, start
"""
# The load test's own bookings, by kind (title) and status.
LOAD_BOOKINGS_SQL = """
SELECT title, status, count(*) FROM bookings_booking WHERE title = ANY(%s) GROUP BY title, status
"""


# --- pure helpers (tested in tests/test_load_script.py) ---------------------------------------


def parse_duration(text: str) -> int:
    """Seconds in a locust-style duration: "90", "20s", "2m", "1h30m"."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text)
    if not text or not parts:
        raise ValueError(f"not a duration: {text!r} (use e.g. 20s, 2m, 1h30m)")
    hours, minutes, seconds = (int(group or 0) for group in parts.groups())
    return hours * 3600 + minutes * 60 + seconds


def samhus_env(
    *, database_url: str, redis_url: str, secret_key: str, var_dir: Path, **extra: str
) -> dict[str, str]:
    """The environment of a Samhus process in this test: the production
    settings (DEBUG off) on loopback, and nothing of the caller's Samhus settings."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "UV_CACHE_DIR")
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="centre.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # TLS ends at the proxy in production; the load sends X-Forwarded-Proto itself.
        SECURE_SSL_REDIRECT="false",
        SAMHUS_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        DATABASE_CONN_MAX_AGE="600",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def parse_stats_csv(path: Path) -> dict:
    """Locust's ``<prefix>_stats.csv``: one row per request name and the
    aggregated row, with count, failures, requests/s and percentiles in ms."""
    rows, total = [], None
    with open(path, newline="") as handle:
        for record in csv.DictReader(handle):
            row = {
                "method": record["Type"],
                "name": record["Name"],
                "requests": int(_number(record["Request Count"])),
                "failures": int(_number(record["Failure Count"])),
                "rps": _number(record["Requests/s"]),
                "avg": _number(record["Average Response Time"]),
                "max": _number(record["Max Response Time"]),
                "p50": _number(record["50%"]),
                "p95": _number(record["95%"]),
                "p99": _number(record["99%"]),
            }
            if record["Name"] == "Aggregated":
                total = row
            else:
                rows.append(row)
    if total is None:
        raise ValueError(f"{path} has no Aggregated row: did locust run?")
    return {"rows": rows, "total": total}


def booking_outcomes(rows: list[dict]) -> dict[str, dict[str, int]]:
    """The booking requests by kind and outcome, read from the request names
    the locustfile gives them: "booking request: <kind> (<outcome>)"."""
    outcomes: dict[str, dict[str, int]] = {}
    for row in rows:
        found = re.fullmatch(r"booking request: (.+?) \((.+)\)", row["name"])
        if found:
            kind, outcome = found.groups()
            outcomes.setdefault(kind, {})[outcome] = (
                outcomes.get(kind, {}).get(outcome, 0) + row["requests"]
            )
    return outcomes


def format_table(stats: dict) -> str:
    """A short table of the run: one line per request name and the total."""
    header = (
        f"{'request':<58} {'count':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
    )
    lines = [header, "-" * len(header)]
    for row in sorted(stats["rows"], key=lambda row: -row["requests"]):
        name = f"{row['method']} {row['name']}"[:58]
        lines.append(
            f"{name:<58} {row['requests']:>7} {row['failures']:>5} {row['rps']:>7.2f}"
            f" {row['p50']:>6.0f} {row['p95']:>6.0f} {row['p99']:>6.0f}"
        )
    total = stats["total"]
    lines.append("-" * len(header))
    lines.append(
        f"{'total':<58} {total['requests']:>7} {total['failures']:>5} {total['rps']:>7.2f}"
        f" {total['p50']:>6.0f} {total['p95']:>6.0f} {total['p99']:>6.0f}"
    )
    return "\n".join(lines)


def database_checks(cursor) -> dict:
    """Overlaps and unheld confirmed bookings (each must be 0), and how the
    contended slots were shared out. ``cursor`` is any DB-API cursor on the database."""

    def count(sql: str, *params) -> int:
        cursor.execute(sql, params or None)
        return cursor.fetchone()[0]

    cursor.execute(CONTENDED_SQL, [TITLE_CONTENDED])
    slots = cursor.fetchall()
    cursor.execute(LOAD_BOOKINGS_SQL, [[TITLE_FREE, TITLE_CONTENDED, TITLE_APPROVAL]])
    kinds = {
        TITLE_FREE: "free slot",
        TITLE_CONTENDED: "contended slot",
        TITLE_APPROVAL: "approval room",
    }
    made: dict[str, dict[str, int]] = {}
    for title, status, number in cursor.fetchall():
        made.setdefault(kinds[title], {})[status] = number
    return {
        "occupancy_overlaps": count(OCCUPANCY_OVERLAPS_SQL),
        "confirmed_booking_overlaps": count(BOOKING_OVERLAPS_SQL),
        "confirmed_without_occupancy": count(UNHELD_SQL),
        "contended_slots_requested": len(slots),
        "contended_slots_won": sum(1 for _room, _start, won in slots if won == 1),
        "contended_slots_double_booked": sum(1 for _room, _start, won in slots if won > 1),
        "contended_confirmed_in_database": sum(won for _room, _start, won in slots),
        "load_bookings_by_status": made,
    }


def gunicorn_problems(log: str) -> list[str]:
    """What in gunicorn's log means a request went wrong: tracebacks, worker
    timeouts and Django's error lines."""
    problems = []
    for line in log.splitlines():
        if (
            line.startswith("Traceback")
            or "WORKER TIMEOUT" in line
            or "Internal Server Error" in line
            or "[CRITICAL]" in line
            or "[ERROR]" in line
        ):
            problems.append(line.strip())
    return problems


# --- the run ------------------------------------------------------------------------------------


class Run:
    def __init__(self, options):
        self.options = options
        self.started = time.monotonic()
        self.temp = Path(tempfile.mkdtemp(prefix="samhus-load-"))
        self.admin_url = options.postgres.rstrip("/") + "/postgres"
        self.database_url = options.postgres.rstrip("/") + "/" + options.database
        self.env = samhus_env(
            database_url=self.database_url,
            redis_url=options.redis,
            secret_key="load-" + secrets.token_urlsafe(48),
            var_dir=self.temp,
        )
        self.server: subprocess.Popen | None = None
        self.port = 0
        self.timings: dict[str, float] = {}
        self.children: list[subprocess.Popen] = []

    def stop_children(self) -> None:
        """Stop what a failed step left running (collectstatic)."""
        for process in self.children:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)

    def step(self, text: str) -> None:
        print(f"\n=== {text} ({time.monotonic() - self.started:.0f}s)", flush=True)

    def start_manage(self, *args: str, log: Path) -> tuple:
        """Start ``manage.py ARGS`` with its output in ``log``; finish it with finish()."""
        handle = open(log, "a")  # noqa: SIM115 - closed in finish()
        handle.write(f"\n$ manage.py {' '.join(args)}\n")
        handle.flush()
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        self.children.append(process)
        return args, log, handle, process, time.monotonic()

    def finish(self, started: tuple) -> None:
        args, log, handle, process, began = started
        code = process.wait()
        handle.close()
        self.timings[args[0]] = round(time.monotonic() - began, 1)
        if code:
            tail = "".join(log.read_text().splitlines(keepends=True)[-30:])
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{tail}")

    def manage(self, *args: str, log: Path) -> None:
        self.finish(self.start_manage(*args, log=log))

    def flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(self.options.redis).flushdb()

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.options.database}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{self.options.database}"')

    def drop_database(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.options.database}" WITH (FORCE)')

    def prepare_users(self, data_path: Path) -> dict:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, __file__, "_prepare", str(data_path),
             "--members", str(self.options.members), "--seed", str(self.options.seed)],
            cwd=REPO, env=self.env,
        )  # fmt: skip
        if result.returncode:
            raise SystemExit("Preparing the load members failed (see above).")
        self.timings["users_and_sessions"] = round(time.monotonic() - started, 1)
        return json.loads(data_path.read_text())

    def start_gunicorn(self, log: Path) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.gunicorn_log = open(log, "w")  # noqa: SIM115 - closed in stop_gunicorn
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "centre.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.options.workers),
             "--worker-tmp-dir", "/dev/shm", "--no-control-socket", "--access-logfile", str(log.with_suffix(".access.log")),
             "--error-logfile", "-"],
            cwd=REPO, env=self.env, stdout=self.gunicorn_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            if self.server.poll() is not None:
                raise SystemExit(f"gunicorn exited at start; see {log}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return base
            except (OSError, urllib.error.HTTPError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {log}")
            time.sleep(0.2)

    def warm_up(self, base: str, data: dict) -> int:
        """A few visits to the public pages first, so the run measures a house
        that has been up for a while rather than the first minute after a deploy
        (templates loaded, connections open). Returns the number made."""
        paths = ["/", "/calendar/", "/calendar/?view=week", "/calendar/?view=list", "/screen/",
                 "/screen/?partial=1", "/calendar/feed.ics", "/calendar/feed.json"]  # fmt: skip
        paths += [f"/calendar/activities/{pk}/" for pk in data["activities"][:4]]
        made = 0
        for _round in range(2 * self.options.workers):
            for path in paths:
                request = urllib.request.Request(
                    base + path, headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
                made += 1
        return made

    def stop_gunicorn(self) -> None:
        if self.server is None:
            return
        if self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        self.gunicorn_log.close()

    def run_locust(self, base: str, data_path: Path, log: Path) -> tuple[int, bool]:
        env = {**os.environ, "SAMHUS_LOAD_DATA": str(data_path)}
        command = [
            sys.executable, "-m", "locust", "-f", str(REPO / "scripts" / "locustfile.py"),
            "--headless", "--host", base, "-u", str(self.options.users),
            "-r", str(self.options.spawn_rate), "-t", self.options.duration,
            "--csv", str(OUT / "locust"), "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        cpu_warning = False
        with open(log, "w") as handle:
            process = subprocess.Popen(
                command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, bufsize=1,
            )  # fmt: skip
            assert process.stdout is not None
            for line in process.stdout:
                handle.write(line)
                if "CPU usage" in line:
                    cpu_warning = True
                    print("  locust: " + line.strip(), flush=True)
            code = process.wait()
        return code, cpu_warning


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Load-test Samhus: gunicorn + PostgreSQL + Redis on loopback, locust headless."
    )
    parser.add_argument("--duration", default="2m", help="how long locust runs (20s, 2m, …)")
    parser.add_argument("--users", type=int, default=50, help="simulated users at once")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--scale", type=int, default=1, help="bench_data --scale")
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn workers (production's default: 3)"
    )
    parser.add_argument("--keep-db", action="store_true", help=f"keep the {DATABASE} database")
    parser.add_argument("--database", default=DATABASE, help=argparse.SUPPRESS)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help=argparse.SUPPRESS)
    parser.add_argument("--redis", default=DEFAULT_REDIS, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=8, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    seconds = parse_duration(options.duration)
    # Every simulated user may be a member; each member is its own person.
    options.members = max(options.users, 4)

    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*"):
        if old.is_file():
            old.unlink()
    run = Run(options)
    setup_log, data_path = OUT / "setup.log", OUT / "load-data.json"
    summary: dict = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "load_generator": "locust on the same machine"},
        "settings": {
            "duration_s": seconds, "users": options.users, "spawn_rate": options.spawn_rate,
            "scale": options.scale, "gunicorn_workers": options.workers,
            "burst_every_s": BURST_SECONDS,
        },
    }  # fmt: skip
    problems: list[str] = []
    try:
        run.step(f"Redis database {options.redis.rsplit('/', 1)[-1]}: flush")
        run.flush_redis()
        run.step(
            f"PostgreSQL: a fresh {options.database}, migrate, bench_data --scale {options.scale}"
        )
        run.create_database()
        run.manage("migrate", "--noinput", log=setup_log)
        # collectstatic needs no database: it compresses while bench_data writes.
        static = run.start_manage("collectstatic", "--noinput", "-v0", log=OUT / "static.log")
        run.manage("bench_data", "--scale", str(options.scale), log=setup_log)
        run.finish(static)
        print(
            f"  migrate {run.timings['migrate']} s, bench_data {run.timings['bench_data']} s"
            " (collectstatic alongside)"
        )
        run.step(
            f"{options.members} load members, signed in; gunicorn, {options.workers} workers"
            " (production settings)"
        )
        data = run.prepare_users(data_path)
        base = run.start_gunicorn(OUT / "gunicorn.log")
        warm_up_requests = run.warm_up(base, data)
        print(
            f"  {len(data['members'])} members of {len({m['actor_slug'] for m in data['members']})}"
            f" benchmark actors, {len(data['contended'])} contended slots,"
            f" {len(data['activities'])} activities to visit; gunicorn at {base}, warmed up with"
            f" {warm_up_requests} requests to the public pages"
        )
        run.step(
            f"locust: {options.users} users for {options.duration} "
            f"(load generator and server share {os.cpu_count()} cores)"
        )
        locust_started = time.monotonic()
        code, cpu_warning = run.run_locust(base, data_path, OUT / "locust.log")
        summary["locust_seconds"] = round(time.monotonic() - locust_started, 1)
        summary["load_generator_cpu_warning"] = cpu_warning
        if run.server.poll() is not None:
            problems.append(f"gunicorn died during the run (exit {run.server.returncode})")
        stats_path = OUT / "locust_stats.csv"
        if not stats_path.exists():
            problems.append(f"locust wrote no statistics (exit {code}); see {OUT / 'locust.log'}")
            raise SystemExit(1)
        stats = parse_stats_csv(stats_path)

        run.step("Checks: overlaps in the database, contended slots, gunicorn's log")
        import psycopg

        with psycopg.connect(run.database_url) as connection, connection.cursor() as cursor:
            checks = database_checks(cursor)
        outcomes = booking_outcomes(stats["rows"])
        contended = outcomes.get("contended slot", {})
        locust_won = contended.get("confirmed", 0)
        run.stop_gunicorn()
        gunicorn_log = (OUT / "gunicorn.log").read_text(errors="replace")
        log_problems = gunicorn_problems(gunicorn_log)

        total = stats["total"]
        summary.update(
            requests=total["requests"],
            requests_per_s=round(total["rps"], 2),
            failures=total["failures"],
            p50_ms=total["p50"], p95_ms=total["p95"], p99_ms=total["p99"],
            per_request=stats["rows"], booking_requests=outcomes,
            database=checks, gunicorn_log_problems=log_problems[:50],
            setup_seconds=run.timings,
        )  # fmt: skip
        print(format_table(stats))
        print()
        for kind, by_outcome in sorted(outcomes.items()):
            print(f"  booking requests, {kind}: " + ", ".join(
                f"{count} {outcome}" for outcome, count in sorted(by_outcome.items())
            ))  # fmt: skip
        print(
            f"  contended slots: {checks['contended_slots_requested']} asked for, "
            f"{checks['contended_slots_won']} went to exactly one booker, "
            f"{checks['contended_slots_double_booked']} to more than one"
        )
        print(
            f"  overlapping occupancies: {checks['occupancy_overlaps']}, overlapping confirmed "
            f"bookings: {checks['confirmed_booking_overlaps']}, confirmed without occupancy: "
            f"{checks['confirmed_without_occupancy']}"
        )
        print(
            "  the load's bookings in the database: "
            + "; ".join(
                f"{kind}: " + ", ".join(f"{n} {status}" for status, n in sorted(by.items()))
                for kind, by in sorted(checks["load_bookings_by_status"].items())
            )
        )
        print(f"  gunicorn's log: {len(log_problems)} problem line(s)")
        for line in log_problems[:10]:
            print(f"    {line}")
        if cpu_warning:
            print("  locust warned that its own CPU passed 90 %: the generator limited the load")

        if total["failures"]:
            problems.append(f"{total['failures']} failed request(s); see {OUT}/locust_failures.csv")
        if total["requests"] == 0:
            problems.append("no request was made")
        for name in (
            "occupancy_overlaps",
            "confirmed_booking_overlaps",
            "contended_slots_double_booked",
            "confirmed_without_occupancy",
        ):
            if checks[name]:
                problems.append(f"{name}: {checks[name]}")
        if checks["contended_confirmed_in_database"] != locust_won:
            # A request locust did not see end (cut off at the end of the run) may still have booked.
            print(
                f"  note: {checks['contended_confirmed_in_database']} contended bookings in the "
                f"database, {locust_won} confirmations seen by locust"
            )
        if log_problems:
            problems.append(f"{len(log_problems)} problem line(s) in {OUT / 'gunicorn.log'}")
    finally:
        run.stop_children()
        run.stop_gunicorn()
        if not options.keep_db:
            # The members' sessions are of the dropped database; the file goes with it.
            data_path.unlink(missing_ok=True)
            try:
                run.drop_database()
            except Exception as error:  # the run's result matters more than the cleanup
                print(f"  could not drop {options.database}: {error}")
        try:
            run.flush_redis()
        except Exception as error:
            print(f"  could not flush Redis: {error}")
        shutil.rmtree(run.temp, ignore_errors=True)
        summary["problems"] = problems
        summary["wall_clock_s"] = round(time.monotonic() - run.started, 1)
        (OUT / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    run.step(f"Done in {summary['wall_clock_s']:.0f} s; summary in {OUT / 'summary.json'}")
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        return 1
    print("Passed: no failed request, no overlap, no traceback.")
    return 0


# --- inside Django: the load members and the slots they ask for ---------------------------------


def prepare(argv) -> None:
    """Create the load members, sign each in (a session row, no login form),
    and choose the slots they will request; write it all as JSON for locust."""
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--members", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    options = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from collections import defaultdict

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from actors.models import Actor, Membership, TargetGroup
    from bookings.models import Booking, Occupancy, Room, Status, Visibility
    from centre.models import ClosedDay, OpeningHours, User
    from centre.selectors import aware

    rng = random.Random(options.seed)
    actors = list(Actor.objects.current().filter(slug__startswith="bench-").order_by("slug"))
    if not actors:
        raise SystemExit("No benchmark actors: run bench_data first.")
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(email=LOAD_EMAIL.format(n), name=f"Belastning {n:03d}", password="!")
            for n in range(options.members)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
        )
        # A quarter administer their actor (and see its members); the rest book for it.
        Membership.objects.bulk_create(
            Membership(
                user=user,
                actor=actors[n % len(actors)],
                role=Membership.Role.ADMIN if n % 4 == 0 else Membership.Role.BOOKER,
            )
            for n, user in enumerate(users)
        )
    sessions = []
    for user in users:
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)

    # Free 2-hour slots on the benchmark's grid in the benchmark rooms (confirmed
    # at once, one unit each), from the day after tomorrow, on open days only.
    today = timezone.localdate()
    days = [today + datetime.timedelta(days=n) for n in range(2, 2 + 120)]
    closed = set(
        ClosedDay.objects.observed()
        .filter(date__gte=days[0], date__lte=days[-1])
        .values_list("date", flat=True)
    )
    hours = list(OpeningHours.objects.all())
    rooms = list(
        Room.objects.active()
        .filter(slug__startswith="bench-", needs_approval=False, restricted=False, buffer_minutes=0)
        .order_by("slug")
    )
    held = defaultdict(list)
    for room_id, start, end in Occupancy.objects.filter(
        room__in=rooms,
        start__lt=aware(days[-1] + datetime.timedelta(days=1)),
        end__gt=aware(days[0]),
    ).values_list("room_id", "start", "end"):
        held[room_id, timezone.localdate(start)].append((start, end))
    two_hours = datetime.timedelta(hours=2)
    free = []
    for room in rooms:
        for day in days:
            if day in closed:
                continue
            for interval in (h for h in hours if h.weekday == day.weekday()):
                begin = datetime.datetime.combine(day, interval.opens)
                while begin + two_hours <= datetime.datetime.combine(day, interval.closes):
                    start, end = timezone.make_aware(begin), timezone.make_aware(begin + two_hours)
                    if not any(s < end and e > start for s, e in held[room.pk, day]):
                        free.append({
                            "room_id": room.pk, "room_slug": room.slug, "date": day.isoformat(),
                            "start": f"{begin:%H:%M}", "end": f"{begin + two_hours:%H:%M}",
                        })  # fmt: skip
                    begin += two_hours
    rng.shuffle(free)
    contended, free = free[:CONTENDED_SLOTS], free[CONTENDED_SLOTS:]
    each = min(FREE_SLOTS_PER_MEMBER, len(free) // options.members)
    if each < 5:
        raise SystemExit(
            f"Only {len(free)} free slots for {options.members} members; use fewer users."
        )

    # A room that needs approval: requests wait for a coordinator, whatever else is booked.
    approval_room = Room.objects.active().filter(needs_approval=True, restricted=False).first()
    approval = []
    if approval_room:
        open_days = [
            day
            for day in days
            if day not in closed and any(h.weekday == day.weekday() for h in hours)
        ]
        for _n in range(APPROVAL_SLOTS):
            day = rng.choice(open_days)
            interval = rng.choice([h for h in hours if h.weekday == day.weekday()])
            first = datetime.datetime.combine(day, interval.opens)
            last = datetime.datetime.combine(day, interval.closes) - datetime.timedelta(hours=1)
            begin = first + datetime.timedelta(
                hours=rng.randrange(int((last - first).seconds // 3600) + 1)
            )
            approval.append({
                "room_id": approval_room.pk, "room_slug": approval_room.slug, "date": day.isoformat(),
                "start": f"{begin:%H:%M}", "end": f"{begin + datetime.timedelta(hours=1):%H:%M}",
            })  # fmt: skip

    activities = list(
        Booking.objects.filter(
            status=Status.CONFIRMED,
            visibility=Visibility.PUBLIC,
            start__gte=timezone.now(),
            start__lt=timezone.now() + datetime.timedelta(days=60),
        ).values_list("pk", flat=True)
    )
    data = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "burst_every": BURST_SECONDS,
        "titles": {"free": TITLE_FREE, "contended": TITLE_CONTENDED, "approval": TITLE_APPROVAL},
        "today": today.isoformat(),
        "rooms": list(Room.objects.active().order_by("slug").values_list("slug", flat=True)),
        "bench_rooms": [room.slug for room in rooms],
        "targets": list(TargetGroup.objects.values_list("slug", flat=True)),
        "target_ids": list(TargetGroup.objects.values_list("pk", flat=True)),
        "actors": [actor.slug for actor in rng.sample(actors, min(20, len(actors)))]
        + list(
            Actor.objects.current()
            .exclude(slug__startswith="bench-")
            .values_list("slug", flat=True)
        ),
        "activities": rng.sample(activities, min(400, len(activities))),
        "members": [
            {
                "email": user.email,
                "session": session,
                "actor_id": actors[n % len(actors)].pk,
                "actor_slug": actors[n % len(actors)].slug,
                "admin": n % 4 == 0,
                "free_slots": free[n * each : (n + 1) * each],
            }
            for n, (user, session) in enumerate(zip(users, sessions, strict=True))
        ],
        "contended": contended,
        "approval": approval,
    }
    Path(options.path).write_text(json.dumps(data, indent=1))


if __name__ == "__main__":
    if sys.argv[1:2] == ["_prepare"]:
        prepare(sys.argv[2:])
    else:
        sys.exit(main())
