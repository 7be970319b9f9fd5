"""The tests' factories and builders: factory-boy factories for every model the
tests make, and the few plain functions that put a moment or a week of opening
hours into the house."""

import contextlib
import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from actors.models import Actor, Invitation, Membership, Offer
from bookings.calendar import ical, texts
from bookings.models import Booking, Occupancy, Room, Status, Visibility
from centre.models import Centre, ClosedDay, OpeningHours, User
from centre.selectors import aware
from collaboration.log import services as log_services
from collaboration.models import CouncilMember, Form

PASSWORD = "a-long-test-password-42"


def local(day: datetime.date, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """``hour:minute`` on ``day`` in the house's time zone."""
    return aware(day, datetime.time(hour, minute))


def in_days(days: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """``hour:minute`` in the house's time zone, ``days`` from today."""
    return local(timezone.localdate() + datetime.timedelta(days=days), hour, minute)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="da_DK")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def add_totp(user: User) -> str:
    """Give the user a TOTP authenticator; returns its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Forening {n}")
    slug = factory.Sequence(lambda n: f"forening-{n}")
    kind = Actor.Kind.ASSOCIATION
    presence = Actor.Presence.REGULAR


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(ActorFactory)
    role = Membership.Role.MEMBER


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMember

    user = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(ActorFactory)
    role = CouncilMember.Role.MEMBER
    since = datetime.date(2025, 1, 1)


def digest_reader(email_address, language="da", verified=True, actor=None) -> User:
    """A council member with an address (verified or not): the digest's reader."""
    user = UserFactory(
        email=email_address, language=language, name=email_address.split("@")[0].title()
    )
    EmailAddress.objects.filter(user=user).update(verified=verified)
    if not EmailAddress.objects.filter(user=user).exists():
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    CouncilMemberFactory(user=user, actor=actor) if actor else CouncilMemberFactory(user=user)
    return user


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Lokale {n}")
    slug = factory.Sequence(lambda n: f"lokale-{n}")
    capacity = 20


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed public booking tomorrow 17:00 to 19:00, with its occupancy of the room.

    For calendar and statistics tests; booking rules are tested through the services."""

    class Meta:
        model = Booking
        skip_postgeneration_save = True

    room = factory.SubFactory(RoomFactory)
    actor = factory.SubFactory(ActorFactory)
    booked_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    start = factory.LazyFunction(lambda: in_days(1, 17))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    status = Status.CONFIRMED
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def occupy(self, create, extracted, **kwargs):
        if create and self.status == Status.CONFIRMED:
            Occupancy.objects.create(booking=self, room=self.room, start=self.start, end=self.end)

    @factory.post_generation
    def write_texts(self, create, extracted, **kwargs):
        # The calendar's and the feeds' texts, as the booking services write them.
        if create:
            texts.refresh([self.pk])


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    weekday = 0
    opens = datetime.time(9)
    closes = datetime.time(17)


def opening_hours(weekdays, *intervals: tuple[datetime.time, datetime.time]) -> None:
    """The house opens for each ``(opens, closes)`` interval on each of ``weekdays``
    (0 is Monday)."""
    for weekday in weekdays:
        for opens, closes in intervals:
            OpeningHoursFactory(weekday=weekday, opens=opens, closes=closes)


def open_weekdays() -> None:
    """A house's usual week: Monday to Friday 09-12 and 13-21, closed at the weekend."""
    opening_hours(
        range(5),
        (datetime.time(9), datetime.time(12)),
        (datetime.time(13), datetime.time(21)),
    )


class ClosedDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosedDay

    date = datetime.date(2030, 7, 1)
    name = "Sommerlukket"
    source = ClosedDay.Source.HOUSE


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    actor = factory.SubFactory(ActorFactory)
    title = factory.Sequence(lambda n: f"Lektiecafé {n}")
    is_active = True

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_groups.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create and extracted:
            self.languages.set(extracted)


def log_collaboration(by, mine, *others, **fields):
    """A collaboration logged through the log's service by ``by`` for their
    actor ``mine`` with the actors ``others``: a meeting today unless ``fields`` say otherwise."""
    fields = {"title": "Fælles møde", "form": Form.KNOWLEDGE, **fields}
    return log_services.collaboration_log(
        by=by, on_behalf_of=mine, actors=[mine, *others], **fields
    )


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    actor = factory.SubFactory(ActorFactory)
    email = factory.Sequence(lambda n: f"inviteret{n}@example.org")
    role = Membership.Role.MEMBER


def next_weekday(weekday: int, weeks: int = 0) -> datetime.date:
    """The first ``weekday`` (0 is Monday) after today, ``weeks`` weeks on."""
    today = timezone.localdate()
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + datetime.timedelta(days=ahead, weeks=weeks)


@contextlib.contextmanager
def booking_window(days: int):
    """The house books ``days`` ahead while the block runs, then as before: a
    series asked for inside it runs on but is booked only that far, as when
    the house's window was shorter, and the periodic task books the rest."""
    before = Centre.load().booking_window_days
    Centre.objects.filter(pk=1).update(booking_window_days=days)
    try:
        yield
    finally:
        Centre.objects.filter(pk=1).update(booking_window_days=before)


def weekly_series(by, room, actor, *, first_day=None, weeks=None, booked_weeks=None, **extra):
    """A weekly series asked for through the booking service: every Wednesday
    from next week's (or ``first_day``), 17:00-19:00, for ``weeks`` weeks (its
    last day) or as far ahead as the house allows; with ``booked_weeks``, a
    series with no last day booked only that many weeks so far
    (`booking_window`). ``extra`` goes to `services.series_request`."""
    from bookings import services

    first_day = first_day or next_weekday(2)
    until = first_day + datetime.timedelta(weeks=weeks - 1) if weeks else None
    window = contextlib.nullcontext()
    if booked_weeks:
        days = (first_day - timezone.localdate()).days + 7 * (booked_weeks - 1)
        window = booking_window(days)
    with window:
        return services.series_request(
            by=by,
            room=room,
            actor=actor,
            title=extra.pop("title", "Kvindecafé"),
            rule=extra.pop("rule", "FREQ=WEEKLY"),
            first_day=first_day,
            start_time=extra.pop("start_time", datetime.time(17)),
            end_time=extra.pop("end_time", datetime.time(19)),
            until=until,
            **extra,
        )


def series_dates(series) -> list:
    """A series' dates, first to last."""
    return list(series.occurrences.order_by("start"))


def season_round(rooms, *, open_now=False, weeks=10, **fields):
    """A season round over ``rooms`` starting next Monday for ``weeks`` weeks;
    its window closed an hour ago (open now with ``open_now``)."""
    from seasons.models import Round

    monday = next_weekday(0)
    now = timezone.now()
    round_ = Round.objects.create(
        name=fields.pop("name", "Sæson"),
        season_start=monday,
        season_end=monday + datetime.timedelta(weeks=weeks, days=-1),
        applications_open=now - datetime.timedelta(days=7),
        applications_close=now + datetime.timedelta(days=1)
        if open_now
        else now - datetime.timedelta(hours=1),
        **fields,
    )
    round_.rooms.set(rooms)
    return round_


def close_applications(round_):
    """The round's application window closed (a day after it opened), as
    the proposal needs it; the round read again."""
    from seasons.models import Round

    Round.objects.filter(pk=round_.pk).update(
        applications_close=round_.applications_open + datetime.timedelta(days=1)
    )
    round_.refresh_from_db()
    return round_


def decisions_by_title(round_) -> dict:
    """The round's decisions by their wish's title."""
    from seasons.selectors import decisions_of

    return {decision.wish.title: decision for decision in decisions_of(round_)}


def wish(target="adults", **fields) -> dict:
    """The fields of one wish, as `seasons.services.application_save` takes them."""
    from actors.models import TargetGroup

    group, _ = TargetGroup.objects.get_or_create(slug=target, defaults={"name": target})
    return {
        "title": "Aktivitet",
        "room": None,
        "weekday": 0,
        "start_time": datetime.time(17),
        "minutes": 60,
        "people": 10,
        "target_group": group,
        "preference": 1,
        **fields,
    }


def signups_form_data(places=10, per_person=4, closes_hours_before=0, **extra):
    """What the booking form's sign-up group posts when it takes sign-ups from
    anyone; ``extra`` names its other fields without the prefix."""
    fields = {
        "take": "on",
        "places": str(places),
        "closes_hours_before": str(closes_hours_before),
        "per_person": str(per_person),
        "who": "anyone",
        **extra,
    }
    return {f"signups-{name}": value for name, value in fields.items()}


def booking_form_data(actor, room, days=3, **extra):
    """What the booking form posts for a one-off public booking in ``days`` days, 17-19."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return {
        "actor": actor.pk,
        "room": room.pk,
        "title": "Kvindecafé",
        "date": day.isoformat(),
        "start_time": "17:00",
        "end_time": "19:00",
        "repeat": "none",
        "visibility": "public",
        "skip_closed_days": "on",
        **extra,
    }


def vevent(start: datetime.datetime, **changes) -> str:
    """One event as bookings.calendar.ical writes it: an hour from ``start``,
    confirmed, in Salen, without a description; ``changes`` replace any of it."""
    values = {
        "uid": "booking-1@samhus.test",
        "summary": "Yoga",
        "start": start,
        "end": start + datetime.timedelta(hours=1),
        "stamp": start,
        "sequence": 0,
        "description": "",
        "location": "Salen",
        "status": "CONFIRMED",
        "url": "https://samhus.test/calendar/activities/1/",
    }
    return ical.vevent(**{**values, **changes})
