"""The standard benchmark dataset, on top of the demo house.

Per --scale unit: 20 rooms, 100 actors (two offers each), 60 weekly series of
2 hours running 12 months, and 18,000 one-off bookings over 12 months (1,500 a
month), Europe/Copenhagen; 70 % public activities, 30 % internal, 10 % of the
one-offs still requested. Bookings are laid on a grid of 2-hour slots inside
the opening hours, so no two confirmed bookings overlap (as the database
demands).

Also per --scale unit: 5,000 collaborations among the benchmark actors over
the last three years, 2 to 4 actors each, in the five forms (the least
committed the most common; half of the first three logged the quick way, with
a referral count where it applies). The logging actor's part is confirmed; of
the others' parts about 85 % are confirmed, 10 % pending and 5 % disputed. A
fifth of those logged in full above knowledge sharing began one or two forms
lower and moved up later (each form kept with its date, as the log does), and
a tenth of all have one or two goals.

Written in bulk: the rules are the services' business, volume is ours.
Running the command again adds only a part that is not there yet."""

import datetime
import random

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from actors.models import Actor, Language, Membership, Offer, TargetGroup, Theme
from bookings.calendar import texts
from bookings.models import Booking, BookingSeries, Occupancy, Room, Status, Visibility
from centre.models import ClosedDay, OpeningHours, User
from centre.selectors import aware
from collaboration.models import Collaboration, Form, FormChange, Goal, Participation

ROOMS, ACTORS, SERIES, ONE_OFFS = 20, 100, 60, 18_000
COLLABORATIONS = 5_000
BENCH_BOOKER = "bench.booker@samhus.test"
BENCH_COLLABORATION = "Bench-samarbejde"
FORMS = list(Form)
FORM_WEIGHTS = [35, 25, 20, 13, 7]  # knowledge sharing the most common, co-creation the least
QUICK_KIND = {
    Form.KNOWLEDGE: Collaboration.Kind.MEETING,
    Form.COORDINATION: Collaboration.Kind.REFERRAL,
    Form.RESOURCES: Collaboration.Kind.LENDING,
}
DAYS_BACK = 3 * 365


def add_collaborations(
    actors: list[Actor],
    count: int,
    rng: random.Random,
    *,
    today: datetime.date,
    by: User | None = None,
    start: int = 0,
) -> int:
    """Write ``count`` collaborations among ``actors`` (at least four) in bulk,
    with their participations, history of forms and goals. Returns the number written."""
    confirmed, pending, disputed = (
        Participation.Status.CONFIRMED,
        Participation.Status.PENDING,
        Participation.Status.DISPUTED,
    )
    collaborations, groups, histories, goal_counts = [], [], [], []
    for n in range(start, start + count):
        form = rng.choices(FORMS, weights=FORM_WEIGHTS)[0]
        started = today - datetime.timedelta(days=rng.randrange(DAYS_BACK))
        quick = form in QUICK_KIND and rng.random() < 0.5
        if quick:
            ended = started
        elif rng.random() < 0.5:
            ended = min(today, started + datetime.timedelta(days=rng.randrange(30, 400)))
        else:
            ended = None
        history = [(form, started)]
        last = ended or today
        if not quick and form.rank > 0 and last > started and rng.random() < 0.2:
            first = FORMS[max(0, form.rank - rng.choice((1, 2)))]
            moved = started + datetime.timedelta(days=rng.randint(1, (last - started).days))
            history = [(first, started), (form, moved)]
        group = rng.sample(actors, rng.choice((2, 2, 3, 4)))
        kind = QUICK_KIND[form] if quick else Collaboration.Kind.FULL
        collaborations.append(
            Collaboration(
                title=f"{BENCH_COLLABORATION} {n:06d}",
                form=form,
                kind=kind,
                lead=group[0],
                started=started,
                ended=ended,
                logged_by=by,
                referrals=rng.randint(1, 20) if kind == Collaboration.Kind.REFERRAL else None,
            )
        )
        groups.append(group)
        histories.append(history)
        goal_counts.append(rng.choice((1, 2)) if rng.random() < 0.1 else 0)
    created = Collaboration.objects.bulk_create(collaborations, batch_size=2000)

    participations, changes, goals = [], [], []
    for collaboration, group, history, goal_count in zip(
        created, groups, histories, goal_counts, strict=True
    ):
        answered = datetime.datetime.combine(
            collaboration.started, datetime.time(12), tzinfo=datetime.UTC
        )
        for index, actor in enumerate(group):
            draw = rng.random()
            status = (
                confirmed if index == 0 or draw < 0.85 else pending if draw < 0.95 else disputed
            )
            participations.append(
                Participation(
                    collaboration=collaboration,
                    actor=actor,
                    status=status,
                    note="Vi kender ikke til dette samarbejde." if status == disputed else "",
                    answered_by=by if status != pending else None,
                    answered_at=answered if status != pending else None,
                )
            )
        changes.extend(
            FormChange(collaboration=collaboration, form=form, on=on, by=by) for form, on in history
        )
        goals.extend(
            Goal(
                collaboration=collaboration,
                description=f"Mål {g + 1}",
                criterion="20 deltagere i løbet af et år",
                status=rng.choice(Goal.Status.values),
                judged_on=collaboration.ended or today,
            )
            for g in range(goal_count)
        )
    Participation.objects.bulk_create(participations, batch_size=2000)
    FormChange.objects.bulk_create(changes, batch_size=2000)
    Goal.objects.bulk_create(goals, batch_size=2000)
    return len(created)


def _slots(
    day: datetime.date, hours: list[OpeningHours]
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    out = []
    for interval in hours:
        if interval.weekday != day.weekday():
            continue
        start, closes = aware(day, interval.opens), aware(day, interval.closes)
        while start + datetime.timedelta(hours=2) <= closes:
            out.append((start, start + datetime.timedelta(hours=2)))
            start += datetime.timedelta(hours=2)
    return out


class Command(BaseCommand):
    help = "Build the standard benchmark dataset (idempotent per scale)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)

    def handle(self, *args, scale, **options):
        call_command("demo", "--no-serve", "--force", stdout=self.stdout)
        if Room.objects.filter(slug__startswith="bench-").count() >= ROOMS * scale:
            self.stdout.write("The benchmark rooms, actors and bookings are already in place.")
        else:
            with transaction.atomic():
                self._build(scale, random.Random(42))
        # Its own random stream: the bookings above stay as they were before collaborations.
        with transaction.atomic():
            self._collaborations(scale, random.Random(6))
        if connection.vendor == "postgresql":
            # What autovacuum does after a bulk load: without statistics the
            # planner takes a table of thousands for a handful of rows, and
            # the bookings' texts, written after their rows, leave a dead
            # copy of every booking that a read of a week would step over.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def _collaborations(self, scale: int, rng: random.Random) -> None:
        there = Collaboration.objects.filter(title__startswith=BENCH_COLLABORATION).count()
        missing = COLLABORATIONS * scale - there
        if missing <= 0:
            self.stdout.write("The benchmark collaborations are already in place.")
            return
        actors = list(Actor.objects.filter(slug__startswith="bench-").order_by("slug"))
        by, _created = User.objects.get_or_create(email=BENCH_BOOKER, defaults={"name": "Bench"})
        made = add_collaborations(
            actors, missing, rng, today=timezone.localdate(), by=by, start=there
        )
        self.stdout.write(f"Benchmark collaborations: {made} among {len(actors)} actors.")

    def _build(self, scale: int, rng: random.Random) -> None:
        rooms = Room.objects.bulk_create(
            Room(name=f"Bench-lokale {n:03d}", slug=f"bench-{n:03d}", capacity=30)
            for n in range(ROOMS * scale)
        )
        actors = Actor.objects.bulk_create(
            Actor(
                name=f"Bench-aktør {n:04d}",
                slug=f"bench-{n:04d}",
                kind=rng.choice(Actor.Kind.values),
                presence=rng.choice(Actor.Presence.values),
                description="Syntetisk aktør til målinger.",
            )
            for n in range(ACTORS * scale)
        )
        booker, _created = User.objects.get_or_create(
            email=BENCH_BOOKER, defaults={"name": "Bench"}
        )
        Membership.objects.bulk_create(
            Membership(user=booker, actor=a, role=Membership.Role.BOOKER) for a in actors
        )
        groups, themes, languages = (
            list(TargetGroup.objects.all()),
            list(Theme.objects.all()),
            list(Language.objects.all()),
        )
        for actor in actors:
            for title in ("Åbent hus", "Rådgivning"):
                offer = Offer.objects.create(actor=actor, title=title, when="Tirsdage 10–12")
                offer.target_groups.set(rng.sample(groups, 2))
                offer.themes.set(rng.sample(themes, 2))
                offer.languages.set(rng.sample(languages, 2))

        hours = list(OpeningHours.objects.all())
        today = timezone.localdate() + datetime.timedelta(days=1)
        closed = set(ClosedDay.objects.observed().values_list("date", flat=True))
        days = [today + datetime.timedelta(days=n) for n in range(364)]
        free = {
            room.pk: {day: _slots(day, hours) for day in days if day not in closed}
            for room in rooms
        }

        bookings: list[Booking] = []
        # Weekly series: a room, a weekday and a slot, every week for 12 months.
        for n in range(SERIES * scale):
            room, actor = rng.choice(rooms), rng.choice(actors)
            first = today + datetime.timedelta(days=rng.randrange(7))
            index = rng.randrange(3)
            series = BookingSeries.objects.create(
                room=room,
                actor=actor,
                booked_by=booker,
                title=f"Ugentligt hold {n}",
                rrule="FREQ=WEEKLY",
                first_day=first,
                start_time=datetime.time(9),
                end_time=datetime.time(11),
                materialised_until=days[-1],
            )
            public = rng.random() < 0.7
            for week in range(52):
                day = first + datetime.timedelta(weeks=week)
                slots = free[room.pk].get(day, [])
                if len(slots) <= index:
                    continue
                start, end = slots.pop(index)
                bookings.append(
                    Booking(
                        room=room,
                        actor=actor,
                        booked_by=booker,
                        series=series,
                        title=series.title,
                        start=start,
                        end=end,
                        status=Status.CONFIRMED,
                        visibility=Visibility.PUBLIC if public else Visibility.INTERNAL,
                    )
                )
        # One-offs: 1,500 a month on free slots.
        cells = [
            (room_pk, day)
            for room_pk, by_day in free.items()
            for day, slots in by_day.items()
            if slots
        ]
        for _n in range(ONE_OFFS * scale):
            while True:
                if not cells:
                    raise RuntimeError(
                        "The opening hours leave too few free slots for the dataset."
                    )
                pick = rng.randrange(len(cells))
                room_pk, day = cells[pick]
                if free[room_pk][day]:
                    break
                cells[pick] = cells[-1]
                cells.pop()
            start, end = free[room_pk][day].pop(rng.randrange(len(free[room_pk][day])))
            bookings.append(
                Booking(
                    room_id=room_pk,
                    actor=rng.choice(actors),
                    booked_by=booker,
                    title="Arrangement",
                    start=start,
                    end=end,
                    status=Status.REQUESTED if rng.random() < 0.1 else Status.CONFIRMED,
                    visibility=Visibility.PUBLIC if rng.random() < 0.7 else Visibility.INTERNAL,
                )
            )
        created = Booking.objects.bulk_create(bookings, batch_size=2000)
        Occupancy.objects.bulk_create(
            (
                Occupancy(booking=b, room_id=b.room_id, start=b.start, end=b.end)
                for b in created
                if b.status == Status.CONFIRMED
            ),
            batch_size=2000,
        )
        # What the booking services do for every booking they write.
        texts.refresh([b.pk for b in created])
        self.stdout.write(
            f"Benchmark dataset: {len(rooms)} rooms, {len(actors)} actors, {len(created)} bookings."
        )
