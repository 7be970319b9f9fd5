"""Who uses Samhus, for the load test: residents on their phones reading the
front page, the calendar and activities; calendar apps polling the feeds; the
lobby screen and a door screen; association members reading their pages and
requesting rooms, sometimes all at once for the same slot.

Run by scripts/load_test.py, which writes the members' sessions and the slots
they ask for to the JSON file named by SAMHUS_LOAD_DATA. Production is behind
a TLS proxy: every request says X-Forwarded-Proto: https, as the proxy would,
and the Secure cookies are sent over loopback."""

import datetime
import html
import itertools
import json
import os
import random
import re
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, task
from requests.cookies import RequestsCookieJar

if not os.environ.get("SAMHUS_LOAD_DATA"):
    raise SystemExit("Set SAMHUS_LOAD_DATA (scripts/load_test.py does): run the load test with it.")
DATA = json.loads(Path(os.environ["SAMHUS_LOAD_DATA"]).read_text())
TODAY = datetime.date.fromisoformat(DATA["today"])
MEMBERS = itertools.count()

PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERROR_LIST = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)
# The two refusals of a slot someone else holds: found by the check before the
# write, or by the exclusion constraint when two requests raced past that check.
TAKEN = ("Lokalet er allerede booket", "The room is already booked")
RACED = ("Lokalet blev booket af en anden", "The room was booked by someone else")


class LoopbackJar(RequestsCookieJar):
    """Samhus's cookies are Secure; a browser sends them back because it
    speaks HTTPS to the proxy. This jar keeps them for loopback HTTP."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def month_start(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


class Visitor(HttpUser):
    abstract = True
    user_agent = PHONE
    language = "da"

    def on_start(self):
        self.client.cookies = LoopbackJar()
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "User-Agent": self.user_agent,
                "Accept-Language": f"{self.language},en;q=0.5",
            }
        )

    def page(self, url: str, name: str, **headers):
        """GET a page that must answer 200 itself: a redirect (to the login
        page, say) is a failure here, not something to follow."""
        with self.client.get(
            url, name=name, headers=headers or None, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "")
                response.failure(f"status {response.status_code} {where}".strip())
            return response


class Resident(Visitor):
    """A resident on a phone, not signed in: the house today, the calendar with
    a filter now and then, the coming months, an activity's page."""

    weight = 12
    wait_time = between(2, 8)

    def on_start(self):
        self.language = "da" if random.random() < 0.8 else "en"
        self.user_agent = PHONE if random.random() < 0.85 else DESKTOP
        super().on_start()

    @task(8)
    def front_page(self):
        self.page("/", "/")

    @task(5)
    def calendar_month(self):
        self.page("/calendar/", "/calendar/ (month)")

    @task(3)
    def calendar_week(self):
        self.page("/calendar/?view=week", "/calendar/?view=week")

    @task(2)
    def calendar_list(self):
        self.page("/calendar/?view=list", "/calendar/?view=list")

    @task(3)
    def calendar_filtered(self):
        name, value = random.choice(
            [("room", random.choice(DATA["rooms"]))] * 2
            + [("target", random.choice(DATA["targets"]))] * 3
            + [("actor", random.choice(DATA["actors"]))]
        )
        view = random.choice(["month", "week", "list"])
        self.page(f"/calendar/?view={view}&{name}={value}", f"/calendar/?{name}=…")

    @task(3)
    def calendar_ahead(self):
        # With JavaScript, htmx fetches only the calendar region and keeps the address.
        day = month_start(TODAY, random.randint(1, 4))
        view = random.choice(["month", "month", "week"])
        self.page(
            f"/calendar/?view={view}&date={day.isoformat()}",
            "/calendar/?date=… (htmx)",
            **{"HX-Request": "true", "HX-Target": "calendar", "HX-Current-URL": "/calendar/"},
        )

    @task(5)
    def activity(self):
        pk = random.choice(DATA["activities"])
        self.page(f"/calendar/activities/{pk}/", "/calendar/activities/[id]/")

    @task(1)
    def activity_ics(self):
        pk = random.choice(DATA["activities"])
        self.page(f"/calendar/activities/{pk}.ics", "/calendar/activities/[id].ics")


class CalendarApp(Visitor):
    """A calendar app subscribed to a feed, polling it (hourly in real life,
    compressed here). Half of them send If-None-Match with the ETag they got
    and are answered 304 while nothing changed."""

    weight = 2
    wait_time = between(15, 45)
    user_agent = "Calendar/2.0 (subscription)"

    def on_start(self):
        super().on_start()
        kind = "ics" if random.random() < 0.7 else "json"
        draw = random.random()
        if draw < 0.5:
            self.url, query = f"/calendar/feed.{kind}", ""
        elif draw < 0.8:
            self.url, query = (
                f"/calendar/feed.{kind}?target={random.choice(DATA['targets'])}",
                "?target=…",
            )
        else:
            self.url, query = (
                f"/calendar/feed.{kind}?room={random.choice(DATA['rooms'])}",
                "?room=…",
            )
        self.name = f"/calendar/feed.{kind}{query}"
        self.conditional = random.random() < 0.5
        self.etag = None

    @task
    def poll(self):
        headers = {"If-None-Match": self.etag} if self.conditional and self.etag else None
        with self.client.get(
            self.url, headers=headers, name=self.name, catch_response=True
        ) as response:
            if response.status_code == 304 and headers:
                response.request_meta["name"] = self.name + " (304)"
                response.success()
            elif response.status_code == 200:
                self.etag = response.headers.get("ETag")
                response.success()
            else:
                response.failure(f"status {response.status_code}")


class Screen(Visitor):
    """The lobby screen and one by a room's door: the page once, then its data
    fragment again and again (every minute in the house, faster here)."""

    fixed_count = 2
    wait_time = between(5, 10)
    user_agent = DESKTOP
    screens = itertools.count()

    def on_start(self):
        super().on_start()
        number = next(self.screens)
        self.query = "" if number % 2 == 0 else f"room={random.choice(DATA['rooms'])}&"
        self.page(f"/screen/?{self.query}".rstrip("?&"), "/screen/")

    @task(12)
    def refresh(self):
        self.page(f"/screen/?{self.query}partial=1", "/screen/?partial=1")

    @task(1)
    def reload(self):
        self.page(f"/screen/?{self.query}".rstrip("?&"), "/screen/")


class Member(Visitor):
    """A member (booker or admin) of an association, signed in: their bookings,
    the calendar with their internal bookings, their actor's pages, a room's
    week, and booking requests: a free slot, a room that needs approval, or a
    contended slot that opens for everyone at the same moment."""

    weight = 5
    wait_time = between(2, 6)
    user_agent = DESKTOP

    def on_start(self):
        super().on_start()
        self.me = DATA["members"][next(MEMBERS) % len(DATA["members"])]
        self.client.cookies.set(DATA["session_cookie"], self.me["session"])
        self.free = iter(self.me["free_slots"])

    @task(4)
    def my_bookings(self):
        self.page("/bookings/mine/", "/bookings/mine/")

    @task(3)
    def calendar(self):
        view = random.choice(["month", "month", "week", "list"])
        self.page(f"/calendar/?view={view}", "/calendar/ (signed in)")

    @task(2)
    def actor_pages(self):
        slug = self.me["actor_slug"]
        self.page(f"/actors/{slug}/", "/actors/[slug]/")
        if self.me["admin"]:
            self.page(f"/actors/{slug}/members/", "/actors/[slug]/members/")
        else:
            self.page("/my-actors/", "/my-actors/")

    @task(2)
    def room_week(self):
        self.page(f"/rooms/{random.choice(DATA['bench_rooms'])}/", "/rooms/[slug]/")

    @task(2)
    def request_free_slot(self):
        slot = next(self.free, None)
        if slot is None:  # a long run used them up: ask for a slot already taken
            slot = random.choice(self.me["free_slots"])
        self.request(slot, "free slot", DATA["titles"]["free"], expected="confirmed")

    @task(1)
    def request_approval_room(self):
        if DATA["approval"]:
            slot = random.choice(DATA["approval"])
            self.request(slot, "approval room", DATA["titles"]["approval"], expected="requested")

    @task(4)
    def request_contended_slot(self):
        every = DATA["burst_every"]
        burst = int((time.time() + 1) // every) + 1
        slot = DATA["contended"][burst % len(DATA["contended"])]
        self.request(
            slot,
            "contended slot",
            DATA["titles"]["contended"],
            expected="confirmed",
            at=burst * every,
        )

    def request(self, slot, kind, title, *, expected, at=None):
        """The booking form as a browser uses it: GET it (the CSRF token), fill
        it in, POST it with the cookie and the Referer, follow the redirect."""
        query = (
            f"room={slot['room_slug']}&date={slot['date']}&start={slot['start']}&end={slot['end']}"
        )
        with self.client.get(
            f"/bookings/new/?{query}",
            name="/bookings/new/ (form)",
            allow_redirects=False,
            catch_response=True,
        ) as form:
            token = CSRF_INPUT.search(form.text) if form.status_code == 200 else None
            if token is None:
                form.failure(f"no booking form (status {form.status_code})")
                return
        if at is not None:
            gevent.sleep(max(0.0, at - time.time()))
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "actor": self.me["actor_id"],
            "room": slot["room_id"],
            "title": title,
            "date": slot["date"],
            "start_time": slot["start"],
            "end_time": slot["end"],
            "repeat": "none",
            "until": "",
            "skip_closed_days": "on",
            "visibility": "public" if random.random() < 0.7 else "internal",
            "description": "Et møde for foreningens medlemmer.",
            "target_groups": random.sample(DATA["target_ids"], min(2, len(DATA["target_ids"]))),
            "expected_participants": "10",
        }
        base = self.host.rstrip("/").replace("http://", "https://", 1)
        headers = {"Referer": f"{base}/bookings/new/?{query}", "Origin": base}
        with self.client.post(
            "/bookings/new/",
            data=data,
            headers=headers,
            allow_redirects=False,
            name=f"booking request: {kind}",
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and re.search(r"/bookings/\d+/$", location):
                outcome = expected
                response.success()
            elif response.status_code == 200:
                errors = " ".join(
                    html.unescape(re.sub(r"<[^>]+>", " ", found))
                    for found in ERROR_LIST.findall(response.text)
                ).split()
                message = " ".join(errors)
                if any(text in message for text in RACED):
                    outcome = "refused: taken in a race"
                    response.success()
                elif any(text in message for text in TAKEN):
                    outcome = "refused: taken"
                    response.success()
                else:
                    outcome = "refused: other"
                    response.failure(f"refused: {message[:200] or 'no error shown'}")
            else:
                outcome = f"status {response.status_code}"
                response.failure(f"status {response.status_code} {location}")
            response.request_meta["name"] = f"booking request: {kind} ({outcome})"
        if outcome == expected:
            self.page(location, "/bookings/[id]/")
