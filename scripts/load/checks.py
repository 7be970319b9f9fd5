"""What must hold after a run: no two confirmed bookings hold a room at the
same time, every contended slot went to at most one booker, and gunicorn's log
shows no request gone wrong. Each is counted in the database itself rather
than trusted to the constraints meant to prevent it."""

from load import OUT

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


def problems_found(total: dict, checks: dict, log_problems: list[str]) -> list[str]:
    """What fails the run once locust is done: a failed request, no request at
    all, an overlap or a double-booked slot in the database, a problem line in
    gunicorn's log."""
    problems = []
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
    if log_problems:
        problems.append(f"{len(log_problems)} problem line(s) in {OUT / 'gunicorn.log'}")
    return problems
