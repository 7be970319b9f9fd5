"""The demo house's sign-ups and head counts: the last three months of its
weekly activities with the number who came (by age band), some with a
sign-up list; coming dates that take sign-ups, one of them full with a
waiting list. Personal data older than 30 days is erased, as the daily task
does. Run after bookings' demo; running it again changes nothing."""

import datetime
import random

from django.utils import timezone

from actors.models import Actor
from bookings.calendar import texts
from bookings.models import Booking, BookingSeries, Occupancy, Room, Status
from centre.models import User
from centre.selectors import aware

from . import services, upkeep
from .models import Attendance, Sheet, SignUp

# title, actor, room, weekday, start, end, usual head count, age bands (shares), places
PAST = [
    ("Kvindecafé", "kvindeforum", "moedelokale-1", 2, "10:00", "12:00", 11, (0.1, 0, 0.8, 0.1), 12),
    ("Lektiecafé", "en-faelles-indsats", "cafeen", 1, "15:00", "17:00", 18, (0.8, 0.2, 0, 0), None),
    ("Yoga for seniorer", "zumba-og-yoga", "multisalen", 2, "10:00", "11:00", 14, (0, 0, 0.2, 0.8), 20),
    ("Ungeaften i værkstedet", "basen", "vaerkstedet", 3, "17:00", "21:00", 9, (0.2, 0.8, 0, 0), None),
]  # fmt: skip
FIRST_NAMES = ["Amina", "Fatima", "Hodan", "Birgit", "Karen", "Lone", "Mette", "Sara", "Nadia",
               "Ayan", "Inge", "Jytte", "Hanne", "Leila", "Zainab", "Grethe", "Bente", "Maryam"]  # fmt: skip
WEEKS = 13


def foreign_data() -> list[str]:
    return []


def _at(day: datetime.date, value: str) -> datetime.datetime:
    return aware(day, datetime.time.fromisoformat(value))


def _bands(total: int, shares) -> dict[str, int]:
    counts = [int(total * share) for share in shares]
    biggest = max(range(4), key=lambda i: shares[i])
    counts[biggest] += total - sum(counts)
    return dict(zip(("children", "young", "adults", "seniors"), counts, strict=True))


def load() -> None:
    if Attendance.objects.exists():
        return
    rng = random.Random(17)
    coordinator = User.objects.get(email="koordinator@samhus.test")
    today = timezone.localdate()
    for title, actor_slug, room_slug, weekday, start, end, usual, shares, places in PAST:
        actor, room = Actor.objects.get(slug=actor_slug), Room.objects.get(slug=room_slug)
        series = BookingSeries.objects.filter(actor=actor, title=title).first()
        booker = series.booked_by if series else coordinator
        day = today - datetime.timedelta(days=(today.weekday() - weekday) % 7 or 7)
        for _week in range(WEEKS):
            booking = Booking.objects.create(
                room=room,
                actor=actor,
                booked_by=booker,
                title=title,
                start=_at(day, start),
                end=_at(day, end),
                status=Status.CONFIRMED,
            )
            if series:
                booking.target_groups.set(series.occurrences.first().target_groups.all())
            Occupancy.objects.create(
                booking=booking, room=room, start=booking.start, end=booking.end
            )
            texts.refresh([booking.pk])
            came = max(2, usual + rng.randint(-4, 4))
            ticked = []
            if places:
                sheet = Sheet.objects.create(booking=booking, places=places, per_person=3)
                signed = min(places, came + rng.randint(-2, 2))
                for n in range(signed):
                    name = FIRST_NAMES[(n + day.toordinal()) % len(FIRST_NAMES)]
                    signup = SignUp.objects.create(
                        sheet=sheet,
                        booking=booking,
                        name=name,
                        email=f"{name.lower()}{n}@example.org",
                        status=SignUp.Status.CONFIRMED,
                        confirmed_at=booking.start - datetime.timedelta(days=2),
                        language="da",
                        attended=n < came,
                    )
                    ticked.append(signup.pk)
            Attendance.objects.create(
                booking=booking, total=came, recorded_by=coordinator, **_bands(came, shares)
            )
            day -= datetime.timedelta(days=7)
    _coming(coordinator)
    upkeep.erase_old()


def _coming(coordinator) -> None:
    """Coming dates that take sign-ups: the whole yoga series, the theme
    evening (full, with a waiting list) and the shared meal."""
    yoga = BookingSeries.objects.filter(title="Yoga for seniorer").first()
    if yoga is not None:
        Sheet.objects.get_or_create(
            series=yoga, defaults={"places": 20, "per_person": 2, "bring": "Yogamåtte og vand"}
        )
        first = yoga.occurrences.filter(status=Status.CONFIRMED).order_by("start").first()
        for n, name in enumerate(["Inge", "Jytte", "Grethe", "Bente", "Poul", "Erik"]):
            services.add_at_desk(booking=first, by=coordinator, name=name, phone=f"2040{n:04}")
    evening = Booking.objects.filter(title="Temaaften om sundhed").first()
    if evening is not None:
        Sheet.objects.get_or_create(
            booking=evening,
            defaults={"places": 12, "per_person": 2, "who": "group", "who_note": "Kvinder"},
        )
        for n, name in enumerate(FIRST_NAMES[:14]):
            services.add_at_desk(
                booking=evening, by=coordinator, name=name, phone=f"3050{n:04}", people=1
            )
    meal = Booking.objects.filter(title="Fællesspisning med musik").first()
    if meal is not None and meal.status == Status.CONFIRMED:
        Sheet.objects.get_or_create(
            booking=meal, defaults={"places": 60, "per_person": 4, "bring": "Godt humør"}
        )
        for n, name in enumerate(FIRST_NAMES[:9]):
            services.add_at_desk(
                booking=meal, by=coordinator, name=name, phone=f"4060{n:04}", people=1 + n % 3
            )
