"""Danish by default, English complete, and the catalogues committed compiled."""

import ast
import gettext
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.conftest import REPO

pytestmark = pytest.mark.django_db


def _joined(lines):
    return "".join(ast.literal_eval(line) for line in lines if line)


def read_po(path):
    """msgid -> msgstr of a .po file; for plural entries, the first form; an
    entry with a context under "context\x04msgid", as the compiled file keeps it."""
    entries = {}
    for block in path.read_text().split("\n\n"):
        flags = [line for line in block.splitlines() if line.startswith("#,")]
        if any("fuzzy" in line for line in flags) and 'msgid ""\nmsgstr ""' not in block:
            entries[object()] = "FUZZY"
            continue
        match = re.search(
            r'^msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?msgstr(?:\[0\])? ((?:".*"\n?)+)',
            block,
            re.M,
        )
        if match:
            msgid = _joined(match.group(1).split("\n"))
            context = re.search(r'^msgctxt ((?:".*"\n)+)', block, re.M)
            if msgid and context:
                msgid = _joined(context.group(1).split("\n")) + "\x04" + msgid
            if msgid:
                entries[msgid] = _joined(match.group(2).split("\n"))
    return entries


def test_danish_catalogue_is_complete():
    entries = read_po(REPO / "locale/da/LC_MESSAGES/django.po")
    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr or msgstr == "FUZZY"]
    assert untranslated == []


@pytest.mark.parametrize("language", ["da", "en", "ar"])
def test_compiled_catalogue_matches_the_po(language):
    folder = REPO / "locale" / language / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for msgid, msgstr in read_po(folder / "django.po").items():
        if msgstr:
            # Plural entries are stored under (msgid, form); their first form is
            # the one for 1 in Danish, for 0 in Arabic (six forms).
            if (msgid, 0) in compiled._catalog:
                first = next(n for n in range(100) if compiled.plural(n) == 0)
                found = compiled.ngettext(msgid, msgid, first)
            else:
                found = compiled.gettext(msgid)
            assert found == msgstr, f"django.mo is stale: run compilemessages ({msgid!r})"


def test_danish_is_the_default(anonymous):
    response = anonymous.get("/")
    content = response.content.decode()
    assert '<html lang="da"' in content
    assert "Åbningstider" in content


def test_english_on_request(anonymous):
    response = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert '<html lang="en"' in content
    assert "Opening hours" in content


def test_unsupported_language_falls_back_to_danish(anonymous):
    content = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert '<html lang="da"' in content


def test_language_switcher_on_every_page(anonymous, member_client):
    for client, url in [
        (anonymous, "/"),
        (anonymous, reverse("account_login")),
        (member_client, reverse("centre:profile")),
    ]:
        assert 'name="language"' in client.get(url).content.decode(), url


def test_switching_language_sticks_and_is_saved_for_a_user(member_client, member):
    response = member_client.post(
        reverse("centre:set-language"), {"language": "en", "next": "/accounts/profile/"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/profile/"
    assert "Sign out" in member_client.get("/").content.decode()
    member.refresh_from_db()
    assert member.language == "en"


def test_switching_to_an_unknown_language_changes_nothing(member_client, member):
    member_client.post(reverse("centre:set-language"), {"language": "xx", "next": "/"})
    member.refresh_from_db()
    assert member.language == "da"
    assert '<html lang="da"' in member_client.get("/").content.decode()


def test_switcher_refuses_an_open_redirect(anonymous):
    response = anonymous.post(
        reverse("centre:set-language"), {"language": "en", "next": "//evil.example/"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert "evil.example" not in response["Location"]


def test_404_is_translated(anonymous):
    response = anonymous.get("/findes-ikke/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Siden findes ikke" in response.content.decode()
    response = anonymous.get("/missing/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Page not found" in response.content.decode()


def test_signing_in_switches_to_the_saved_language(anonymous, member):
    from tests.factories import PASSWORD

    member.language = "en"
    member.save()
    anonymous.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    content = anonymous.get("/").content.decode()
    assert '<html lang="en"' in content


def test_signing_up_keeps_the_language_in_use(anonymous):
    from centre.models import User
    from tests.factories import PASSWORD

    anonymous.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert User.objects.get(email="new@example.org").language == "en"
