"""The command: its options, and its steps in order, from a fresh database to
the checks, summary.json and the exit status."""

import argparse
import datetime
import json
import os
import re
import shutil
import time

from load import OUT
from load.checks import database_checks, gunicorn_problems, problems_found
from load.prepare import BURST_SECONDS
from load.report import booking_outcomes, parse_stats_csv, print_results
from load.run import Run

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
DATABASE = "samhus_load"


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
            "duration_s": seconds,
            "users": options.users,
            "spawn_rate": options.spawn_rate,
            "scale": options.scale,
            "gunicorn_workers": options.workers,
            "burst_every_s": BURST_SECONDS,
        },
    }
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
        run.stop_gunicorn()
        gunicorn_log = (OUT / "gunicorn.log").read_text(errors="replace")
        log_problems = gunicorn_problems(gunicorn_log)

        total = stats["total"]
        summary.update(
            requests=total["requests"],
            requests_per_s=round(total["rps"], 2),
            failures=total["failures"],
            p50_ms=total["p50"],
            p95_ms=total["p95"],
            p99_ms=total["p99"],
            per_request=stats["rows"],
            booking_requests=outcomes,
            database=checks,
            gunicorn_log_problems=log_problems[:50],
            setup_seconds=run.timings,
        )
        print_results(stats, outcomes, checks, log_problems, cpu_warning)
        problems += problems_found(total, checks, log_problems)
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
