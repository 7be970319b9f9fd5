"""centre.links: links go to the host a request came to (a validated one),
and to SITE_URL when no request is behind them."""

import os

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from actors import services as actor_services
from actors.models import Invitation, Membership
from bookings.notifications import notify_request
from centre import links
from tests.conftest import ELSEWHERE, SITE_ELSEWHERE, links_in
from tests.factories import BookingFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_base_url_is_the_requests_then_the_site_url(elsewhere):
    request = RequestFactory().get("/", **elsewhere)
    assert links.base_url(request) == ELSEWHERE
    plain = RequestFactory().get("/", HTTP_HOST="localhost:8123")
    assert links.base_url(plain) == "http://localhost:8123"
    assert links.base_url() == SITE_ELSEWHERE  # no request
    assert links.absolute("/rooms/", plain) == "http://localhost:8123/rooms/"


def test_a_host_django_refuses_is_never_linked(elsewhere):
    request = RequestFactory().get("/", HTTP_HOST="evil.example")
    assert links.base_url(request) == SITE_ELSEWHERE
    assert Client().get("/", HTTP_HOST="evil.example").status_code == 400


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("http://localhost:8123", "http://localhost:8123"),
        (ELSEWHERE, ELSEWHERE),
        ("https://evil.example", SITE_ELSEWHERE),  # not an allowed host
        ("javascript://localhost", SITE_ELSEWHERE),
        ("https://localhost/phish", SITE_ELSEWHERE),
        ("https://localhost?x=1", SITE_ELSEWHERE),
        ("https://user@evil.example@localhost", SITE_ELSEWHERE),
        ("", SITE_ELSEWHERE),
        (None, SITE_ELSEWHERE),
    ],
)
def test_a_base_url_handed_to_a_task_is_used_only_for_an_allowed_host(elsewhere, given, used):
    assert links.base_url(given=given) == used


def test_pages_link_their_feeds_at_the_host_they_were_asked_at(elsewhere):
    home = Client().get("/", **elsewhere).content.decode()
    assert 'href="webcal://samhus.example.dk/calendar/feed.ics"' in home
    assert 'href="https://samhus.example.dk/calendar/feed.ics"' in home
    assert 'href="https://samhus.example.dk/calendar/feed.json"' in home
    calendar = Client().get("/calendar/?target=youth", HTTP_HOST="localhost:8123").content.decode()
    assert 'href="webcal://localhost:8123/calendar/feed.ics?target=youth"' in calendar
    assert 'href="http://localhost:8123/calendar/feed.json?target=youth"' in calendar
    assert "site.example.org" not in home + calendar


def test_an_invitation_links_to_the_host_the_inviter_used(
    elsewhere, actor, actor_admin, django_capture_on_commit_callbacks
):
    client = Client(**elsewhere)
    client.force_login(actor_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("actors:member-list", args=[actor.slug]),
            {"email": "ny@example.org", "role": Membership.Role.MEMBER},
        )
    invitation = Invitation.objects.get()
    # The invitation, in the text and the HTML part, and the layout's front page.
    assert set(links_in(mail.outbox[0])) == {
        f"{ELSEWHERE}/invitations/{invitation.token}/",
        f"{ELSEWHERE}/",
    }


def test_an_invitation_without_a_request_links_to_the_site_url(
    elsewhere, actor, actor_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = actor_services.invitation_create(
            actor=actor, email="ny@example.org", role=Membership.Role.MEMBER, by=actor_admin
        )
    assert set(links_in(mail.outbox[0])) == {
        f"{SITE_ELSEWHERE}/invitations/{invitation.token}/",
        f"{SITE_ELSEWHERE}/",
    }


def test_a_task_queued_during_a_request_carries_its_host_to_the_worker(elsewhere, monkeypatch):
    """A booking service queues its notification knowing nothing of the
    request; the task is handed over with the request's base URL."""
    UserFactory(email="k@example.org", is_coordinator=True)
    booking = BookingFactory(status="requested")
    handed_over = []
    apply = notify_request.apply

    def recording(args=None, kwargs=None, **options):
        handed_over.append(kwargs)
        return apply(args, kwargs, **options)

    monkeypatch.setattr(notify_request, "apply", recording)
    request = RequestFactory().post("/bookings/new/", **elsewhere)
    links.CurrentRequest(lambda request: notify_request.delay([booking.pk]))(request)
    notify_request.delay([booking.pk])  # outside a request: beat, the outbox's flush
    assert handed_over == [{"base_url": ELSEWHERE}, {}]
    detail = reverse("bookings:booking-detail", args=[booking.pk])
    assert set(links_in(mail.outbox[0])) == {ELSEWHERE + detail, ELSEWHERE + "/"}
    assert set(links_in(mail.outbox[1])) == {SITE_ELSEWHERE + detail, SITE_ELSEWHERE + "/"}


@pytest.mark.parametrize(
    ("addrport", "site"),
    [
        ("8123", "http://127.0.0.1:8123"),
        ("127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),  # every address: reached at the loopback
        ("localhost:9000", "http://localhost:9000"),
        ("[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_a_local_server_makes_its_address_the_site_url(settings, monkeypatch, addrport, site):
    settings.SITE_URL = "https://site.example.org"  # undone afterwards, whatever serve_at sets
    monkeypatch.delenv("SITE_URL", raising=False)
    assert links.serve_at(addrport) == site
    assert settings.SITE_URL == os.environ["SITE_URL"] == site


def test_an_address_without_a_port_is_refused(settings):
    with pytest.raises(ValueError, match="not an address and port"):
        links.serve_at("127.0.0.1")
