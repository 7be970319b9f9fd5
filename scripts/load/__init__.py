"""The load test's parts; scripts/load_test.py is the command that runs them.

- main: the command's options and its steps in order, from a fresh database
  to summary.json and the exit status.
- run: the processes and databases of one run: the environment Samhus gets,
  PostgreSQL and Redis, manage.py commands, gunicorn and locust.
- prepare: inside Django, the load members, their sessions and the slots they
  ask for, written as JSON for scripts/locustfile.py.
- checks: what must hold afterwards: no overlap in the database, every
  contended slot to at most one booker, nothing wrong in gunicorn's log.
- report: locust's statistics read and printed as tables and lines.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "var" / "load"
