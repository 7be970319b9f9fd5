"""Locust's statistics read from its CSV, the booking requests' outcomes read
from their names, and the results printed as a table and a few lines."""

import csv
import re
from pathlib import Path


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


def print_results(
    stats: dict, outcomes: dict, checks: dict, log_problems: list[str], cpu_warning: bool
) -> None:
    """The run's figures as printed at the end: the table, the booking
    requests, the database checks and gunicorn's log."""
    print(format_table(stats))
    print()
    for kind, by_outcome in sorted(outcomes.items()):
        print(
            f"  booking requests, {kind}: "
            + ", ".join(f"{count} {outcome}" for outcome, count in sorted(by_outcome.items()))
        )
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
    locust_won = outcomes.get("contended slot", {}).get("confirmed", 0)
    if checks["contended_confirmed_in_database"] != locust_won:
        # A request locust did not see end (cut off at the end of the run) may still have booked.
        print(
            f"  note: {checks['contended_confirmed_in_database']} contended bookings in the "
            f"database, {locust_won} confirmations seen by locust"
        )
