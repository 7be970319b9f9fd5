"""Inside Django (run as ``load_test.py _prepare``): the load members, each
signed in with a session made in the database, and the slots they will ask
for, written as JSON for scripts/locustfile.py."""

import argparse
import datetime
import json
import random
import sys
from pathlib import Path

from load import REPO
from load.checks import TITLE_APPROVAL, TITLE_CONTENDED, TITLE_FREE

# Contended slots open one after another, one every BURST_SECONDS: the members
# waiting for that moment all ask for the same room and time at once.
BURST_SECONDS = 10
CONTENDED_SLOTS = 120
FREE_SLOTS_PER_MEMBER = 40  # at most; fewer each when many members share the free slots
APPROVAL_SLOTS = 400
LOAD_EMAIL = "load-{:03d}@samhus.test"


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
                        free.append(
                            {
                                "room_id": room.pk,
                                "room_slug": room.slug,
                                "date": day.isoformat(),
                                "start": f"{begin:%H:%M}",
                                "end": f"{begin + two_hours:%H:%M}",
                            }
                        )
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
            approval.append(
                {
                    "room_id": approval_room.pk,
                    "room_slug": approval_room.slug,
                    "date": day.isoformat(),
                    "start": f"{begin:%H:%M}",
                    "end": f"{begin + datetime.timedelta(hours=1):%H:%M}",
                }
            )

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
