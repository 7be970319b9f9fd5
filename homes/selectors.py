"""What each role's home shows, read with a fixed number of queries whatever
the size of the house. Every rule is the one its own app keeps; this module
only counts and picks:

- requests waiting: the requests queue's rule (requested, not yet over);
- parallel activities: ``bookings.parallel.parallel_pairs`` for the coming seven days;
- collaborations waiting or disputed: the log's overall-state filters
  (``collaboration.log.views.STATUS_FILTERS``);
- the digest: ``collaboration.digest.send.missed`` and the failed deliveries;
- room use: ``bookings.room_use.room_use`` for this month;
- actors without a collaboration: ``collaboration.stats.queries.disconnected_rows``;
- today: ``centre.selectors.house_status`` and the front page's rows;
- a member's actors: ``actors.selectors.actor_ids_for``; who may book:
  ``bookings.permissions.bookable_actors``.

A person can hold several roles: the home shows one part per role held."""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from actors.models import Offer
from actors.selectors import actor_ids_for
from bookings import parallel, room_use
from bookings.calendar.views import front_page_rows
from bookings.models import Booking, Status
from bookings.permissions import bookable_actors
from centre.models import Centre
from centre.selectors import aware, house_status
from collaboration.digest import send
from collaboration.log.views import STATUS_FILTERS
from collaboration.models import (
    Collaboration,
    DigestDelivery,
    HouseRule,
    Meeting,
    Participation,
)
from collaboration.stats.queries import disconnected_rows

SIX_MONTHS = relativedelta(months=6)
SHOWN = 5  # rows of a list on a home; the rest are behind its link


def _url(name: str, **query) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


# --- the coordinator ----------------------------------------------------------------


@dataclass(frozen=True)
class RoomFigure:
    name: str
    slug: str
    hours: float
    share: float | None  # percent of the opening hours; None when the house never opens


@dataclass(frozen=True)
class CoordinatorHome:
    today: datetime.date
    requests_waiting: int
    parallel_pairs: int
    parallel_days: int
    collaborations_waiting: int
    collaborations_disputed: int
    digest_missed: datetime.date | None
    digest_failed: int
    digest_next: datetime.date
    busiest_room: RoomFigure | None
    quietest_room: RoomFigure | None
    disconnected: int
    status: object  # centre.selectors.HouseStatus
    now_on: list = field(default_factory=list)
    later_today: list = field(default_factory=list)
    bookings_today: int = 0
    urls: dict[str, str] = field(default_factory=dict)


def requests_waiting(actor_ids=None) -> int:
    """Booking requests a coordinator has not decided that are not over yet
    (the requests queue's rule), of ``actor_ids`` when given. One query."""
    waiting = Booking.objects.filter(status=Status.REQUESTED, end__gt=timezone.now())
    if actor_ids is not None:
        waiting = waiting.filter(actor_id__in=actor_ids)
    return waiting.count()


def collaborations_open() -> tuple[int, int]:
    """Collaborations with a part still waiting for an answer, and those with a
    disputed part, by the log's own filters. One query."""
    parts = Participation.objects.values("collaboration_id")
    figures = Collaboration.objects.aggregate(
        waiting=Count("pk", filter=STATUS_FILTERS["pending"](parts)),
        disputed=Count("pk", filter=STATUS_FILTERS["disputed"](parts)),
    )
    return figures["waiting"], figures["disputed"]


def room_extremes(today: datetime.date) -> tuple[RoomFigure | None, RoomFigure | None]:
    """The active rooms with the most and the least hours booked this month
    (room use's rule: confirmed bookings, cut to the month). Two queries."""
    report = room_use.room_use(room_use.period_for(room_use.MONTH, today))
    rooms = sorted(report.rooms, key=lambda r: (-r.hours_booked, r.name.casefold(), r.pk))
    if not rooms:
        return None, None
    figures = [RoomFigure(r.name, r.slug, r.hours_booked, r.share) for r in rooms]
    if len(figures) == 1:
        return figures[0], None
    return figures[0], figures[-1]


def coordinator_home(now: datetime.datetime | None = None) -> CoordinatorHome:
    """The numbers that matter to a coordinator today, each with the page it
    links to, and the house today, in a fixed number of queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    centre = Centre.load()
    first, last = parallel.default_period(1)
    days = parallel.parallel_pairs(first, last)
    waiting, disputed = collaborations_open()
    busiest, quietest = room_extremes(today)
    failed = DigestDelivery.objects.filter(status=DigestDelivery.Status.FAILED).count()
    rows = front_page_rows(now)
    tomorrow = today + datetime.timedelta(days=1)
    bookings_today = (
        Booking.objects.confirmed().filter(start__lt=aware(tomorrow), end__gt=aware(today)).count()
    )
    month = room_use.period_for(room_use.MONTH, today)
    return CoordinatorHome(
        today=today,
        requests_waiting=requests_waiting(),
        parallel_pairs=sum(len(day.pairs) for day in days),
        parallel_days=sum(1 for day in days if day.pairs),
        collaborations_waiting=waiting,
        collaborations_disputed=disputed,
        digest_missed=send.missed(centre, now),
        digest_failed=failed,
        digest_next=send.current_period(centre, now),
        busiest_room=busiest,
        quietest_room=quietest,
        disconnected=len(list(disconnected_rows(today, today))),
        status=house_status(now),
        now_on=rows["now_on"],
        later_today=rows["later_today"],
        bookings_today=bookings_today,
        urls={
            "requests": _url("bookings:requests"),
            "parallel": _url("bookings:parallel", weeks=1),
            "waiting": _url("collaboration:log", status="pending"),
            "disputed": _url("collaboration:log", status="disputed"),
            "digest": _url("collaboration:digest-preview"),
            "room_use": _url("bookings:room-use", period=month.kind, date=month.first.isoformat()),
            "disconnected": _url("collaboration:map") + "#disconnected-heading",
            "calendar_today": _url("bookings:calendar", view="list", date=today.isoformat()),
        },
    )


# --- the actor member ---------------------------------------------------------------


@dataclass(frozen=True)
class MemberHome:
    next_bookings: list
    requests_waiting: int
    answers_waiting: list
    answers_waiting_count: int
    stale_offers: list
    stale_offers_count: int
    stale_since: datetime.date
    can_book: bool


def member_home(user, now: datetime.datetime | None = None) -> MemberHome:
    """An actor member's home: my actors' next bookings and requests waiting,
    the collaborations waiting for my actors' answer, my actors' offers not
    touched in six months, and whether I may book. Eight queries at most."""
    now = now or timezone.now()
    mine = actor_ids_for(user)
    coming = Booking.objects.active().filter(actor_id__in=mine, end__gt=now)
    next_bookings = list(coming.select_related("room", "actor").order_by("start", "pk")[:SHOWN])
    answers = Participation.objects.filter(actor_id__in=mine, status=Participation.Status.PENDING)
    stale_since = timezone.localtime(now) - SIX_MONTHS
    stale = Offer.objects.filter(actor_id__in=mine, is_active=True, updated__lt=stale_since)
    counts = {
        "answers": answers.count(),
        "stale": stale.count(),
    }
    return MemberHome(
        next_bookings=next_bookings,
        requests_waiting=requests_waiting(mine),
        answers_waiting=list(
            answers.select_related("collaboration", "actor").order_by(
                "-collaboration__created", "actor__name"
            )[:SHOWN]
        ),
        answers_waiting_count=counts["answers"],
        stale_offers=list(stale.select_related("actor").order_by("updated", "pk")[:SHOWN]),
        stale_offers_count=counts["stale"],
        stale_since=stale_since.date(),
        can_book=bookable_actors(user).exists(),
    )


# --- the council member -------------------------------------------------------------


@dataclass(frozen=True)
class CouncilHome:
    latest_digest: datetime.date | None  # the week of the latest digest sent
    latest_digest_sent: datetime.datetime | None
    next_meeting: Meeting | None
    rules_to_vote: list
    rules_to_vote_count: int


def latest_digest_period() -> tuple[datetime.date | None, datetime.datetime | None]:
    """The week of the latest digest that went out, and when. One query."""
    row = (
        DigestDelivery.objects.filter(status=DigestDelivery.Status.SENT)
        .values("period")
        .annotate(sent=Max("sent_at"))
        .order_by("-period")
        .first()
    )
    return (row["period"], row["sent"]) if row else (None, None)


def council_home(today: datetime.date | None = None) -> CouncilHome:
    """The latest digest, the next meeting and the rules up for a vote. Four queries."""
    today = today or timezone.localdate()
    period, sent = latest_digest_period()
    proposed = HouseRule.objects.filter(status=HouseRule.Status.PROPOSED)
    return CouncilHome(
        latest_digest=period,
        latest_digest_sent=sent,
        next_meeting=Meeting.objects.filter(date__gte=today).order_by("date", "pk").first(),
        rules_to_vote=list(proposed.order_by("proposed_on", "pk")[:SHOWN]),
        rules_to_vote_count=proposed.count(),
    )
