"""The permission matrix (issue #8, item 1): every named URL of Samhus, for every
persona, with the status each must get; refused POSTs change nothing; every
POST needs a CSRF token except the one-click digest unsubscribe.

The URLconf is walked with ``django.urls.get_resolver()``; each named pattern
must have an entry in ``MATRIX`` (a meta-test fails otherwise), and a GET that
answers 200 to an anonymous visitor must be on ``PUBLIC`` (and nothing on
``PUBLIC`` may require a login).

Skipped patterns, tested elsewhere:

- ``admin:*`` (the Django admin, superusers only, behind allauth's login with
  two-factor) and the admin's unnamed object URLs;
- allauth's ``account_*``, ``mfa_*`` and ``socialaccount_*`` (sign-in, sign-up,
  e-mail, password, two-factor pages: allauth's own views and
  tests/centre/test_accounts.py);
- unnamed patterns (only the admin has any).

Personas: anonymous; resident (signed in, no actor, no seat); member of actor
A and member of actor B (each an administrator of their actor, the strongest
actor role, so "B on A's objects" is tested with the most B can be);
council member (an ordinary seat, no actor membership); coordinator (with
TOTP). The collaboration is between A and a third actor C, so B is an
outsider to it. Expected statuses follow what each view does (see
centre/permissions.py, actors/permissions.py, bookings/permissions.py,
collaboration/permissions.py).

The objects are made once per module inside an outer transaction that is
rolled back at the end; each test runs in its own savepoint.
"""

import contextlib
import datetime
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actors.models import Invitation, Membership, Offer
from bookings.models import BookingSeries, Status, Visibility
from centre.models import ClosedDay
from collaboration import council
from collaboration.digest import unsubscribe_token
from collaboration.log import services
from collaboration.models import DigestDelivery, DigestIssue, Form, Goal, Meeting, SharingPost
from collaboration.sharing import services as sharing
from signups import services as signup_services
from signups.models import Sheet
from tests.factories import (
    ActorFactory,
    BookingFactory,
    CouncilMemberFactory,
    MembershipFactory,
    RoomFactory,
    UserFactory,
    add_totp,
    opening_hours,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "resident", "member_a", "member_b", "council", "coordinator")
SKIPPED_NAMESPACES = ("admin",)
SKIPPED_PREFIXES = ("account_", "mfa_", "socialaccount_")
CSRF_EXEMPT = {"collaboration:digest-unsubscribe"}

LOGIN = "login"  # 302 to /accounts/login/?next=<the page>
SIGNUP = "signup"  # 302 to /accounts/signup/ (an invitation for a new address)
OK = 200
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
ALLOWED = "allowed"  # POST: this persona may do it (not a refusal)

# The pages an anonymous visitor may open. Anything else must refuse them.
PUBLIC = {
    "centre:healthz",
    "centre:privacy",
    "actors:actor-list",
    "actors:actor-detail",
    "actors:offer-list",
    "bookings:home",
    "bookings:calendar",
    "bookings:feed-ics",
    "bookings:feed-json",
    "bookings:activity",
    "bookings:activity-ics",
    "bookings:screen",
    "bookings:room-list",
    "bookings:room-detail",
    "collaboration:figures",
    "collaboration:house-rules",
    "collaboration:digest-unsubscribe",  # the signed token is the key
    "signups:signup",
    "signups:confirm",  # the token in the mail is the key
    "signups:cancel",  # the token in the mail is the key
}


def per(anonymous, resident, member_a, member_b, council_, coordinator) -> dict[str, Any]:
    return dict(
        zip(PERSONAS, (anonymous, resident, member_a, member_b, council_, coordinator), strict=True)
    )


EVERYONE = per(OK, OK, OK, OK, OK, OK)
SIGNED_IN = per(LOGIN, OK, OK, OK, OK, OK)
COORDINATOR_ONLY = per(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
ACTOR_A_ONLY = per(LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, OK)
POST_ONLY = per(*(NOT_ALLOWED,) * 6)  # require_POST is the outer decorator
# POST refusals
POST_EVERYONE = per(*(ALLOWED,) * 6)
POST_SIGNED_IN = per(LOGIN, *(ALLOWED,) * 5)
POST_COORDINATOR_ONLY = per(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ALLOWED)
POST_ACTOR_A_ONLY = per(LOGIN, NOT_FOUND, ALLOWED, NOT_FOUND, NOT_FOUND, ALLOWED)


@dataclass
class Entry:
    get: dict[str, Any]
    post: dict[str, Any] | None = None  # None: the pattern takes no POST
    kwargs: Any = None  # world -> dict of URL kwargs
    query: str = ""
    payload: Any = None  # world -> dict, a plausible form for the POST
    methods: tuple = field(init=False)

    def __post_init__(self):
        self.methods = ("GET", "POST") if self.post else ("GET",)


def today(days=0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


MATRIX: dict[str, Entry] = {
    # --- centre -------------------------------------------------------------------------
    "centre:healthz": Entry(EVERYONE),
    "centre:privacy": Entry(EVERYONE),
    "centre:set-language": Entry(
        POST_ONLY, POST_EVERYONE, payload=lambda w: {"language": "en", "next": "/"}
    ),
    "centre:profile": Entry(
        SIGNED_IN, POST_SIGNED_IN, payload=lambda w: {"name": "Nyt Navn", "language": "en"}
    ),
    "centre:house": Entry(COORDINATOR_ONLY),
    "centre:centre-edit": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        payload=lambda w: {
            "name": "Overtaget Hus",
            "kind": "association",
            "address": "Vej 1",
            "postcode": "8000",
            "city": "Aarhus",
            "booking_window_days": 90,
            "weekly_quota_hours": 10,
            "cancellation_deadline_hours": 24,
            "digest_weekday": 0,
            "digest_time": "08:00",
        },
    ),
    "centre:design": Entry(COORDINATOR_ONLY),
    "bookings:hours-edit": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        # Open all day every day: no booking falls outside, so it saves at once.
        payload=lambda w: {
            "form-TOTAL_FORMS": 7,
            "form-INITIAL_FORMS": 0,
            "form-MIN_NUM_FORMS": 0,
            "form-MAX_NUM_FORMS": 1000,
            **{f"form-{d}-weekday": d for d in range(7)},
            **{f"form-{d}-opens": "00:00" for d in range(7)},
            **{f"form-{d}-closes": "23:59" for d in range(7)},
        },
    ),
    "bookings:closedday-create": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        payload=lambda w: {"date": today(40), "name": "Lukket af en fremmed", "observed": "on"},
    ),
    "bookings:closedday-edit": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["closed_day"].pk},
        payload=lambda w: {"date": today(41), "name": "Omdøbt", "observed": "on"},
    ),
    "bookings:closedday-delete": Entry(
        POST_ONLY, POST_COORDINATOR_ONLY, kwargs=lambda w: {"pk": w["closed_day"].pk}
    ),
    "bookings:holidays-fill": Entry(POST_ONLY, POST_COORDINATOR_ONLY),
    "bookings:closedday-restore": Entry(
        COORDINATOR_ONLY, POST_COORDINATOR_ONLY, kwargs=lambda w: {"day": today(50)}
    ),
    "bookings:room-out-of-use": Entry(
        COORDINATOR_ONLY, POST_COORDINATOR_ONLY, kwargs=lambda w: {"slug": w["spare_room"].slug}
    ),
    # --- actors -------------------------------------------------------------------------
    "actors:actor-list": Entry(EVERYONE),
    "actors:actor-create": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        payload=lambda w: {
            "name": "Falsk Forening",
            "slug": "falsk-forening",
            "kind": "association",
            "presence": "regular",
            "description": "x",
            "contact_email": "x@example.org",
        },
    ),
    "actors:actor-detail": Entry(EVERYONE, kwargs=lambda w: {"slug": w["actor_a"].slug}),
    "actors:actor-edit": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"slug": w["actor_a"].slug},
        payload=lambda w: {
            "name": "Overtaget",
            "slug": w["actor_a"].slug,
            "kind": "association",
            "presence": "regular",
            "description": "Ændret af en fremmed",
            "contact_email": "x@example.org",
        },
    ),
    # Actors' pages are public, so archive/restore may say 403 (existence is no secret).
    "actors:actor-archive": Entry(
        POST_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"slug": w["actor_a"].slug},
        payload=lambda w: {"confirm": "1"},
    ),
    "actors:actor-restore": Entry(
        POST_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"slug": w["archived_actor"].slug},
    ),
    "actors:member-list": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"slug": w["actor_a"].slug},
        payload=lambda w: {"email": "intruder@example.org", "role": "admin"},
    ),
    "actors:offer-create": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"slug": w["actor_a"].slug},
        payload=lambda w: {"title": "Falsk tilbud", "description": "x", "is_active": "on"},
    ),
    "actors:member-role": Entry(
        POST_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["plain_membership_a"].pk},
        payload=lambda w: {"role": "admin"},
    ),
    "actors:member-remove": Entry(
        POST_ONLY, POST_ACTOR_A_ONLY, kwargs=lambda w: {"pk": w["plain_membership_a"].pk}
    ),
    "actors:invitation-revoke": Entry(
        POST_ONLY, POST_ACTOR_A_ONLY, kwargs=lambda w: {"pk": w["invitation_a"].pk}
    ),
    # The token is the key: anyone signed in who holds it may accept it.
    "actors:invitation-accept": Entry(
        per(SIGNUP, OK, OK, OK, OK, OK),
        per(SIGNUP, *(ALLOWED,) * 5),
        kwargs=lambda w: {"token": w["invitation_a"].token},
        payload=lambda w: {},
    ),
    "actors:offer-list": Entry(EVERYONE),
    "actors:offer-edit": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["offer_a"].pk},
        payload=lambda w: {"title": "Overtaget tilbud", "description": "x", "is_active": "on"},
    ),
    "actors:offer-translations": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["offer_a"].pk},
        payload=lambda w: {"title_en": "Taken over", "title_ar": "", "description_en": ""},
    ),
    "actors:vocabulary": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        payload=lambda w: {"kind": "theme", "name": "Falsk tema"},
    ),
    "actors:my-actors": Entry(SIGNED_IN),
    # --- bookings -----------------------------------------------------------------------
    "bookings:home": Entry(EVERYONE),
    "bookings:calendar": Entry(EVERYONE),
    "bookings:feed-ics": Entry(EVERYONE),
    "bookings:feed-json": Entry(EVERYONE),
    "bookings:activity": Entry(EVERYONE, kwargs=lambda w: {"pk": w["booking_a"].pk}),
    "bookings:activity-ics": Entry(EVERYONE, kwargs=lambda w: {"pk": w["booking_a"].pk}),
    "bookings:parallel": Entry(COORDINATOR_ONLY),
    "bookings:screen": Entry(EVERYONE),
    "bookings:room-use": Entry(COORDINATOR_ONLY),
    "bookings:room-use-csv": Entry(COORDINATOR_ONLY),
    "bookings:room-list": Entry(EVERYONE),
    "bookings:room-create": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        payload=lambda w: {
            "name": "Falsk lokale",
            "slug": "falsk",
            "capacity": 5,
            "buffer_minutes": 0,
            "is_active": "on",
        },
    ),
    "bookings:facilities": Entry(
        COORDINATOR_ONLY, POST_COORDINATOR_ONLY, payload=lambda w: {"name": "Falsk facilitet"}
    ),
    "bookings:room-detail": Entry(EVERYONE, kwargs=lambda w: {"slug": w["room"].slug}),
    "bookings:room-edit": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"slug": w["room"].slug},
        payload=lambda w: {
            "name": "Overtaget",
            "slug": w["room"].slug,
            "capacity": 1,
            "buffer_minutes": 0,
            "is_active": "on",
        },
    ),
    "bookings:booking-create": Entry(
        per(LOGIN, FORBIDDEN, OK, OK, FORBIDDEN, OK),
        per(LOGIN, FORBIDDEN, ALLOWED, ALLOWED, FORBIDDEN, ALLOWED),
        payload=lambda w: {
            "actor": w["actor_a"].pk,
            "room": w["room"].pk,
            "title": "Snigbooking",
            "date": today(3),
            "start_time": "10:00",
            "end_time": "11:00",
            "repeat": "none",
            "visibility": "public",
            "description": "",
        },
    ),
    "bookings:my-bookings": Entry(SIGNED_IN),
    "bookings:requests": Entry(COORDINATOR_ONLY),
    "bookings:booking-detail": Entry(ACTOR_A_ONLY, kwargs=lambda w: {"pk": w["booking_a"].pk}),
    "bookings:booking-edit": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["booking_a"].pk},
        payload=lambda w: {
            "title": "Overtaget",
            "description": "",
            "visibility": "public",
            "start_time": "17:00",
            "end_time": "19:00",
            "scope": "one",
        },
    ),
    "bookings:booking-translations": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["booking_a"].pk},
        payload=lambda w: {"title_en": "Taken over", "title_ar": "", "description_en": ""},
    ),
    "bookings:booking-move": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["booking_a"].pk},
        payload=lambda w: {
            "date": today(4),
            "start_time": "10:00",
            "end_time": "12:00",
            "room": w["room"].pk,
        },
    ),
    "bookings:booking-cancel": Entry(
        POST_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["booking_a"].pk},
        payload=lambda w: {"scope": "one"},
    ),
    "bookings:booking-approve": Entry(
        POST_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["request_a"].pk},
        payload=lambda w: {"scope": "one", "from": "detail"},
    ),
    "bookings:booking-decline": Entry(
        POST_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["request_a"].pk},
        payload=lambda w: {"scope": "one", "reason": "Nej"},
    ),
    "bookings:date-release": Entry(
        POST_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["series_date_a"].pk},
        payload=lambda w: {"from": "series"},
    ),
    "bookings:series-readd": Entry(
        POST_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["booking_a"].pk},
        payload=lambda w: {"day": today(8)},
    ),
    "bookings:series-detail": Entry(ACTOR_A_ONLY, kwargs=lambda w: {"pk": w["series_a"].pk}),
    "bookings:series-extend": Entry(
        POST_ONLY, POST_ACTOR_A_ONLY, kwargs=lambda w: {"pk": w["series_a"].pk}
    ),
    "bookings:series-translations": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["series_a"].pk},
        payload=lambda w: {"title_en": "Taken over", "title_ar": "", "description_en": ""},
    ),
    "bookings:fair-use": Entry(COORDINATOR_ONLY),
    # --- seasons ------------------------------------------------------------------------
    "seasons:round-list": Entry(SIGNED_IN),
    "seasons:round-create": Entry(
        COORDINATOR_ONLY, POST_COORDINATOR_ONLY, payload=lambda w: round_payload(w)
    ),
    "seasons:round-detail": Entry(SIGNED_IN, kwargs=lambda w: {"pk": w["open_round"].pk}),
    "seasons:round-edit": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["open_round"].pk},
        payload=lambda w: round_payload(w),
    ),
    "seasons:application-edit": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["open_round"].pk, "actor": w["actor_a"].slug},
        payload=lambda w: {
            "wishes-TOTAL_FORMS": 1,
            "wishes-INITIAL_FORMS": 0,
            "wishes-0-title": "Lektiecafé",
            "wishes-0-room": w["room"].pk,
            "wishes-0-weekday": 1,
            "wishes-0-start_time": "15:00",
            "wishes-0-minutes": 90,
            "wishes-0-people": 12,
            "wishes-0-target_group": w["target_group"].pk,
            "wishes-0-preference": 1,
        },
    ),
    "seasons:proposal": Entry(COORDINATOR_ONLY, kwargs=lambda w: {"pk": w["closed_round"].pk}),
    "seasons:propose": Entry(
        per(LOGIN, *(FORBIDDEN,) * 4, NOT_ALLOWED),
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["closed_round"].pk},
    ),
    "seasons:publish": Entry(
        per(LOGIN, *(FORBIDDEN,) * 4, NOT_ALLOWED),
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["closed_round"].pk},
    ),
    "seasons:decisions-csv": Entry(COORDINATOR_ONLY, kwargs=lambda w: {"pk": w["closed_round"].pk}),
    "seasons:fair-use": Entry(COORDINATOR_ONLY, kwargs=lambda w: {"pk": w["closed_round"].pk}),
    "seasons:decision-edit": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["decision"].pk},
        payload=lambda w: {"outcome": "refused", "reason": "Ingen plads"},
    ),
    "seasons:date-release": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["series_date_a"].pk},
        payload=lambda w: {"answer": "keep"},
    ),
    "seasons:no-show": Entry(
        per(LOGIN, *(FORBIDDEN,) * 4, NOT_ALLOWED),
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["booking_a"].pk},
        payload=lambda w: {"note": "Ingen kom"},
    ),
    "seasons:waiting-create": Entry(
        SIGNED_IN,
        per(LOGIN, OK, ALLOWED, OK, OK, ALLOWED),
        payload=lambda w: {
            "actor": w["actor_a"].pk,
            "room": w["room"].pk,
            "weekday": 2,
            "start_time": "16:00",
            "end_time": "18:00",
        },
    ),
    "seasons:offer": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["season_offer_a"].pk},
        payload=lambda w: {"answer": "decline"},
    ),
    "seasons:room-ask": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"slug": w["room"].slug},
        payload=lambda w: {"days_before": 3},
    ),
    # --- collaboration ------------------------------------------------------------------
    "collaboration:log": Entry(SIGNED_IN),
    "collaboration:create": Entry(
        per(LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, OK),
        per(LOGIN, NOT_FOUND, ALLOWED, ALLOWED, NOT_FOUND, ALLOWED),
        payload=lambda w: {
            "on_behalf_of": w["actor_a"].pk,
            "title": "Falsk samarbejde",
            "form": Form.KNOWLEDGE,
            "others": [w["actor_c"].pk],
            "started": today(),
            "phase": "implementation",
            "goals-TOTAL_FORMS": 0,
            "goals-INITIAL_FORMS": 0,
        },
    ),
    "collaboration:quick": Entry(
        per(LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, OK),
        per(LOGIN, NOT_FOUND, ALLOWED, ALLOWED, NOT_FOUND, ALLOWED),
        payload=lambda w: {
            "kind": "meeting",
            "on_behalf_of": w["actor_a"].pk,
            "others": [w["actor_c"].pk],
            "day": today(),
            "what": "Falsk",
        },
    ),
    "collaboration:detail": Entry(ACTOR_A_ONLY, kwargs=lambda w: {"pk": w["collaboration"].pk}),
    "collaboration:edit": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["collaboration"].pk},
        payload=lambda w: {
            "title": "Overtaget",
            "form": Form.KNOWLEDGE,
            "started": today(-5),
            "lead": w["actor_a"].pk,
            "phase": "implementation",
            "description": "x",
        },
    ),
    # login_required is the outer decorator: anonymous is sent to sign in even on GET.
    "collaboration:answer": Entry(
        per(LOGIN, *(NOT_ALLOWED,) * 5),
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["collaboration"].pk},
        payload=lambda w: {"actor": w["actor_c"].pk, "confirm": "no", "note": "Bestridt"},
    ),
    "collaboration:goal-judge": Entry(
        per(LOGIN, *(NOT_ALLOWED,) * 5),
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["goal"].pk},
        payload=lambda w: {"status": Goal.Status.MET},
    ),
    "collaboration:map": Entry(per(LOGIN, FORBIDDEN, OK, OK, OK, OK)),
    "collaboration:map-csv": Entry(per(LOGIN, FORBIDDEN, OK, OK, OK, OK)),
    # An actor's summary names its collaborations: its own people and coordinators only.
    "collaboration:summary": Entry(
        per(LOGIN, FORBIDDEN, OK, NOT_FOUND, NOT_FOUND, OK), query="actor=kvindeforum"
    ),
    "collaboration:figures": Entry(EVERYONE),
    # --- signups ------------------------------------------------------------------------
    "signups:signup": Entry(
        EVERYONE,
        POST_EVERYONE,
        kwargs=lambda w: {"pk": w["booking_a"].pk},
        payload=lambda w: {"name": "Ny", "email": "ny.beboer@example.org", "people": 1},
    ),
    "signups:confirm": Entry(
        EVERYONE, POST_EVERYONE, kwargs=lambda w: {"token": w["held_a"].token}
    ),
    "signups:cancel": Entry(EVERYONE, POST_EVERYONE, kwargs=lambda w: {"token": w["held_a"].token}),
    "signups:list": Entry(ACTOR_A_ONLY, kwargs=lambda w: {"pk": w["booking_a"].pk}),
    "signups:desk": Entry(
        POST_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["booking_a"].pk},
        payload=lambda w: {"name": "Karen", "phone": "12345678", "people": 1},
    ),
    "signups:settings": Entry(
        POST_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["booking_a"].pk},
        payload=lambda w: {
            "places": 5,
            "closes_hours_before": 0,
            "per_person": 3,
            "who": "anyone",
            "waiting_list": "on",
        },
    ),
    "signups:attendance": Entry(
        POST_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["booking_a"].pk},
        payload=lambda w: {"total": 12, "children": 3},
    ),
    "signups:entry-cancel": Entry(
        POST_ONLY, POST_ACTOR_A_ONLY, kwargs=lambda w: {"pk": w["desk_a"].pk}
    ),
    "collaboration:sharing": Entry(SIGNED_IN),
    "collaboration:sharing-create": Entry(
        per(LOGIN, FORBIDDEN, OK, OK, FORBIDDEN, OK),
        per(LOGIN, FORBIDDEN, ALLOWED, ALLOWED, FORBIDDEN, ALLOWED),
        payload=lambda w: {
            "actor": w["actor_a"].pk,
            "direction": "offer",
            "category": "equipment",
            "title": "Falsk",
            "expires_on": today(7),
        },
    ),
    # Every signed-in person reads an open post and may answer it for their own actor.
    "collaboration:sharing-detail": Entry(SIGNED_IN, kwargs=lambda w: {"pk": w["post_a"].pk}),
    # Without an actor to answer for (or only the poster's own), the form is shown again.
    "collaboration:sharing-answer": Entry(
        POST_ONLY,
        per(LOGIN, OK, OK, ALLOWED, OK, ALLOWED),
        kwargs=lambda w: {"pk": w["post_a"].pk},
        payload=lambda w: {"actor": w["actor_b"].pk, "message": "Vi kan låne den"},
    ),
    "collaboration:sharing-done": Entry(
        POST_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["post_a"].pk},
        payload=lambda w: {"with_actor": w["actor_b"].pk},
    ),
    "collaboration:sharing-withdraw": Entry(
        POST_ONLY, POST_ACTOR_A_ONLY, kwargs=lambda w: {"pk": w["post_a"].pk}
    ),
    "collaboration:sharing-translations": Entry(
        ACTOR_A_ONLY,
        POST_ACTOR_A_ONLY,
        kwargs=lambda w: {"pk": w["post_a"].pk},
        payload=lambda w: {"title_en": "Taken over", "title_ar": "", "description_en": ""},
    ),
    "collaboration:council": Entry(SIGNED_IN),
    "collaboration:council-member-create": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        payload=lambda w: {"user": w["resident"].pk, "role": "member", "since": today()},
    ),
    "collaboration:council-member-edit": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["seat"].pk},
        payload=lambda w: {"user": w["council"].pk, "role": "chair", "since": "2025-01-01"},
    ),
    "collaboration:rule-create": Entry(
        per(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
        per(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ALLOWED, ALLOWED),
        payload=lambda w: {"title": "Falsk regel", "text": "Ingen regler."},
    ),
    "collaboration:rule": Entry(SIGNED_IN, kwargs=lambda w: {"pk": w["rule"].pk}),
    "collaboration:rule-translations": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["rule"].pk},
        payload=lambda w: {"title_en": "Quiet after 22", "text_ar": "الهدوء بعد الساعة 22"},
    ),
    "collaboration:rule-vote": Entry(
        POST_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["rule"].pk},
        payload=lambda w: {
            "votes_for": 1,
            "votes_against": 0,
            "votes_abstain": 0,
            "voted_on": today(),
        },
    ),
    "collaboration:rule-repeal": Entry(
        POST_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["adopted_rule"].pk},
        payload=lambda w: {"repealed_on": today()},
    ),
    "collaboration:meeting-create": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        payload=lambda w: {
            "date": today(10),
            "title": "Falsk møde",
            "agenda": "x",
            "decisions-TOTAL_FORMS": 0,
            "decisions-INITIAL_FORMS": 0,
        },
    ),
    "collaboration:meeting": Entry(SIGNED_IN, kwargs=lambda w: {"pk": w["meeting"].pk}),
    "collaboration:meeting-edit": Entry(
        COORDINATOR_ONLY,
        POST_COORDINATOR_ONLY,
        kwargs=lambda w: {"pk": w["meeting"].pk},
        payload=lambda w: {
            "date": w["meeting"].date.isoformat(),
            "title": "Overtaget",
            "agenda": "x",
            "decisions-TOTAL_FORMS": 0,
            "decisions-INITIAL_FORMS": 0,
        },
    ),
    "collaboration:house-rules": Entry(EVERYONE),
    "collaboration:digest-settings": Entry(
        SIGNED_IN, POST_SIGNED_IN, payload=lambda w: {"subscribed": "", "sections": []}
    ),
    "collaboration:digest-preview": Entry(COORDINATOR_ONLY),
    # coordinator_required is outside require_POST: a coordinator's GET gets 405.
    "collaboration:digest-send-now": Entry(
        per(LOGIN, *(FORBIDDEN,) * 4, NOT_ALLOWED),
        POST_COORDINATOR_ONLY,
        payload=lambda w: {"confirm": "1"},
    ),
    "collaboration:digest-resend": Entry(
        per(LOGIN, *(FORBIDDEN,) * 4, NOT_ALLOWED),
        POST_COORDINATOR_ONLY,
        payload=lambda w: {"delivery": w["failed_digest"].pk},
    ),
    "collaboration:digest-unsubscribe": Entry(
        EVERYONE,
        POST_EVERYONE,
        kwargs=lambda w: {"token": unsubscribe_token(w["member_a"])},
        payload=lambda w: {"List-Unsubscribe": "One-Click"},
    ),
    # --- homes: each role's home; someone with no role is told how to get one ---------
    "homes:home": Entry(SIGNED_IN),
    "homes:digest": Entry(SIGNED_IN),
    # The archive of sent issues: council members and coordinators.
    "homes:digest-archive": Entry(per(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)),
    "homes:digest-issue": Entry(
        per(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
        kwargs=lambda w: {"pk": w["digest_issue"].pk},
    ),
}


def round_payload(w) -> dict:
    start = timezone.localdate() + datetime.timedelta(days=60)
    return {
        "name": "Efterår",
        "season_start": start.isoformat(),
        "season_end": (start + datetime.timedelta(days=120)).isoformat(),
        "rooms": [w["room"].pk],
        "applications_open": f"{today()}T08:00",
        "applications_close": f"{today(30)}T12:00",
        "youth_first": "on",
        "offpeak_share": 25,
        "peak_start": "16:00",
        "peak_end": "20:00",
        "note": "Velkommen",
    }


# --- the URLconf ------------------------------------------------------------------------------


def _walk(resolver, namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace, pattern.name


def collected_names() -> set[str]:
    names = set()
    for namespace, name in _walk(get_resolver()):
        if namespace and namespace.split(":")[0] in SKIPPED_NAMESPACES:
            continue
        if not namespace and name.startswith(SKIPPED_PREFIXES):
            continue
        names.add(f"{namespace}:{name}" if namespace else name)
    return names


# --- the world ----------------------------------------------------------------------------------


def _build_world() -> dict[str, Any]:
    actor_a = ActorFactory(name="Kvindeforum", slug="kvindeforum")
    actor_b = ActorFactory(name="Basen", slug="basen")
    actor_c = ActorFactory(name="Café Sumak", slug="cafe-sumak")
    archived_actor = ActorFactory(
        name="Gammel Klub",
        slug="gammel-klub",
        joined_on=datetime.date(2020, 1, 1),
        left_on=datetime.date(2024, 1, 1),
    )
    opening_hours(range(7), (datetime.time(8), datetime.time(22)))
    member_a = MembershipFactory(
        user__email="a@example.org", actor=actor_a, role=Membership.Role.ADMIN
    ).user
    member_b = MembershipFactory(
        user__email="b@example.org", actor=actor_b, role=Membership.Role.ADMIN
    ).user
    member_c = MembershipFactory(user__email="c@example.org", actor=actor_c).user
    plain_membership_a = MembershipFactory(user__email="plain.a@example.org", actor=actor_a)
    resident = UserFactory(email="resident@example.org")
    seat = CouncilMemberFactory(user__email="council@example.org", actor=actor_a)
    coordinator = UserFactory(email="koordinator@example.org", is_coordinator=True)
    add_totp(coordinator)

    room = RoomFactory(name="Multisalen", slug="multisalen")
    spare_room = RoomFactory(name="Depotet", slug="depotet")
    booking_a = BookingFactory(actor=actor_a, room=room, booked_by=member_a, title="A's aften")
    request_a = BookingFactory(
        actor=actor_a,
        room=room,
        booked_by=member_a,
        status=Status.REQUESTED,
        visibility=Visibility.INTERNAL,
        start=booking_a.start + datetime.timedelta(days=2),
        end=booking_a.end + datetime.timedelta(days=2),
    )
    week = timezone.localdate() + datetime.timedelta(days=7)
    series_a = BookingSeries.objects.create(
        room=room,
        actor=actor_a,
        booked_by=member_a,
        title="A's serie",
        rrule="FREQ=WEEKLY",
        first_day=week,
        start_time=datetime.time(10),
        end_time=datetime.time(11),
        materialised_until=week,
    )
    BookingFactory(
        series=series_a,
        actor=actor_a,
        room=room,
        booked_by=member_a,
        title="A's serie",
        start=booking_a.start.replace(hour=10) + datetime.timedelta(days=6),
        end=booking_a.start.replace(hour=11) + datetime.timedelta(days=6),
    )
    offer_a = Offer.objects.create(actor=actor_a, title="Lektiehjælp")
    invitation_a = Invitation.objects.create(
        actor=actor_a, email="ny@example.org", invited_by=member_a
    )
    closed_day = ClosedDay.objects.create(
        date=timezone.localdate() + datetime.timedelta(days=30), name="Lukket"
    )
    collaboration = services.collaboration_log(
        by=member_a,
        on_behalf_of=actor_a,
        actors=[actor_a, actor_c],
        title="A og C",
        form=Form.KNOWLEDGE,
        started=timezone.localdate() - datetime.timedelta(days=5),
        goals=[{"description": "Flere deltagere", "criterion": "20 pr. gang"}],
    )
    goal = collaboration.goals.get()
    post_a = sharing.post_create(
        by=member_a,
        actor=actor_a,
        direction=SharingPost.Direction.OFFER,
        category=SharingPost.Category.EQUIPMENT,
        title="Projektor",
        description="Kan lånes.",
        expires_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    rule = council.rule_propose(by=coordinator, title="Ryd op", text="Ryd op efter dig.")
    adopted_rule = council.rule_propose(by=coordinator, title="Luk vinduer", text="Luk dem.")
    council.rule_vote(
        by=coordinator,
        rule=adopted_rule,
        votes_for=1,
        votes_against=0,
        votes_abstain=0,
        voted_on=timezone.localdate(),
        meeting=None,
    )
    meeting = Meeting.objects.create(
        date=timezone.localdate() - datetime.timedelta(days=3), title="Husrådsmøde"
    )
    failed_digest = DigestDelivery.objects.create(
        period=timezone.localdate() - datetime.timedelta(days=7),
        recipient=seat.user,
        status=DigestDelivery.Status.FAILED,
        error="550 no such user",
    )
    digest_issue = DigestIssue.objects.create(
        period=timezone.localdate() - datetime.timedelta(days=7),
        language="da",
        subject="Samhus: ugen fra 30. november",
        base_url="https://samhus.example.org",
    )
    Sheet.objects.create(booking=booking_a, places=20, per_person=4)
    desk_a = signup_services.add_at_desk(
        booking=booking_a, by=member_a, name="Karen", phone="12345678"
    )
    held_a = signup_services.sign_up(
        booking=booking_a, name="Ada", email="ada@example.org", people=2
    )
    seasons = _season_world(
        actor_a=actor_a, member_a=member_a, coordinator=coordinator, room=room, series_a=series_a
    )
    return {
        **seasons,
        "desk_a": desk_a,
        "held_a": held_a,
        "actor_a": actor_a,
        "actor_b": actor_b,
        "actor_c": actor_c,
        "archived_actor": archived_actor,
        "member_a": member_a,
        "member_b": member_b,
        "member_c": member_c,
        "plain_membership_a": plain_membership_a,
        "resident": resident,
        "council": seat.user,
        "seat": seat,
        "coordinator": coordinator,
        "room": room,
        "spare_room": spare_room,
        "booking_a": booking_a,
        "request_a": request_a,
        "series_a": series_a,
        "offer_a": offer_a,
        "invitation_a": invitation_a,
        "closed_day": closed_day,
        "collaboration": collaboration,
        "goal": goal,
        "post_a": post_a,
        "rule": rule,
        "adopted_rule": adopted_rule,
        "meeting": meeting,
        "failed_digest": failed_digest,
        "digest_issue": digest_issue,
    }


def _season_world(*, actor_a, member_a, coordinator, room, series_a) -> dict[str, Any]:
    """An open round A may apply to, a closed one with a proposal, a date of
    A's series, and an offer to A from the waiting list."""
    from actors.models import TargetGroup
    from seasons import services as seasons
    from seasons.models import Decision, Offer
    from tests.factories import season_round

    target_group, _created = TargetGroup.objects.get_or_create(
        slug="youth", defaults={"name": "Unge"}
    )
    open_round = season_round([room], open_now=True, name="Forår")
    closed_round = season_round([room], open_now=True, name="Efterår")
    seasons.application_save(
        by=member_a,
        round_=closed_round,
        actor=actor_a,
        wishes=[
            {
                "title": "Strik",
                "room": room,
                "weekday": 3,
                "start_time": datetime.time(10),
                "minutes": 60,
                "people": 8,
                "target_group": target_group,
                "preference": 1,
            }
        ],
    )
    closed_round.applications_close = timezone.now()
    closed_round.save()
    seasons.proposal_make(by=coordinator, round_=closed_round)
    released = BookingFactory(
        actor=actor_a, room=room, booked_by=member_a, status=Status.CANCELLED, title="Frigivet"
    )
    entry = seasons.waiting_join(
        by=member_a,
        room=room,
        actor=actor_a,
        weekday=timezone.localtime(released.start).weekday(),
        start_time=datetime.time(0),
        end_time=datetime.time(23, 59),
    )
    season_offer_a = Offer.objects.create(
        released=released, entry=entry, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    return {
        "target_group": target_group,
        "open_round": open_round,
        "closed_round": closed_round,
        "decision": Decision.objects.get(wish__application__round=closed_round),
        "series_date_a": series_a.occurrences.get(),
        "season_offer_a": season_offer_a,
    }


@contextlib.contextmanager
def module_world(django_db_blocker):
    """The world inside an outer transaction that is rolled back on the way
    out; a module's ``world`` fixture (this one's, tests/test_fuzz.py's)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The objects every test reads, made once; rolled back after the module."""
    with module_world(django_db_blocker) as built:
        yield built


def client_for(world, persona: str, **options) -> Client:
    client = Client(**options)
    if persona != "anonymous":
        user = world["council" if persona == "council" else persona]
        client.force_login(user)
    return client


def url_of(name: str, world) -> str:
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world) if entry.kwargs else None)
    return f"{url}?{entry.query}" if entry.query else url


def check(response, expected, url: str, label: str) -> None:
    status = response.status_code
    if expected == LOGIN:
        assert status == HTTPStatus.FOUND, f"{label}: {url} answered {status}, not a login redirect"
        location = response["Location"]
        assert location.startswith("/accounts/login/?next="), f"{label}: {url} -> {location}"
    elif expected == SIGNUP:
        assert status == HTTPStatus.FOUND, f"{label}: {url} answered {status}"
        assert response["Location"].startswith("/accounts/signup/"), label
    else:
        assert status == expected, f"{label}: {url} answered {status}, expected {expected}"


# --- a snapshot of every row Samhus holds -------------------------------------------------------

SNAPSHOT_APPS = (
    "centre",
    "actors",
    "bookings",
    "signups",
    "collaboration",
    "seasons",
    "account",
    "mfa",
)


def snapshot() -> dict[str, list]:
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in SNAPSHOT_APPS:
            rows_of = model.objects.order_by("pk")
            if hasattr(rows_of, "rewrite"):  # every language's column (modeltranslation)
                rows_of = rows_of.rewrite(False)
            values = rows_of.values()
            rows[model._meta.label] = [
                {k: v for k, v in row.items() if k != "last_login"} for row in values
            ]
    return rows


def assert_unchanged(before, after, label: str) -> None:
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"{label} changed {changed}"


# --- the tests ----------------------------------------------------------------------------------

GET_CASES = [(name, persona) for name in sorted(MATRIX) for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), GET_CASES, ids=[f"{n}-{p}" for n, p in GET_CASES])
def test_get(world, name, persona):
    url = url_of(name, world)
    response = client_for(world, persona).get(url)
    check(response, MATRIX[name].get[persona], url, f"GET as {persona}")


REFUSED_POSTS = [
    (name, persona)
    for name in sorted(MATRIX)
    if MATRIX[name].post
    for persona in PERSONAS
    if MATRIX[name].post[persona] != ALLOWED
]


@pytest.mark.parametrize(
    ("name", "persona"), REFUSED_POSTS, ids=[f"{n}-{p}" for n, p in REFUSED_POSTS]
)
def test_refused_post_changes_nothing(world, name, persona):
    entry = MATRIX[name]
    url = url_of(name, world)
    client = client_for(world, persona)
    before = snapshot()
    response = client.post(url, entry.payload(world) if entry.payload else {})
    check(response, entry.post[persona], url, f"POST as {persona}")
    assert_unchanged(before, snapshot(), f"refused POST to {url} as {persona}")


def _allowed_persona(name: str) -> str:
    allowed = [p for p in PERSONAS if p != "anonymous" and MATRIX[name].post[p] == ALLOWED]
    return "coordinator" if "coordinator" in allowed else allowed[0]


# An allowed POST whose payload is refused by the view's own rules, on purpose.
NO_CHANGE_WHEN_ALLOWED = {
    "seasons:no-show": "A's booking has not begun: a no-show is refused",
    "bookings:closedday-restore": "no closing cancelled a date that day: nothing to book again",
    "signups:attendance": "A's booking is tomorrow: who came is recorded after it starts",
    "bookings:series-readd": "A's booking is not part of a series: nothing to book again",
}

POSTS = sorted(name for name in MATRIX if MATRIX[name].post)


@pytest.mark.parametrize("name", POSTS)
def test_post_without_csrf_token_is_refused(world, name):
    entry = MATRIX[name]
    persona = _allowed_persona(name)
    url = url_of(name, world)
    client = client_for(world, persona, enforce_csrf_checks=True)
    before = snapshot()
    response = client.post(url, entry.payload(world) if entry.payload else {})
    if name in CSRF_EXEMPT:
        assert response.status_code != HTTPStatus.FORBIDDEN, url
        return
    assert response.status_code == HTTPStatus.FORBIDDEN, (
        f"POST to {url} as {persona} without a CSRF token answered {response.status_code}"
    )
    assert_unchanged(before, snapshot(), f"POST without CSRF token to {url}")


def test_only_the_one_click_unsubscribe_is_csrf_exempt(world):
    resolver = get_resolver()
    exempt = {
        name
        for name in collected_names()
        if getattr(resolver.resolve(url_of(name, world).split("?")[0]).func, "csrf_exempt", False)
    }
    assert exempt == CSRF_EXEMPT


# --- meta-tests ---------------------------------------------------------------------------------


def test_every_named_url_is_in_the_matrix():
    names = collected_names()
    missing = sorted(names - MATRIX.keys())
    stale = sorted(MATRIX.keys() - names)
    assert not missing, f"URL patterns missing from the permission matrix: {missing}"
    assert not stale, f"matrix entries for URL patterns that no longer exist: {stale}"


def test_the_matrix_covers_every_persona():
    for name, entry in MATRIX.items():
        assert set(entry.get) == set(PERSONAS), name
        if entry.post:
            assert set(entry.post) == set(PERSONAS), name
            assert any(v == ALLOWED for v in entry.post.values()), f"{name}: nobody may POST"


def test_only_the_allow_list_is_open_to_anonymous_visitors(world):
    """The real pages, not the matrix: 200 to an anonymous GET means on PUBLIC,
    and a page on PUBLIC must not send anyone to sign in."""
    client = Client()
    open_pages, closed_public = [], []
    for name in sorted(collected_names()):
        url = url_of(name, world)
        status = client.get(url).status_code
        if status == HTTPStatus.OK and name not in PUBLIC:
            open_pages.append(url)
        if name in PUBLIC and status != HTTPStatus.OK:
            closed_public.append(f"{url} ({status})")
    assert not open_pages, f"open to anonymous visitors but not on PUBLIC: {open_pages}"
    assert not closed_public, f"on PUBLIC but refused to anonymous visitors: {closed_public}"
    assert {n for n, e in MATRIX.items() if e.get["anonymous"] == OK} == PUBLIC


@pytest.mark.parametrize("name", POSTS)
def test_allowed_post_does_change_something(world, name):
    """The payloads are real: the same POST by a persona who may do it changes rows."""
    entry = MATRIX[name]
    persona = _allowed_persona(name)
    before = snapshot()
    client_for(world, persona).post(
        url_of(name, world), entry.payload(world) if entry.payload else {}
    )
    after = snapshot()
    if name in NO_CHANGE_WHEN_ALLOWED:
        assert before == after, NO_CHANGE_WHEN_ALLOWED[name]
    else:
        assert before != after, f"POST to {name} as {persona} changed nothing"
