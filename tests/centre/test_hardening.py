"""Hardening that needs no server: no open redirect through next=, and a
10 MB body is refused with 400, never a 500."""

import pytest
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

EVIL = [
    "//evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "https://evil.example/x",
]


@pytest.mark.parametrize("target", EVIL)
def test_signing_in_never_redirects_off_site(member, target):
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil.example" not in location and "javascript" not in location


@pytest.mark.parametrize("target", EVIL)
def test_the_language_switch_never_redirects_off_site(client, target):
    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"] and "javascript" not in response["Location"]


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("client", "/accounts/login/"),
        ("client", "/i18n/setlang/"),
        ("booker_client", "/bookings/new/"),
    ],
)
def test_a_ten_megabyte_post_is_refused_not_an_error(request, who, path):
    body = b"title=" + b"x" * (10 * 1024 * 1024)
    client = request.getfixturevalue(who)
    response = client.post(path, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (400, 413)


def test_signed_in_pages_are_private_and_public_ones_are_not(client, member_client):
    assert "private" in member_client.get("/accounts/profile/")["Cache-Control"]
    assert "private" in member_client.get("/calendar/").get("Cache-Control", "")
    assert "private" not in client.get("/calendar/").get("Cache-Control", "")
    assert "public" in member_client.get("/calendar/feed.ics")["Cache-Control"]


def test_the_content_security_policy_allows_no_inline_script(client):
    policy = client.get("/calendar/")["Content-Security-Policy"]
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'self'" in script
    assert "frame-ancestors 'none'" in policy
    # The embeddable calendar, and only it, may be framed by other sites.
    assert "frame-ancestors *" in client.get("/calendar/?embed=1")["Content-Security-Policy"]
