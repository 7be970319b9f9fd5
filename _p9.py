import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centre.settings")
django.setup()
from django.test import Client, RequestFactory, override_settings
from django.test.utils import setup_test_environment

setup_test_environment()
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from bench import floors
from bookings.calendar.query import CalendarQuery, occurrences
from bookings.calendar.render import decorate

translation.activate("da")
rf = RequestFactory()
view = sys.argv[1]
date = sys.argv[2]
req = rf.get(f"/calendar/?view={view}&date={date}")
req.user = AnonymousUser()


def t(label, f, n=25):
    ts = []
    for _ in range(n):
        a = time.perf_counter()
        r = f()
        ts.append(time.perf_counter() - a)
    ts.sort()
    print(f"{label}: min {ts[0] * 1000:.2f} med {ts[n // 2] * 1000:.2f} ms")
    return r


q = t("query form", lambda: CalendarQuery.from_request(req))
p = q.period
rows = t("occurrences", lambda: occurrences(None, p.start, p.end, {}))
print(len(rows))
t("decorate", lambda: decorate([dict(r) for r in rows]))
from bookings.calendar import views

t("region", lambda: views._calendar_region(req, False))
c = Client()
with override_settings(DEBUG=False, ROOT_URLCONF="bench.floors"):
    t("page", lambda: c.get(f"/calendar/?view={view}&date={date}"))
    floors.ROWS = [
        {
            "title": r["title"],
            "time": f"{r['start']:%H:%M}–{r['end']:%H:%M}",
            "start": r["start"],
            "end": r["end"],
            "room": r["room__name"],
            "actor": r["actor__name"],
        }
        for r in rows
    ]
    t("floor", lambda: c.get("/bench/floor.html"))
import cProfile
import pstats

pr = cProfile.Profile()
pr.enable()
for i in range(20):
    views._calendar_region(req, False)
pr.disable()
pstats.Stats(pr).sort_stats("cumtime").print_stats(40)
