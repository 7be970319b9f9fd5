"""centre.mail.message: the one way Samhus builds a mail."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from centre import mail
from centre.models import Centre

NAME = 'Tom & "Jerry" <Kaffeklub>'

# The layout names the house, which comes from the database when the mail's
# context does not carry it.
pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(tmp_path, settings):
    folder = tmp_path / "mails"
    folder.mkdir()
    (folder / "note_subject.txt").write_text(
        '{% load i18n %}\n  {% translate "Reason" %}:\n{{ name }}\r\n  Bcc: x@evil.example\n'
    )
    (folder / "note.txt").write_text(
        "{% load i18n %}{% get_current_language as code %}{{ code }} {{ name }}\n"
    )
    (folder / "note.html").write_text("<p>{{ name }}</p>\n")
    (folder / "plain_subject.txt").write_text("{{ name }}")
    (folder / "plain.txt").write_text("{{ name }}")
    first = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**first, "DIRS": [tmp_path, *first["DIRS"]]}]
    return folder


def test_the_subject_is_one_line_and_never_escaped(templates):
    message = mail.message(
        to=["a@example.org"], template="mails/note", context={"name": NAME}, language="en"
    )
    assert message.subject == f"Reason: {NAME} Bcc: x@evil.example"
    assert message.message()["Bcc"] is None


def test_the_text_is_plain_and_the_html_escaped(templates):
    message = mail.message(
        to=["a@example.org"], template="mails/note", context={"name": NAME}, language="en"
    )
    assert message.body == f"en {NAME}\n"
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Tom &amp; &quot;Jerry&quot; &lt;Kaffeklub&gt;" in html


def test_the_recipients_language_is_used_whatever_is_active(templates):
    with translation.override("en"):
        message = mail.message(
            to=["a@example.org"], template="mails/note", context={"name": "Ib"}, language="da"
        )
        assert translation.get_language() == "en"
    assert message.subject == "Årsag: Ib Bcc: x@evil.example"
    assert message.body == "da Ib\n"


def test_a_mail_with_only_a_text_template_gets_the_layout_too(templates):
    text = f"{NAME}\n\nSee https://samhus.example.org/bookings/mine/ today."
    (templates / "plain.txt").write_text(text)
    message = mail.message(
        to=["a@example.org"], template="mails/plain", context={"name": NAME}, language="en"
    )
    assert message.body == text
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<p>Tom &amp; &quot;Jerry&quot; &lt;Kaffeklub&gt;</p>" in html
    assert '<a href="https://samhus.example.org/bookings/mine/"' in html
    assert "<script" not in html and NAME not in html


def test_every_html_part_is_the_houses_layout(templates):
    centre = Centre.load()
    centre.name = "Samhus Nørrebro"
    centre.address, centre.postcode, centre.city = "Husvej 12", "2200", "København N"
    centre.save()
    for template, language in [("mails/note", "da"), ("mails/plain", "en")]:
        message = mail.message(
            to=["a@example.org"], template=template, context={"name": "Ib"}, language=language
        )
        [(html, _type)] = message.alternatives
        assert html.startswith("<!DOCTYPE html>")
        assert f'<html lang="{language}" dir="ltr">' in html
        assert '<meta name="color-scheme" content="light dark">' in html
        assert html.count("Samhus Nørrebro") == 2  # the band above and the address below
        assert "Husvej 12, 2200 København N" in html
        assert f"<title>{message.subject}</title>" in html
        # Inline styles only: no stylesheet a mail program would drop.
        assert "<style" not in html and "<link" not in html
        # Every coloured cell sets its text colour too (safe in a dark mode).
        for cell in re.findall(r'style="([^"]*background-color[^"]*)"', html):
            assert "color:#" in cell.replace("background-color", ""), cell
        assert message.body.strip(), "a plain-text part as well"


def test_from_the_house_with_the_headers_and_reply_to_given(templates):
    message = mail.message(
        to=["a@example.org"],
        template="mails/plain",
        context={"name": "Ib"},
        language="en",
        headers={"Message-ID": "<digest-1@samhus.example>", "Auto-Submitted": "auto-generated"},
        reply_to=["council@example.org"],
    )
    parsed = message.message()
    assert parsed["From"] == settings.DEFAULT_FROM_EMAIL
    assert parsed["To"] == "a@example.org"
    assert parsed["Message-ID"] == "<digest-1@samhus.example>"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Reply-To"] == "council@example.org"


@pytest.mark.django_db
def test_a_mail_sent_once_per_key_carries_the_keys_message_id(templates, settings, mailoutbox):
    settings.SITE_URL = "https://samhus.example.org"

    def note():
        return mail.message(
            to=["a@example.org"], template="mails/plain", context={"name": "x"}, language="da"
        )

    assert mail.send_once(note(), "booking.abc-1.7") is True
    assert mail.send_once(note(), "booking.abc-1.7") is False  # run again: not sent again
    assert mail.send_once(note(), "booking.abc-1.8") is True
    first, second = mailoutbox
    assert first.extra_headers["Message-ID"] == "<booking.abc-1.7@samhus.example.org>"
    assert first.message()["Message-ID"] == "<booking.abc-1.7@samhus.example.org>"
    assert second.extra_headers["Message-ID"] != first.extra_headers["Message-ID"]
    # A key never adds anything but an id: no spaces, brackets or a second @.
    assert mail.message_id("a b<c>@d\r\n") == "<a-b-c--d--@samhus.example.org>"


@pytest.mark.django_db
def test_a_notification_task_run_twice_under_one_id_mails_each_person_once(mailoutbox):
    """A task redelivered after its worker died, or handed over again by the
    outbox, keeps its id: each coordinator gets the request once."""
    from bookings.notifications import notify_request
    from tests.factories import BookingFactory, UserFactory

    UserFactory(email="k1@example.org", is_coordinator=True)
    UserFactory(email="k2@example.org", is_coordinator=True)
    booking = BookingFactory(status="requested")
    notify_request.apply(args=[[booking.pk]], task_id="outbox-7-abc")
    notify_request.apply(args=[[booking.pk]], task_id="outbox-7-abc")
    assert sorted(m.to[0] for m in mailoutbox) == ["k1@example.org", "k2@example.org"]
    notify_request.apply(args=[[booking.pk]], task_id="outbox-8-def")  # a new request
    assert len(mailoutbox) == 4


def test_an_address_refused_for_good_does_not_stop_the_news_reaching_the_others(
    settings, booker, room, actor, caplog
):
    """The coordinators hear of a request one by one through a real SMTP
    server; one of them has an address the server refuses for good (550) and
    comes first: the others still get theirs. A refusal for now (451) is
    raised, so the task is retried."""
    import smtplib

    from bookings.tasks import notify_request
    from tests.conftest import Mailbox, send_through, smtp_server
    from tests.factories import BookingFactory, UserFactory

    gone = UserFactory(email="aaa.gone@example.org", is_coordinator=True)
    others = [
        UserFactory(email=f"koordinator{n}@example.org", is_coordinator=True) for n in range(2)
    ]
    booking = BookingFactory(room=room, actor=actor, booked_by=booker)
    mailbox = Mailbox(refuse={gone.email: "550 5.1.1 No such user"})
    with smtp_server(mailbox) as url:
        send_through(settings, url)
        notify_request.apply(args=[[booking.pk]]).get()
        received = {recipient for recipients, _ in mailbox.messages for recipient in recipients}
        assert received == {user.email for user in others}
        assert "refused for good" in caplog.text and gone.email in caplog.text

        mailbox.refuse = {others[0].email: "451 4.3.0 Try again later"}
        message = mail.message(
            to=[others[0].email], template="bookings/email/request", context={}, language="da"
        )
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            mail.send_once(message, "test.later")


def test_a_mail_task_tries_again_when_the_database_was_away_for_a_moment(mailoutbox):
    """A database restart or failover while a notification is being sent: the
    task is retried (as for SMTP trouble), not marked failed, and the mail
    leaves once."""
    from unittest import mock

    from django.db import OperationalError

    from bookings.notifications import notify_request
    from centre.models import SentMail
    from tests.factories import BookingFactory, UserFactory

    UserFactory(email="k1@example.org", is_coordinator=True)
    booking = BookingFactory(status="requested")
    reads = SentMail.objects.filter
    calls = []

    def away_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return reads(*args, **kwargs)

    with mock.patch.object(SentMail.objects, "filter", side_effect=away_once):
        result = notify_request.apply(args=[[booking.pk]], task_id="outbox-9-abc", throw=False)
    assert result.successful(), result.traceback
    assert [m.to for m in mailoutbox] == [["k1@example.org"]]
    assert len(calls) >= 2  # tried again
