"""Time Samhus's pages in-process: the median of warm runs, and the query count.

Run `manage.py bench_data` first (or against any database with a house in it).
Figures are for comparison between versions on one machine, not absolute."""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_test_environment

from actors.models import Actor
from centre.models import User


class Command(BaseCommand):
    help = "Median response time (warm) and queries per page."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--warmup", type=int, default=5)

    def handle(self, *args, runs, warmup, **options):
        setup_test_environment()  # lets the test client use the 'testserver' host
        anonymous = Client()
        coordinator = Client()
        user = User.objects.filter(is_coordinator=True).first()
        pages = [
            ("/", anonymous),
            ("/healthz", anonymous),
            ("/accounts/login/", anonymous),
            ("/actors/", anonymous),
            ("/actors/?sector=civil&target=women", anonymous),
            ("/offers/", anonymous),
            ("/offers/?target=youth&language=ar", anonymous),
        ]
        first_actor = Actor.objects.current().order_by("name").first()
        if first_actor:
            pages.append((first_actor.get_absolute_url(), anonymous))
        if user:
            coordinator.force_login(user)
            pages.append(("/house/", coordinator))
            pages.append(("/house/hours/", coordinator))
        # Measure as production runs: no query log; the 2FA redirect is not what is timed.
        with override_settings(DEBUG=False, SAMHUS_COORDINATOR_2FA=False):
            self._run(pages, runs, warmup)

    def _run(self, pages, runs, warmup):
        self.stdout.write(f"{'page':<40}{'median ms':>10}{'p90 ms':>9}{'queries':>9}")
        for path, client in pages:
            for _ in range(warmup):
                client.get(path)
            timings = []
            for _ in range(runs):
                start = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - start) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            timings.sort()
            p90 = timings[int(len(timings) * 0.9) - 1]
            self.stdout.write(
                f"{path:<40}{statistics.median(timings):>10.1f}{p90:>9.1f}{len(queries):>9}"
                + ("" if response.status_code == 200 else f"  (status {response.status_code})")
            )
