"""The weekly digest: when it is due, who gets it, what it says in Danish and
English, the unsubscribe page, and delivery exactly once."""

import datetime
import email
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actors.models import TargetGroup
from bookings.models import Status
from centre.mail import message_id as mail_message_id
from centre.models import Centre
from collaboration import digest
from collaboration.log import services
from collaboration.models import DigestDelivery, DigestSubscription, Form
from collaboration.tasks import digest_due, send_digest
from tests.conftest import ELSEWHERE, SITE_ELSEWHERE, links_in
from tests.factories import BookingFactory, RoomFactory, UserFactory, digest_reader, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return Centre.load()


@pytest.fixture(autouse=True)
def _quick_retries(settings):
    settings.SAMHUS_DIGEST_RETRY_SECONDS = 0
    settings.SITE_URL = "https://samhus.example.org"


seat = digest_reader


# When


@pytest.mark.parametrize(
    ("now", "due", "current"),
    [
        # Monday 07:00 is the default: just before, the last period is the week before.
        (
            local(datetime.date(2026, 11, 30), 6, 59),
            datetime.date(2026, 11, 23),
            datetime.date(2026, 11, 30),
        ),
        (
            local(datetime.date(2026, 11, 30), 7),
            datetime.date(2026, 11, 30),
            datetime.date(2026, 11, 30),
        ),
        # After the moment, "send now" is next week's: this week's went out on time.
        (
            local(datetime.date(2026, 12, 3), 12),
            datetime.date(2026, 11, 30),
            datetime.date(2026, 12, 7),
        ),
        # Across the change to winter time the moment stays 07:00 local.
        (
            local(datetime.date(2026, 10, 26), 7, 30),
            datetime.date(2026, 10, 26),
            datetime.date(2026, 11, 2),
        ),
    ],
)
def test_the_period_due_and_the_current_one(centre, now, due, current):
    assert digest.latest_due(centre, now) == due
    assert digest.current_period(centre, now) == current


def test_another_weekday_and_time_are_settings(centre):
    centre.digest_weekday, centre.digest_time = 4, datetime.time(16, 30)
    friday = datetime.date(2026, 12, 4)
    assert digest.latest_due(centre, local(friday, 16, 29)) == datetime.date(2026, 11, 27)
    assert digest.latest_due(centre, local(friday, 16, 30)) == datetime.date(2026, 12, 4)


def test_after_days_without_beat_a_late_digest_waits_for_a_coordinator(centre, monkeypatch):
    """Beat was down for three weeks, or runs on a copy of old data: it sends
    no stale digest, and nothing at all once the current one is hours late."""
    seat("formand@example.org")
    monkeypatch.setattr(timezone, "now", lambda: local(datetime.date(2026, 12, 17), 9))
    result = digest_due()
    assert result["late"] and not DigestDelivery.objects.exists() and not mail.outbox
    assert digest.missed(centre) == datetime.date(2026, 12, 14)


@pytest.mark.parametrize(
    ("hour", "minute", "sent"), [(7, 0, True), (12, 59, True), (13, 1, False), (20, 0, False)]
)
def test_beat_sends_the_digest_up_to_six_hours_after_its_moment(
    centre, monkeypatch, hour, minute, sent
):
    seat("formand@example.org")  # Monday 07:00 is the moment
    monkeypatch.setattr(timezone, "now", lambda: local(datetime.date(2026, 12, 14), hour, minute))
    digest_due()
    assert len(mail.outbox) == int(sent)
    assert (digest.missed(centre) is None) is sent
    digest_due()  # and again a few minutes later: nothing more
    assert len(mail.outbox) == int(sent)


# Who


def test_council_members_and_those_who_opted_in_receive_it(centre):
    chair = seat("formand@example.org")
    opted_out = seat("nej@example.org")
    DigestSubscription.objects.create(user=opted_out, subscribed=False)
    reader = UserFactory(email="laeser@example.org")
    DigestSubscription.objects.create(user=reader, subscribed=True)
    UserFactory(email="andre@example.org")
    assert {u.email for u in digest.recipients(timezone.localdate())} == {chair.email, reader.email}


def test_a_recipient_without_a_verified_address_is_skipped_and_counted(centre):
    seat("formand@example.org")
    seat("uverificeret@example.org", verified=False)
    figures = digest.create_deliveries(digest.current_period(centre))
    assert figures == {"recipients": 2, "skipped": 1}
    skipped = DigestDelivery.objects.get(recipient__email="uverificeret@example.org")
    assert skipped.status == DigestDelivery.Status.SKIPPED
    assert not digest.claim(skipped.pk)


# What


@pytest.fixture
def week(centre, actor, other_actor, member):
    period = digest.current_period(centre)
    room = RoomFactory(name="Caféen")
    BookingFactory(
        title="Lektiecafé <b>for alle</b>",
        room=room,
        actor=actor,
        start=local(period + datetime.timedelta(days=1), 15),
        end=local(period + datetime.timedelta(days=1), 17),
    )
    collaboration = services.collaboration_log(
        by=member,
        on_behalf_of=actor,
        actors=[actor, other_actor],
        title="Fælles møde",
        form=Form.KNOWLEDGE,
        started=period - datetime.timedelta(days=3),
    )
    from collaboration.models import Collaboration

    Collaboration.objects.filter(pk=collaboration.pk).update(
        created=local(period - datetime.timedelta(days=3), 12)
    )
    return period


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("da", ["Kære Formand", "Næste uges offentlige aktiviteter", "Videndeling: 1"]),
        ("en", ["Dear Formand", "Next week's public activities", "Knowledge sharing: 1"]),
    ],
)
def test_the_digest_in_each_language_with_both_parts_and_headers(centre, week, language, words):
    chair = seat("formand@example.org", language=language)
    call_command("send_digest", stdout=StringIO())
    [message] = mail.outbox
    assert message.to == [chair.email]
    text = message.body
    html = message.alternatives[0][0]
    for word in words:
        assert word in text, word
    assert "Lektiecafé <b>for alle</b>" in text  # plain text stays as typed
    assert "Lektiecafé &lt;b&gt;for alle&lt;/b&gt;" in html  # and is escaped in HTML
    assert "https://samhus.example.org/calendar/activities/" in html  # absolute links
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://samhus.example.org/digest/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parsed = email.message_from_bytes(message.message().as_bytes())
    assert parsed.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in parsed.get_payload()] == ["text/plain", "text/html"]


def test_sent_now_every_link_goes_to_the_coordinators_host(
    centre, week, coordinator, elsewhere, django_capture_on_commit_callbacks
):
    seat("formand@example.org")
    client = Client(**elsewhere)
    client.force_login(coordinator)
    preview = client.get(reverse("collaboration:digest-preview"), {"format": "text"})
    assert f"{ELSEWHERE}/calendar/activities/" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("collaboration:digest-send-now"), {"confirm": "1"})
    [message] = mail.outbox
    found = links_in(message)
    assert ELSEWHERE + reverse("collaboration:digest-settings") in found
    assert all(link.startswith(f"{ELSEWHERE}/") for link in found), found


def test_sent_by_beat_every_link_goes_to_the_site_url(centre, week, elsewhere):
    seat("formand@example.org")
    call_command("send_digest", stdout=StringIO())
    [message] = mail.outbox
    found = links_in(message)
    assert len(found) > 3
    assert all(link.startswith(f"{SITE_ELSEWHERE}/") for link in found), found


def test_a_reader_gets_no_section_linking_to_a_page_they_cannot_open(
    centre, week, actor, other_actor, coordinator
):
    """The waiting requests and the parallel activities link to coordinators'
    pages: a council member who is not one is sent neither, a coordinator
    who reads the digest both; every link the council member gets opens."""
    BookingFactory(
        status=Status.REQUESTED,
        actor=actor,
        start=local(week + datetime.timedelta(days=2), 10),
        end=local(week + datetime.timedelta(days=2), 12),
    )
    women = TargetGroup.objects.get(slug="women")
    for hour, each in ((10, actor), (14, other_actor)):
        day = week + datetime.timedelta(days=3)
        booking = BookingFactory(actor=each, start=local(day, hour), end=local(day, hour + 1))
        booking.target_groups.set([women])
    council = seat("formand@example.org", language="en")
    DigestSubscription.objects.create(user=coordinator, subscribed=True)
    call_command("send_digest", stdout=StringIO())
    sent = {message.to[0]: message for message in mail.outbox}
    coordinators_only = {reverse("bookings:requests"), reverse("bookings:parallel")}

    def paths(user):
        return {
            link.removeprefix("https://samhus.example.org") for link in links_in(sent[user.email])
        }

    assert coordinators_only <= paths(coordinator)
    assert "Booking requests waiting" not in sent[council.email].body
    assert not coordinators_only & paths(council)
    reader = Client()
    reader.force_login(council)
    for path in paths(council):
        assert reader.get(path).status_code == 200, path


def test_the_settings_offer_the_sections_one_may_receive_and_keep_the_others(centre, coordinator):
    reader = seat("formand@example.org", language="en")
    client = Client()
    client.force_login(reader)
    page = client.get(reverse("collaboration:digest-settings")).content.decode()
    assert 'value="activities"' in page and 'value="requests"' not in page
    subscription = DigestSubscription.objects.get(user=reader)  # made by the visit
    subscription.skipped_sections = ["requests"]  # chosen when they were a coordinator
    subscription.save()
    client.post(
        reverse("collaboration:digest-settings"), {"subscribed": "on", "sections": ["council"]}
    )
    subscription.refresh_from_db()
    assert "requests" in subscription.skipped_sections  # not offered: left as it was
    assert "parallel" not in subscription.skipped_sections
    assert "activities" in subscription.skipped_sections and "council" not in (
        subscription.skipped_sections
    )
    client.force_login(coordinator)
    page = client.get(reverse("collaboration:digest-settings")).content.decode()
    assert 'value="requests"' in page and 'value="parallel"' in page


def test_a_section_left_out_is_not_in_the_mail(centre, week):
    chair = seat("formand@example.org", language="en")
    DigestSubscription.objects.create(user=chair, skipped_sections=["activities"])
    call_command("send_digest", stdout=StringIO())
    assert "Next week's public activities" not in mail.outbox[0].body
    assert "Collaborations logged last week" in mail.outbox[0].body


def test_the_dry_run_prints_and_sends_nothing(centre, week):
    seat("formand@example.org", language="da")
    out = StringIO()
    call_command("send_digest", "--dry-run", stdout=out)
    assert "Næste uges offentlige aktiviteter" in out.getvalue()
    assert not mail.outbox and not DigestDelivery.objects.exists()


def test_content_is_built_once_per_language_not_per_recipient(centre, week):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for count in (4, 40):
        for n in range(count):
            seat(f"medlem{count}-{n}@example.org", language="da" if n % 2 else "en")
        with CaptureQueriesContext(connection) as queries:
            messages = digest.build_all(digest.current_period(centre))
        counts.append(len(queries))
        assert {m.to[0] for m in messages} >= {
            f"medlem{count}-{n}@example.org" for n in range(count)
        }
    assert counts[0] == counts[1], counts


# Exactly once


def test_sending_twice_sends_once(centre):
    seat("formand@example.org")
    digest.create_deliveries(digest.current_period(centre))
    delivery = DigestDelivery.objects.get()
    assert send_digest.delay(delivery.pk).get() == "sent"
    assert send_digest.delay(delivery.pk).get() == "not claimed"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DigestDelivery.Status.SENT, 1)


def test_a_refused_first_attempt_is_retried_and_sent_once(centre, monkeypatch):
    seat("formand@example.org")
    digest.create_deliveries(digest.current_period(centre))
    delivery = DigestDelivery.objects.get()
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages
    calls = []

    def flaky(self, messages):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPDataError(451, b"try again later")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    send_digest.delay(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(mail.outbox)) == (
        DigestDelivery.Status.SENT,
        2,
        1,
    )


def test_after_the_last_retry_it_is_failed_for_coordinators_to_see(
    centre, monkeypatch, coordinator_client
):
    seat("formand@example.org")
    digest.create_deliveries(digest.current_period(centre))
    delivery = DigestDelivery.objects.get()
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({"formand@example.org": (550, b"no such user")})

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    send_digest.delay(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DigestDelivery.Status.FAILED
    assert delivery.attempts == digest.MAX_RETRIES + 1
    assert "no such user" in delivery.error
    assert (
        "formand@example.org"
        in coordinator_client.get(reverse("collaboration:digest-preview")).content.decode()
    )


def test_a_send_interrupted_after_its_claim_is_sent_again_with_the_same_message_id(
    centre, settings
):
    """A worker killed between claim and SMTP's answer: after the stale period
    the row is sent again, and its mail has the row's one Message-ID."""
    settings.SAMHUS_DIGEST_STALE_SECONDS = 600
    seat("formand@example.org")
    digest.create_deliveries(digest.latest_due(centre))
    delivery = DigestDelivery.objects.get()
    assert digest.claim(delivery.pk)
    DigestDelivery.objects.filter(pk=delivery.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(seconds=599)
    )
    assert digest_due()["requeued"] == 0  # perhaps still sending
    assert not mail.outbox
    DigestDelivery.objects.filter(pk=delivery.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(seconds=601)
    )
    assert digest_due()["requeued"] == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DigestDelivery.Status.SENT, 2)
    [message] = mail.outbox
    assert message.extra_headers["Message-ID"] == mail_message_id(digest.message_key(delivery))
    assert message.extra_headers["Message-ID"].endswith("@samhus.example.org>")


def test_a_send_interrupted_again_and_again_ends_failed(centre):
    seat("formand@example.org")
    digest.create_deliveries(digest.latest_due(centre))
    delivery = DigestDelivery.objects.get()
    assert digest.claim(delivery.pk)
    DigestDelivery.objects.filter(pk=delivery.pk).update(
        attempts=digest.MAX_RETRIES + 1, claimed_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert digest_due()["failed"] == 1
    delivery.refresh_from_db()
    assert delivery.status == DigestDelivery.Status.FAILED
    assert not mail.outbox


def test_a_timeout_after_smtp_took_the_mail_resends_it_with_the_same_message_id(
    centre, monkeypatch
):
    seat("formand@example.org")
    digest.create_deliveries(digest.current_period(centre))
    delivery = DigestDelivery.objects.get()
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages

    def slow(self, messages):
        real(self, messages)  # SMTP has it ...
        if len(mail.outbox) == 1:
            raise TimeoutError("timed out")  # ... but answered too late

    monkeypatch.setattr(EmailBackend, "send_messages", slow)
    send_digest.delay(delivery.pk)
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]


def test_a_coordinator_sends_failed_deliveries_again_one_or_a_whole_week(
    centre, coordinator_client, django_capture_on_commit_callbacks
):
    old_week = digest.latest_due(centre) - datetime.timedelta(days=21)
    for n in range(3):
        user = seat(f"raad{n}@example.org")
        DigestDelivery.objects.create(
            period=old_week, recipient=user, status=DigestDelivery.Status.FAILED, error="550"
        )
    one = DigestDelivery.objects.order_by("pk").first()
    page = coordinator_client.get(reverse("collaboration:digest-preview")).content.decode()
    assert page.count('name="delivery"') == 3  # failed weeks ago, shown today
    assert f'value="{old_week:%Y-%m-%d}"' in page
    url = reverse("collaboration:digest-resend")
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {"delivery": one.pk})
    assert [m.to for m in mail.outbox] == [["raad0@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {"period": old_week.isoformat()})
    assert len(mail.outbox) == 3
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {"sent"}
    # Nothing left to send: a second press sends nothing; bad input is a message.
    coordinator_client.post(url, {"period": old_week.isoformat()})
    response = coordinator_client.post(url, {"delivery": "abc"}, follow=True)
    assert len(mail.outbox) == 3
    assert response.status_code == 200 and b"messages" in response.content


def test_the_unique_row_holds_per_period_and_recipient(centre):
    from django.db import IntegrityError, transaction

    chair = seat("formand@example.org")
    period = digest.current_period(centre)
    digest.create_deliveries(period)
    digest.create_deliveries(period)
    assert DigestDelivery.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        DigestDelivery.objects.create(period=period, recipient=chair)


# Unsubscribe and choices


def test_one_click_unsubscribe_needs_no_login_and_no_csrf(centre):
    from django.test import Client

    chair = seat("formand@example.org")
    url = reverse("collaboration:digest-unsubscribe", args=[digest.unsubscribe_token(chair)])
    client = Client(enforce_csrf_checks=True)
    assert client.get(url).status_code == 200
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert DigestSubscription.objects.get(user=chair).subscribed is False
    assert chair not in digest.recipients(timezone.localdate())


def test_a_tampered_unsubscribe_link_changes_nothing(client, centre):
    chair = seat("formand@example.org")
    token = digest.unsubscribe_token(chair)
    client.cookies["django_language"] = "en"
    for bad in (token[:-2] + "xx", "nonsense"):
        url = reverse("collaboration:digest-unsubscribe", args=[bad])
        response = client.post(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    assert not DigestSubscription.objects.filter(subscribed=False).exists()


def test_a_person_chooses_sections_and_opts_in(client, centre):
    reader = UserFactory(email="laeser@example.org")
    client.force_login(reader)
    response = client.post(
        reverse("collaboration:digest-settings"),
        {"subscribed": "on", "sections": ["activities", "council"]},
    )
    assert response.status_code == 302
    subscription = DigestSubscription.objects.get(user=reader)
    assert subscription.subscribed
    assert (
        "activities" not in subscription.skipped_sections
        and "sharing" in subscription.skipped_sections
    )


def test_preview_and_send_now_are_for_coordinators(
    client,
    member_client,
    coordinator_client,
    centre,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    seat("formand@example.org")
    monday_morning = local(datetime.date(2026, 11, 30), 6)
    monkeypatch.setattr(timezone, "now", lambda: monday_morning)
    assert client.get(reverse("collaboration:digest-preview")).status_code == 302
    assert member_client.get(reverse("collaboration:digest-preview")).status_code == 403
    assert member_client.post(reverse("collaboration:digest-send-now")).status_code == 403
    assert not DigestDelivery.objects.exists()
    assert coordinator_client.get(reverse("collaboration:digest-preview")).status_code == 200
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            coordinator_client.post(reverse("collaboration:digest-send-now"), {"confirm": "1"})
    assert len(mail.outbox) == 1
    # The scheduled run at 07:00 the same morning finds it sent.
    monday_morning = local(datetime.date(2026, 11, 30), 7, 5)
    digest_due()
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.get().period == datetime.date(2026, 11, 30)


def test_send_now_first_says_to_how_many_and_sends_only_when_confirmed(
    centre, coordinator_client, django_capture_on_commit_callbacks
):
    for n in range(3):
        seat(f"raad{n}@example.org")
    seat("uden@example.org", verified=False)
    url = reverse("collaboration:digest-send-now")
    page = coordinator_client.post(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 recipients" in page and 'name="confirm"' in page
    assert not DigestDelivery.objects.exists() and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {"confirm": "1"})
    assert len(mail.outbox) == 3
