"""centre.mail.message: the one way Samhus builds a mail."""

import pytest
from django.conf import settings
from django.utils import translation

from centre import mail

NAME = 'Tom & "Jerry" <Kaffeklub>'


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
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
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


def test_no_html_part_without_an_html_template(templates):
    message = mail.message(
        to=["a@example.org"], template="mails/plain", context={"name": NAME}, language="en"
    )
    assert message.alternatives == []
    assert message.body == NAME


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
