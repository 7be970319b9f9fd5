"""The digest names the collaborations it counts, to each reader those they
may read; each issue sent is kept as it went out and read again on the web
by council members and coordinators."""

import datetime
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centre.models import Centre
from collaboration import digest
from collaboration.models import (
    Collaboration,
    DigestDelivery,
    DigestIssue,
    DigestSection,
    DigestSubscription,
    Form,
)
from tests.conftest import links_in
from tests.factories import MembershipFactory, digest_reader, local, log_collaboration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://samhus.example.org"


@pytest.fixture
def period():
    return digest.current_period(Centre.load())


@pytest.fixture
def logged(period, actor, other_actor, third_actor, member, other_member):
    """Last week: one collaboration of Kvindeforum and Basen, one of Basen and
    Café Sumak (Kvindeforum's people may not read it)."""
    ours = log_collaboration(member, actor, other_actor, title="Fælles <møde>", form=Form.KNOWLEDGE)
    theirs = log_collaboration(
        other_member, other_actor, third_actor, title="Basens projekt", form=Form.COORDINATION
    )
    Collaboration.objects.filter(pk__in=[ours.pk, theirs.pk]).update(
        created=local(period - datetime.timedelta(days=2), 12)
    )
    return ours, theirs


@pytest.fixture
def readers(coordinator, actor):
    """A coordinator who reads the digest; a council member who is one of
    Kvindeforum's people; one who acts for no actor."""
    DigestSubscription.objects.create(user=coordinator, subscribed=True)
    chair = digest_reader("formand@example.org", language="en")
    MembershipFactory(user=chair, actor=actor)
    return {
        "coordinator": coordinator,
        "chair": chair,
        "deputy": digest_reader("naestformand@example.org", language="en"),
    }


def _sent(readers):
    call_command("send_digest", stdout=StringIO())
    by_address = {message.to[0]: message for message in mail.outbox}
    return {name: by_address[user.email] for name, user in readers.items()}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_each_reader_is_told_the_names_of_the_collaborations_they_may_read(logged, readers):
    ours, theirs = logged
    sent = _sent(readers)
    ours_url = "https://samhus.example.org" + ours.get_absolute_url()
    theirs_url = "https://samhus.example.org" + theirs.get_absolute_url()

    coordinator = sent["coordinator"]
    html = coordinator.alternatives[0][0]
    assert "Fælles <møde> – Videndeling (Basen og Kvindeforum)" in coordinator.body  # in Danish
    assert f'<a href="{ours_url}">Fælles &lt;møde&gt;</a>' in html  # escaped in HTML
    assert theirs_url in html and theirs_url in coordinator.body

    chair = sent["chair"]
    assert "Fælles <møde> – Knowledge sharing (Basen and Kvindeforum)" in chair.body
    assert ours_url in chair.alternatives[0][0]
    assert "Basens projekt" not in chair.body + chair.alternatives[0][0]
    assert "1 more is counted, not named" in chair.body
    assert "Knowledge sharing: 1" in chair.body and "Coordination: 1" in chair.body

    deputy = sent["deputy"]
    assert "Fælles" not in deputy.body + deputy.alternatives[0][0]
    assert "Basens projekt" not in deputy.body + deputy.alternatives[0][0]
    assert "2 more are counted, not named" in deputy.body
    # Every link the chair is sent opens for them.
    client = _client(readers["chair"])
    for link in links_in(chair):
        path = link.removeprefix("https://samhus.example.org")
        assert client.get(path).status_code == 200, path


def test_naming_each_readers_collaborations_asks_the_same_whatever_their_number(
    period, logged, actor
):
    counts = []
    for count in (4, 40):
        for n in range(count):
            reader = digest_reader(f"medlem{count}-{n}@example.org", language="da")
            if n % 2:
                MembershipFactory(user=reader, actor=actor)
        with CaptureQueriesContext(connection) as queries:
            messages = digest.build_all(period)
        counts.append(len(queries))
        named = [m for m in messages if "Fælles <møde>" in m.body]
        assert len(named) >= count // 2
    assert counts[0] == counts[1], counts


def test_each_issue_is_kept_as_it_went_out_once_per_language(logged, readers, coordinator):
    ours, _theirs = logged
    sent = _sent(readers)
    issues = {issue.language: issue for issue in DigestIssue.objects.all()}
    assert set(issues) == {"da", "en"}  # the coordinator reads Danish, the council English
    english = issues["en"]
    kept = [key for key, _text, _html in english.sections]
    assert kept == [section for section in DigestSection.values if section in kept]  # in order
    assert english.subject == sent["chair"].subject
    assert issues["da"].subject == sent["coordinator"].subject
    # Renamed later and sent again to a new reader: the kept issue is the one sent first.
    Collaboration.objects.filter(pk=ours.pk).update(title="Omdøbt")
    digest_reader("ny@example.org", language="en")
    call_command("send_digest", stdout=StringIO())
    assert DigestIssue.objects.count() == 2
    page = _client(coordinator).get(reverse("homes:digest-issue", args=[english.pk]))
    html = page.content.decode()
    assert "Fælles &lt;møde&gt;" in html and "Omdøbt" not in html
    assert 'lang="en"' in html


def test_an_issue_no_one_received_is_not_kept(logged, readers, monkeypatch, settings):
    settings.SAMHUS_DIGEST_RETRY_SECONDS = 0
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    call_command("send_digest", stdout=StringIO())
    assert DigestDelivery.objects.filter(status=DigestDelivery.Status.FAILED).count() == 3
    assert not DigestIssue.objects.exists()


def test_the_archive_shows_each_reader_what_they_may_read(logged, readers):
    _sent(readers)
    english = DigestIssue.objects.get(language="en")
    listing = _client(readers["deputy"]).get(reverse("homes:digest-archive")).content.decode()
    assert reverse("homes:digest-issue", args=[english.pk]) in listing
    as_deputy = _client(readers["deputy"]).get(reverse("homes:digest-issue", args=[english.pk]))
    as_chair = _client(readers["chair"]).get(reverse("homes:digest-issue", args=[english.pk]))
    as_coordinator = _client(readers["coordinator"]).get(
        reverse("homes:digest-issue", args=[english.pk])
    )
    assert "Fælles" not in as_deputy.content.decode()
    assert "2 more are counted" in as_deputy.content.decode()
    assert "Fælles" in as_chair.content.decode() and "Basens" not in as_chair.content.decode()
    coordinators = as_coordinator.content.decode()
    assert "Fælles" in coordinators and "Basens projekt" in coordinators
    assert reverse("bookings:requests") not in as_chair.content.decode()


def test_the_latest_digest_is_the_latest_issue_in_the_readers_language(logged, readers):
    _sent(readers)
    page = _client(readers["chair"]).get(reverse("homes:digest"))
    assert page.context["issue"] == DigestIssue.objects.get(language="da")  # the site's language
    page = _client(readers["chair"]).get(reverse("homes:digest"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Fælles &lt;møde&gt;" in page.content.decode()
    assert reverse("homes:digest-archive") in page.content.decode()


def test_the_archive_pages_ask_a_fixed_number_of_queries(
    period, actor, other_actor, member, coordinator, django_assert_max_num_queries
):
    centre = Centre.load()
    for weeks in range(12):
        day = period - datetime.timedelta(days=7 * weeks)
        for _ in range(3):
            collaboration = log_collaboration(member, actor, other_actor)
            Collaboration.objects.filter(pk=collaboration.pk).update(
                created=local(day - datetime.timedelta(days=2), 12)
            )
        builder = digest.Builder(day, base_url="https://samhus.example.org")
        for language in ("da", "en"):
            digest.archive.keep(builder.rendered(language))
    assert DigestIssue.objects.count() == 24 and centre
    client = _client(coordinator)
    issue = DigestIssue.objects.filter(language="da").first()
    assert issue.named and len(issue.named) == 3
    with django_assert_max_num_queries(7):
        assert client.get(reverse("homes:digest-archive")).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("homes:digest-issue", args=[issue.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("homes:digest")).status_code == 200
