"""Time Samhus in-process: the median and 95th percentile of warm runs, and the
SQL query count, per operation. Run `manage.py bench_data` first.

Figures compare versions on one machine; they are not absolute."""

import datetime
import json
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone

from actors.models import Actor
from bookings import services
from bookings.models import Room
from centre.models import User


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Median and p95 (warm) and queries per page and operation; --json FILE writes them."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--json", dest="json_file")

    def handle(self, *args, runs, warmup, json_file, **options):
        setup_test_environment()  # the test client's 'testserver' host
        # Measure as production runs: no query log; the 2FA redirect is not what is timed.
        with override_settings(DEBUG=False, SAMHUS_COORDINATOR_2FA=False):
            results = [self._measure(name, op, runs, warmup) for name, op in self._operations()]
        self.stdout.write(f"{'operation':<44}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
        for row in results:
            self.stdout.write(
                f"{row['operation']:<44}{row['median_ms']:>10.1f}{row['p95_ms']:>9.1f}{row['queries']:>9}"
            )
        if json_file:
            with open(json_file, "w") as out:
                json.dump(
                    {"database": connection.vendor, "runs": runs, "results": results}, out, indent=2
                )
            self.stdout.write(f"Written to {json_file}")

    def _operations(self):
        anonymous = Client()
        pages = [
            "/", "/healthz", "/accounts/login/", "/actors/", "/actors/?sector=civil&target=women", "/offers/",
            "/offers/?target=youth&language=ar", "/rooms/",
        ]  # fmt: skip
        for path in pages:
            yield f"GET {path}", lambda path=path: anonymous.get(path)
        coordinator = User.objects.filter(is_coordinator=True).first()
        if coordinator:
            signed_in = Client()
            signed_in.force_login(coordinator)
            yield "GET /house/ (coordinator)", lambda: signed_in.get("/house/")
        room = Room.objects.filter(slug__startswith="bench-").order_by("slug").first()
        if room is None:
            return
        next_week = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
        yield (
            "free/busy week, one room",
            lambda: anonymous.get(f"/rooms/{room.slug}/?date={next_week}"),
        )
        booker = User.objects.get(email="bench.booker@samhus.test")
        actor = Actor.objects.filter(slug__startswith="bench-").order_by("slug").first()

        today = timezone.localdate()
        monday = today + datetime.timedelta(days=7 - today.weekday())

        def series():
            # Conflict check + insert of the free dates, rolled back so every run sees the same data.
            try:
                with transaction.atomic():
                    services.series_request(
                        by=booker, room=room, actor=actor, title="Målt serie", rule="FREQ=WEEKLY",
                        first_day=monday,
                        start_time=datetime.time(17), end_time=datetime.time(19), book_rest=True,
                    )  # fmt: skip
                    raise _Rollback
            except _Rollback:
                pass

        yield "request a 52-week series (book the rest)", series

    def _measure(self, name, operation, runs, warmup) -> dict:
        for _ in range(warmup):
            operation()
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            operation()
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as captured:
            operation()
        queries = [
            q
            for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK"))
        ]
        timings.sort()
        return {
            "operation": name,
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 2),
            "queries": len(queries),
        }
