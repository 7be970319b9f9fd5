import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centre.settings")
django.setup()
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation

translation.activate("da")
import bookings.calendar.views as v

rf = RequestFactory()
req = rf.get("/calendar/?view=week&date=2027-03-15")
req.user = AnonymousUser()
captured = {}
orig = v.render_to_string


def cap(name, ctx, request=None):
    captured["ctx"] = ctx
    return orig(name, ctx, request)


v.render_to_string = cap
v._calendar_region(req, False)
ctx = captured["ctx"]


def t(label, f, n=30):
    ts = []
    for _ in range(n):
        a = time.perf_counter()
        r = f()
        ts.append(time.perf_counter() - a)
    ts.sort()
    print(f"{label}: min {ts[0] * 1000:.2f} med {ts[n // 2] * 1000:.2f} ms")
    return r


t("_calendar.html", lambda: orig("bookings/_calendar.html", ctx, req))
t("selects", lambda: ctx["query"].form.selects())
t("city widget", lambda: str(ctx["query"].form["city"]))
t("city label", lambda: ctx["query"].form["city"].label_tag())
t("region", lambda: v._calendar_region(req, False), n=60)
from bookings.calendar.query import CalendarQuery, occurrences
from bookings.calendar.render import by_day, decorate

q = CalendarQuery.from_request(req)
t("from_request", lambda: CalendarQuery.from_request(req), n=60)
p = q.period
t("occ", lambda: occurrences(None, p.start, p.end, q.filters), n=60)
rows = occurrences(None, p.start, p.end, q.filters)
t("decorate", lambda: decorate([dict(r) for r in rows]), n=60)
t("by_day", lambda: by_day(rows, p.days), n=60)
t("title", lambda: v._period_title(p), n=60)
t("qs", lambda: [q.querystring(view=n) for n in ("month", "week", "list")], n=60)
from bookings.calendar.query import SELECTS, CalendarForm, _filter_choices

t("choices", lambda: _filter_choices(SELECTS, False), n=60)
t("form init", lambda: CalendarForm(req.GET), n=60)


def fv():
    f = CalendarForm(req.GET)
    f.is_valid()
    return f


t("form valid", fv, n=60)
from django.db import connection

from bookings.calendar.query import ROW_FIELDS, visible

qs = visible(None, p.start, p.end, {}).order_by("start", "room__name", "pk")
t("compile", lambda: qs.values_list(*ROW_FIELDS).query.sql_with_params(), n=60)
sql, params = qs.values_list(*ROW_FIELDS).query.sql_with_params()


def raw():
    with connection.cursor() as c:
        c.execute(sql, params)
        return c.fetchall()


t("raw sql", raw, n=60)
qs2 = visible(None, p.start, p.end, {}).order_by("start", "end", "pk")
sql2, params2 = qs2.values_list(*ROW_FIELDS).query.sql_with_params()


def raw2():
    with connection.cursor() as c:
        c.execute(sql2, params2)
        return c.fetchall()


t("raw sql start,end,pk", raw2, n=60)
