"""Issue 8, items 2 and 4.

Private stays private: an internal booking's unique title, a one-off and a weekly
series with one occurrence renamed, appears on no public page, feed or screen,
in no clash message shown to another actor, and not in another actor's
calendar.

Injection: an XSS corpus in the user-entered text fields is escaped on the pages,
in the notification and digest e-mails and in the admin; awkward characters in
titles keep the iCalendar feeds valid and cannot add a header to an e-mail."""

import datetime
import json
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from actors.models import Language, Membership, Offer, TargetGroup, Theme
from bookings import services
from bookings.models import Booking, Visibility
from centre.models import Centre
from centre.selectors import aware
from collaboration import digest
from collaboration.models import (
    Collaboration,
    Form,
    Goal,
    HouseRule,
    Meeting,
    SharingAnswer,
    SharingPost,
)
from tests.factories import (
    ActorFactory,
    BookingFactory,
    CouncilMemberFactory,
    MembershipFactory,
    RoomFactory,
    UserFactory,
    add_totp,
    in_days,
    local,
)

pytestmark = pytest.mark.django_db

ONE_OFF = "Hemmeligt-7f3a"
SERIES = "Hemmeligt-serie-2b9c"
EDITED = "Hemmeligt-rettet-d41e"
SECRETS = (ONE_OFF, SERIES, EDITED)
CANARY = "Aabent-kanariefugl-91"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def unfolded(body: bytes) -> str:
    """An iCalendar body with its folded lines joined again."""
    return body.decode().replace("\r\n ", "").replace("\r\n\t", "")


def assert_no_secret(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret} leaks in {where}"


# --- Item 2: private stays private ------------------------------------------------------------


class House:
    """What the privacy tests look at."""


@pytest.fixture
def house(always_open, actor, other_actor, booker, other_booker, member, other_member):
    """Actor A (Kvindeforum) holds an internal one-off booking and an internal weekly
    series later today, one occurrence of which (today's) is renamed; public canaries
    by the same actor, with the same vocabulary, prove that each page and filter
    lists activities at all."""
    now = timezone.localtime()
    today = now.date()
    start = (now + datetime.timedelta(minutes=2)).replace(second=0, microsecond=0)
    if start.date() != today or start.time() > datetime.time(23, 30):
        pytest.skip("too little of today is left to place bookings later today")
    start_time = start.time()
    end = start + datetime.timedelta(minutes=45)
    end_time = end.time() if end.date() == today else datetime.time(23, 59)
    h = House()
    h.today, h.start_time, h.end_time = today, start_time, end_time
    h.start, h.end = aware(today, start_time), aware(today, end_time)
    h.hall = RoomFactory(name="Salen", slug="salen")
    h.cafe = RoomFactory(name="Caféen", slug="cafeen")
    h.workshop = RoomFactory(name="Værkstedet", slug="vaerkstedet")
    h.target = TargetGroup.objects.order_by("pk").first() or TargetGroup.objects.create(
        name="Children", slug="children"
    )
    h.theme = Theme.objects.order_by("pk").first() or Theme.objects.create(
        name="Health", slug="health"
    )
    h.language = Language.objects.order_by("pk").first() or Language.objects.create(
        name="Danish", slug="da"
    )
    vocabulary = {
        "target_groups": [h.target],
        "themes": [h.theme],
        "languages": [h.language],
        "open_to_whole_city": True,
    }
    h.series = services.series_request(
        by=booker,
        room=h.hall,
        actor=actor,
        title=SERIES,
        rule="FREQ=WEEKLY",
        first_day=today,
        start_time=start_time,
        end_time=end_time,
        until=today + datetime.timedelta(days=21),
        visibility=Visibility.INTERNAL,
        description=f"{SERIES} beskrivelse",
        **vocabulary,
    )
    h.occurrences = list(h.series.occurrences.order_by("start"))
    assert len(h.occurrences) >= 2 and timezone.localdate(h.occurrences[0].start) == today
    services.booking_update(booking=h.occurrences[0], by=booker, scope="one", title=EDITED)
    h.edited, h.later = h.occurrences[0], h.occurrences[1]
    h.edited.refresh_from_db()
    assert h.edited.title == EDITED and Booking.objects.filter(title=SERIES).count() >= 1
    h.one_off = services.booking_request(
        by=booker,
        room=h.cafe,
        actor=actor,
        title=ONE_OFF,
        start=h.start,
        end=h.end,
        visibility=Visibility.INTERNAL,
        description=f"{ONE_OFF} beskrivelse",
        **vocabulary,
    )
    # Public canaries: today in the workshop (for the screen), tomorrow in the hall and the cafe.
    tomorrow = today + datetime.timedelta(days=1)
    for room, day in ((h.workshop, today), (h.hall, tomorrow), (h.cafe, tomorrow)):
        services.booking_request(
            by=booker,
            room=room,
            actor=actor,
            title=CANARY,
            start=aware(day, start_time),
            end=aware(day, end_time),
            **vocabulary,
        )
    h.actor, h.other_actor = actor, other_actor
    h.booker, h.other_booker = booker, other_booker
    h.member, h.other_member = member, other_member
    return h


def _filter_values(h) -> list[dict]:
    return [
        {},
        *({"room": room.slug} for room in (h.hall, h.cafe, h.workshop)),
        {"actor": h.actor.slug},
        {"actor": h.other_actor.slug},
        {"target": h.target.slug},
        {"theme": h.theme.slug},
        {"language": h.language.slug},
        {"city": "on"},
    ]


def test_the_member_of_the_actor_sees_the_internal_titles(house):
    """The control: the titles are there to be found by those who may see them."""
    page = signed_in(house.member).get(
        reverse("bookings:calendar"), {"view": "list", "date": house.today.isoformat()}
    )
    text = page.content.decode()
    for title in SECRETS:
        assert title in text
    for booking in (house.one_off, house.edited, house.later):
        response = signed_in(house.member).get(reverse("bookings:activity", args=[booking.pk]))
        assert response.status_code == HTTPStatus.OK


def test_the_public_calendar_in_every_view_and_filter_hides_internal_titles(anonymous, house):
    url = reverse("bookings:calendar")
    dates = [house.today, house.today + datetime.timedelta(days=7)]
    seen_canary = 0
    for view in ("month", "week", "list"):
        for day in dates:
            for filters in _filter_values(house):
                for embed in ({}, {"embed": "1"}):
                    params = {"view": view, "date": day.isoformat(), **filters, **embed}
                    response = anonymous.get(url, params)
                    assert response.status_code == HTTPStatus.OK, params
                    text = response.content.decode()
                    assert_no_secret(text, f"/calendar/ {params}")
                    seen_canary += CANARY in text
                    if (
                        view == "list"
                        and day == house.today
                        and filters != {"actor": house.other_actor.slug}
                    ):
                        assert CANARY in text, params
    assert seen_canary > 0
    # The htmx fragment and the default page.
    for params in ({}, {"view": "list"}):
        fragment = anonymous.get(url, params, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="calendar")
        assert_no_secret(fragment.content.decode(), f"htmx /calendar/ {params}")
    assert_no_secret(anonymous.get(reverse("bookings:home")).content.decode(), "/")


def test_the_embedded_calendar_is_public_even_for_the_actors_own_member(house):
    client = signed_in(house.member)
    params = {"view": "list", "date": house.today.isoformat(), "embed": "1"}
    text = client.get(reverse("bookings:calendar"), params).content.decode()
    assert CANARY in text
    assert_no_secret(text, "the embedded calendar seen by a member of the actor")


def test_the_feeds_with_every_filter_and_period_hide_internal_titles(anonymous, house):
    periods = [
        {},
        {"view": "week", "date": house.today.isoformat()},
        {"view": "month", "date": (house.today + datetime.timedelta(days=7)).isoformat()},
        {"view": "list"},
    ]
    for name in ("bookings:feed-ics", "bookings:feed-json"):
        canaries = 0
        for filters in _filter_values(house):
            for period in periods:
                params = {**filters, **period}
                response = anonymous.get(reverse(name), params)
                assert response.status_code == HTTPStatus.OK, (name, params)
                text = (
                    unfolded(response.content)
                    if name.endswith("ics")
                    else json.dumps(json.loads(response.content), ensure_ascii=False)
                )
                assert_no_secret(text, f"{name} {params}")
                canaries += CANARY in text
        assert canaries > 0, name


def test_the_screen_hides_internal_titles(anonymous, house):
    url = reverse("bookings:screen")
    everything = anonymous.get(url).content.decode()
    assert CANARY in everything  # the screen lists today's public activities
    assert_no_secret(everything, "/screen/")
    for room in (house.hall, house.cafe, house.workshop):
        for extra in ({}, {"partial": "1"}):
            params = {"room": room.slug, **extra}
            assert_no_secret(anonymous.get(url, params).content.decode(), f"/screen/ {params}")
    assert_no_secret(anonymous.get(url, {"partial": "1"}).content.decode(), "/screen/?partial=1")


def test_activity_pages_of_internal_bookings_are_not_found(anonymous, house):
    other = signed_in(house.other_member)
    for booking in (house.one_off, house.edited, house.later):
        for name in ("bookings:activity", "bookings:activity-ics"):
            url = reverse(name, args=[booking.pk])
            for who, client in (("anonymous", anonymous), ("member of B", other)):
                response = client.get(url)
                assert response.status_code == HTTPStatus.NOT_FOUND, (who, url)
                assert_no_secret(response.content.decode(), f"{url} for {who}")


def test_room_actor_and_other_public_pages_hide_internal_titles(anonymous, house):
    other = signed_in(house.other_member)
    pages = [
        reverse("bookings:room-list"),
        reverse("actors:actor-list"),
        reverse("actors:actor-detail", args=[house.actor.slug]),
        reverse("actors:actor-detail", args=[house.other_actor.slug]),
        reverse("actors:offer-list"),
        reverse("collaboration:figures"),
        reverse("collaboration:house-rules"),
        reverse("bookings:home"),
    ]
    for room in (house.hall, house.cafe):
        detail = reverse("bookings:room-detail", args=[room.slug])
        pages += [
            detail,
            *(f"{detail}?date={d.isoformat()}" for d in (house.today, house.later.start.date())),
        ]
    for url in pages:
        for who, client in (("anonymous", anonymous), ("member of B", other)):
            response = client.get(url)
            assert response.status_code == HTTPStatus.OK, (who, url)
            assert_no_secret(response.content.decode(), f"{url} for {who}")
    # The room page is a free/busy view: the canary tomorrow shows, the secrets only as busy.
    hall = anonymous.get(
        reverse("bookings:room-detail", args=[house.hall.slug]), {"date": house.today.isoformat()}
    )
    assert hall.status_code == HTTPStatus.OK


def test_a_member_of_another_actor_sees_neither_title_in_the_calendar(house):
    client = signed_in(house.other_member)
    for view in ("month", "week", "list"):
        for day in (house.today, house.today + datetime.timedelta(days=7)):
            params = {"view": view, "date": day.isoformat()}
            text = client.get(reverse("bookings:calendar"), params).content.decode()
            assert_no_secret(text, f"/calendar/ {params} for a member of B")
            if view == "list" and day == house.today:
                assert CANARY in text


def test_a_clash_with_an_internal_booking_does_not_name_it_to_another_actor(house):
    b = house.other_booker
    clashes = [
        (house.hall, house.start, house.end),  # the renamed occurrence
        (house.cafe, house.start, house.end),  # the one-off
        (house.hall, house.later.start, house.later.end),  # an occurrence as first named
    ]
    for room, start, end in clashes:
        with pytest.raises(ValidationError) as refused:
            services.booking_request(
                by=b, room=room, actor=house.other_actor, title="Basens møde", start=start, end=end
            )
        message = " ".join(refused.value.messages)
        assert_no_secret(message, f"the clash message for B in {room}")
        assert house.actor.name not in message
    # A series of B's over the internal one is refused; each clash is described anonymously.
    with pytest.raises(services.SeriesClash) as refused:
        services.series_request(
            by=b,
            room=house.hall,
            actor=house.other_actor,
            title="Basens serie",
            rule="FREQ=WEEKLY",
            first_day=house.today,
            start_time=house.start_time,
            end_time=house.end_time,
            until=house.today + datetime.timedelta(days=14),
        )
    described = [services.describe_for(other, b) for _slot, other in refused.value.clashes]
    assert len(described) >= 2
    assert_no_secret(" ".join([*refused.value.messages, *described]), "the series clash for B")
    # The control: a booker of A is told which of A's bookings is in the way.
    colleague = MembershipFactory(actor=house.actor, role=Membership.Role.BOOKER).user
    with pytest.raises(ValidationError) as own:
        services.booking_request(
            by=colleague,
            room=house.hall,
            actor=house.actor,
            title="Igen",
            start=house.start,
            end=house.end,
        )
    assert EDITED in " ".join(own.value.messages)


def test_the_booking_form_does_not_name_an_internal_clash_to_another_actor(house):
    client = signed_in(house.other_booker)
    base = {
        "actor": house.other_actor.pk,
        "room": house.hall.pk,
        "title": "Basens møde",
        "date": house.today.isoformat(),
        "start_time": house.start_time.strftime("%H:%M"),
        "end_time": house.end_time.strftime("%H:%M"),
        "visibility": "public",
        "skip_closed_days": "on",
    }
    for extra in (
        {"repeat": "none"},
        {"repeat": "weekly", "until": (house.today + datetime.timedelta(days=14)).isoformat()},
        {"repeat": "none", "room": house.cafe.pk},
    ):
        response = client.post(reverse("bookings:booking-create"), {**base, **extra})
        assert response.status_code == HTTPStatus.OK, extra  # the form again, with the clash
        text = response.content.decode()
        assert_no_secret(text, f"the booking form for B {extra}")
    assert not Booking.objects.filter(title="Basens møde").exists()


def test_the_digest_lists_no_internal_booking(house, council_member):
    messages = digest.build_all(digest.current_period(Centre.load()))
    assert messages
    for message in messages:
        assert_no_secret(message.subject + message.body, "the digest's text")
        assert_no_secret(message.alternatives[0][0], "the digest's HTML")


# --- Item 4: injection ---------------------------------------------------------------------

CORPUS = [
    '<script>alert("{tag}")</script>',
    '"><img src=x onerror=alert("{tag}")>',
    'javascript:alert("{tag}")',
    '</textarea><svg onload=alert("{tag}")>',
    "{{{{ 7*7 }}}} {{% debug %}} {tag}",
]


def payloads(template: str, *fields: str) -> dict[str, str]:
    return {field: template.format(tag=f"xss-{field}") for field in fields}


def assert_escaped(text: str, value: str, where: str) -> None:
    """The value shows as text: escaped, never as markup."""
    assert escape(value) in text, f"{value!r} is not shown in {where}"
    if escape(value) != value:
        assert value not in text, f"{value!r} renders as markup in {where}"
    assert 'href="javascript:' not in text.lower(), where


FIELDS = (
    "booking-title",
    "booking-description",
    "actor-name",
    "actor-description",
    "actor-strengths",
    "offer-title",
    "offer-description",
    "collab-title",
    "collab-description",
    "goal",
    "criterion",
    "post-title",
    "post-description",
    "answer",
    "rule-title",
    "rule-text",
    "meeting-title",
    "meeting-agenda",
    "meeting-minutes",
)


@pytest.fixture
def written(always_open, coordinator, member, actor, other_actor, request):
    """Every user-entered text field holding one payload of the corpus."""
    v = payloads(request.param, *FIELDS)
    today = timezone.localdate()
    author = ActorFactory(
        name=v["actor-name"],
        slug="xss-actor",
        description=v["actor-description"],
        strengths=v["actor-strengths"],
    )
    MembershipFactory(user=member, actor=author, role=Membership.Role.BOOKER)
    room = RoomFactory(name="Salen", slug="salen")
    booking = services.booking_request(
        by=member,
        room=room,
        actor=author,
        title=v["booking-title"],
        description=v["booking-description"],
        start=local(today + datetime.timedelta(days=1), 17),
        end=local(today + datetime.timedelta(days=1), 19),
    )
    offer = Offer.objects.create(
        actor=author, title=v["offer-title"], description=v["offer-description"]
    )
    collaboration = Collaboration.objects.create(
        title=v["collab-title"],
        description=v["collab-description"],
        form=Form.KNOWLEDGE,
        lead=author,
        logged_by=member,
    )
    collaboration.actors.add(author, other_actor)
    Goal.objects.create(
        collaboration=collaboration, description=v["goal"], criterion=v["criterion"]
    )
    post = SharingPost.objects.create(
        actor=author,
        direction=SharingPost.Direction.OFFER,
        category=SharingPost.Category.EQUIPMENT,
        title=v["post-title"],
        description=v["post-description"],
        expires_on=today + datetime.timedelta(days=20),
        created_by=member,
    )
    SharingAnswer.objects.create(
        post=post, actor=other_actor, user=coordinator, message=v["answer"]
    )
    meeting = Meeting.objects.create(
        date=today,
        title=v["meeting-title"],
        agenda=v["meeting-agenda"],
        minutes=v["meeting-minutes"],
        minutes_published_on=today,
    )
    rule = HouseRule.objects.create(
        title=v["rule-title"],
        text=v["rule-text"],
        status=HouseRule.Status.ADOPTED,
        voted_on=today,
        votes_for=5,
        votes_against=0,
        votes_abstain=0,
        meeting=meeting,
    )
    return {
        "values": v,
        "booking": booking,
        "actor": author,
        "offer": offer,
        "room": room,
        "collaboration": collaboration,
        "post": post,
        "rule": rule,
        "meeting": meeting,
    }


def corpus_ids():
    return ["script", "attribute", "javascript-url", "textarea", "template"]


@pytest.mark.parametrize("written", CORPUS, ids=corpus_ids(), indirect=True)
def test_the_corpus_is_escaped_on_every_page(written, anonymous, member, coordinator_client):
    v = written["values"]
    booking, author = written["booking"], written["actor"]
    tomorrow = timezone.localdate(booking.start).isoformat()
    own = signed_in(member)
    checks = [
        (
            anonymous,
            reverse("bookings:activity", args=[booking.pk]),
            ["booking-title", "booking-description", "actor-name"],
        ),
        (
            anonymous,
            reverse("bookings:calendar") + f"?view=list&date={tomorrow}",
            ["booking-title", "actor-name"],
        ),
        (
            anonymous,
            reverse("bookings:calendar") + f"?view=week&date={tomorrow}",
            ["booking-title", "actor-name"],
        ),
        (
            anonymous,
            reverse("bookings:room-detail", args=[written["room"].slug]) + f"?date={tomorrow}",
            ["booking-title"],
        ),
        (
            own,
            reverse("bookings:booking-detail", args=[booking.pk]),
            ["booking-title", "booking-description"],
        ),
        (own, reverse("bookings:my-bookings"), ["booking-title"]),
        (
            anonymous,
            reverse("actors:actor-detail", args=[author.slug]),
            [
                "actor-name",
                "actor-description",
                "actor-strengths",
                "offer-title",
                "offer-description",
            ],
        ),
        (anonymous, reverse("actors:actor-list"), ["actor-name"]),
        (anonymous, reverse("actors:offer-list"), ["offer-title", "actor-name"]),
        (
            own,
            reverse("collaboration:detail", args=[written["collaboration"].pk]),
            ["collab-title", "collab-description", "goal", "actor-name"],
        ),
        (own, reverse("collaboration:log"), ["collab-title"]),
        (
            own,
            reverse("collaboration:sharing-detail", args=[written["post"].pk]),
            ["post-title", "post-description", "answer"],
        ),
        (own, reverse("collaboration:sharing"), ["post-title"]),
        (anonymous, reverse("collaboration:house-rules"), ["rule-title", "rule-text"]),
        (
            own,
            reverse("collaboration:rule", args=[written["rule"].pk]),
            ["rule-title", "rule-text"],
        ),
        (
            coordinator_client,
            reverse("collaboration:meeting", args=[written["meeting"].pk]),
            ["meeting-title", "meeting-agenda", "meeting-minutes"],
        ),
        (
            coordinator_client,
            reverse("actors:actor-edit", args=[author.slug]),
            ["actor-name", "actor-description", "actor-strengths"],
        ),
        (
            own,
            reverse("bookings:booking-edit", args=[booking.pk]),
            ["booking-title", "booking-description"],
        ),
        (
            coordinator_client,
            reverse("actors:offer-edit", args=[written["offer"].pk]),
            ["offer-title", "offer-description"],
        ),
    ]
    for client, url, fields in checks:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        text = response.content.decode()
        for field in fields:
            assert_escaped(text, v[field], f"{url} ({field})")


@pytest.mark.parametrize("written", CORPUS, ids=corpus_ids(), indirect=True)
def test_the_corpus_is_escaped_in_the_admin(written):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    add_totp(superuser)
    client = signed_in(superuser)
    v = written["values"]
    checks = [
        (
            "bookings",
            "booking",
            written["booking"].pk,
            ["booking-title", "booking-description"],
            ["booking-title"],
        ),
        (
            "actors",
            "actor",
            written["actor"].pk,
            ["actor-name", "actor-description", "actor-strengths"],
            ["actor-name"],
        ),
        (
            "actors",
            "offer",
            written["offer"].pk,
            ["offer-title", "offer-description"],
            ["offer-title"],
        ),
        (
            "collaboration",
            "collaboration",
            written["collaboration"].pk,
            ["collab-title", "collab-description", "goal", "criterion"],
            ["collab-title"],
        ),
        (
            "collaboration",
            "sharingpost",
            written["post"].pk,
            ["post-title", "post-description", "answer"],
            ["post-title"],
        ),
    ]
    for app, model, pk, form_fields, list_fields in checks:
        changelist = client.get(reverse(f"admin:{app}_{model}_changelist"))
        assert changelist.status_code == HTTPStatus.OK, model
        for field in list_fields:
            assert_escaped(changelist.content.decode(), v[field], f"the {model} change list")
        change = client.get(reverse(f"admin:{app}_{model}_change", args=[pk]))
        assert change.status_code == HTTPStatus.OK, model
        for field in form_fields:
            assert_escaped(change.content.decode(), v[field], f"the {model} change form ({field})")


def _html(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.mark.parametrize("payload", CORPUS, ids=corpus_ids())
def test_booking_notifications_escape_the_corpus_in_html(
    payload, always_open, coordinator, member, actor, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=member, actor=actor).update(role=Membership.Role.BOOKER)
    room = RoomFactory(name="Salen", slug="salen", needs_approval=True)
    title = payload.format(tag="xss-mail")
    day = timezone.localdate() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_request(
            by=member,
            room=room,
            actor=actor,
            title=title,
            start=local(day, 17),
            end=local(day, 19),
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_decline(booking=booking, by=coordinator, reason=title)
    request, decision = mail.outbox
    assert request.to == [coordinator.email] and decision.to == [member.email]
    for message in (request, decision):
        assert_escaped(_html(message), title, f"the HTML of {message.subject!r}")
        assert title in message.body  # the plain text stays as typed


def test_booking_notification_subjects_show_the_title_as_typed(
    always_open, coordinator, member, actor, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=member, actor=actor).update(role=Membership.Role.BOOKER)
    room = RoomFactory(name="Salen", slug="salen", needs_approval=True)
    day = timezone.localdate() + datetime.timedelta(days=2)
    title = 'Mor & barn <3 "cafe"'
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_request(
            by=member,
            room=room,
            actor=actor,
            title=title,
            start=local(day, 17),
            end=local(day, 19),
        )
    [message] = mail.outbox
    assert title in message.subject


BCC = "Møde\r\nBcc: spy@example.org\r\nX-Injected: yes"


def assert_headers_intact(message, recipients: list[str]) -> None:
    parsed = message.message()
    assert parsed.get_all("Bcc") is None
    assert parsed.get_all("X-Injected") is None
    assert message.recipients() == recipients
    assert not {key.lower() for key, _value in parsed.items()} & {"bcc", "x-injected"}
    head = parsed.as_bytes().replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    for line in head.split(b"\n"):
        # A folded header continues on a line that starts with white space.
        assert not line.lower().startswith((b"bcc:", b"x-injected:")), line


def test_a_title_cannot_add_a_header_to_a_booking_notification(
    always_open, coordinator, member, actor, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=member, actor=actor).update(role=Membership.Role.BOOKER)
    room = RoomFactory(name="Salen", slug="salen", needs_approval=True)
    day = timezone.localdate() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_request(
            by=member,
            room=room,
            actor=actor,
            title=BCC,
            start=local(day, 17),
            end=local(day, 19),
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_approve(booking=booking, by=coordinator)
    request, decision = mail.outbox
    assert_headers_intact(request, [coordinator.email])
    assert_headers_intact(decision, [member.email])
    assert "Bcc: spy@example.org" in request.body  # kept as text in the body


@pytest.mark.parametrize("payload", [*CORPUS, BCC], ids=[*corpus_ids(), "bcc"])
def test_the_digest_escapes_the_corpus_and_keeps_its_headers(payload, actor, member):
    centre = Centre.load()
    period = digest.current_period(centre)
    since = period - datetime.timedelta(days=3)
    created = local(since, 12)
    v = payloads(payload, "booking", "post", "offer", "rule", "meeting")
    BookingFactory(
        title=v["booking"],
        actor=actor,
        start=local(period + datetime.timedelta(days=1), 15),
        end=local(period + datetime.timedelta(days=1), 17),
    )
    post = SharingPost.objects.create(
        actor=actor,
        direction=SharingPost.Direction.SEEK,
        category=SharingPost.Category.OTHER,
        title=v["post"],
        expires_on=period + datetime.timedelta(days=20),
        created_by=member,
    )
    offer = Offer.objects.create(actor=actor, title=v["offer"])
    SharingPost.objects.filter(pk=post.pk).update(created=created)
    Offer.objects.filter(pk=offer.pk).update(created=created)
    HouseRule.objects.create(
        title=v["rule"], text="Tekst", status=HouseRule.Status.ADOPTED, voted_on=since
    )
    Meeting.objects.create(
        date=since, title=v["meeting"], minutes="Referat", minutes_published_on=since
    )
    seat = CouncilMemberFactory(user__email="formand@example.org", actor=actor).user
    [message] = digest.build_all(period)
    html = _html(message)
    for field, value in v.items():
        if payload == BCC:
            continue  # only the headers matter here, checked below
        assert_escaped(html, value, f"the digest's HTML ({field})")
        assert value in message.body, field
    assert_headers_intact(message, [seat.email])


# --- iCalendar: awkward characters keep the feed valid -----------------------------------------

AWKWARD = [
    "Linje et\r\nLinje to",
    "Semi;kolon, komma og \\ skråstreg",
    "Møde\r\nBcc: spy@example.org",
    "Æblegrød " + "ø" * 80 + " slut",  # long, and many two-byte characters
    'Citat "og" <tegn> & 50% ; \\n ikke linjeskift',
]


def assert_valid_ics(body: bytes, expected: dict[int, str]) -> None:
    for line in body.split(b"\r\n"):
        assert len(line) <= 75, line
    assert b"\n" not in body.replace(b"\r\n", b"")
    calendar = Calendar.from_ical(body)
    summaries = {}
    for event in calendar.walk("VEVENT"):
        pk = int(str(event["UID"]).split("@")[0].removeprefix("booking-"))
        summaries[pk] = str(event["SUMMARY"])
        assert "BCC" not in event
    for pk, title in expected.items():
        assert summaries[pk] == title.replace("\r\n", "\n"), pk


@pytest.fixture
def awkward(actor, db) -> dict[int, str]:
    room = RoomFactory(name="Salen; 2, sal", slug="salen")
    expected = {}
    for n, title in enumerate(AWKWARD):
        start = in_days(n + 1, 10)
        booking = BookingFactory(
            title=title,
            description=title,
            room=room,
            actor=actor,
            start=start,
            end=start + datetime.timedelta(hours=1),
        )
        expected[booking.pk] = title
    return expected


def test_awkward_titles_keep_the_ics_feed_valid(anonymous, awkward, actor):
    for params in ({}, {"actor": actor.slug}, {"view": "month"}):
        feed = anonymous.get(reverse("bookings:feed-ics"), params)
        assert feed.status_code == HTTPStatus.OK, params
        assert_valid_ics(feed.content, awkward)
    data = json.loads(anonymous.get(reverse("bookings:feed-json")).content)
    titles = {
        int(a["uid"].split("@")[0].removeprefix("booking-")): a["title"] for a in data["activities"]
    }
    assert titles == awkward  # JSON keeps the titles exactly as typed


def test_titles_without_line_breaks_keep_an_activitys_ics_valid(anonymous, awkward):
    for pk, title in awkward.items():
        if "\n" in title:
            continue
        single = anonymous.get(reverse("bookings:activity-ics", args=[pk]))
        assert single.status_code == HTTPStatus.OK, title
        assert_valid_ics(single.content, {pk: title})


def test_a_title_with_a_line_break_keeps_an_activitys_ics_valid(anonymous, awkward):
    pk, title = next((pk, t) for pk, t in awkward.items() if "\r\n" in t)
    single = anonymous.get(reverse("bookings:activity-ics", args=[pk]))
    assert single.status_code == HTTPStatus.OK
    assert_valid_ics(single.content, {pk: title})
