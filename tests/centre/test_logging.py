"""The log: a 403 or a 404 is one line naming the method, the path, the
status and the user; a 500 keeps its traceback."""

import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _request_records(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


def test_a_403_is_one_line_without_traceback(member_client, member, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert member_client.get("/house/").status_code == 403  # PermissionDenied
    [record] = _request_records(caplog)
    assert record.getMessage() == f"403 GET /house/ user={member.pk}"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_404_is_one_line(anonymous, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert anonymous.get("/no-such-page/%0Aforged").status_code == 404
    [record] = _request_records(caplog)
    assert record.getMessage() == "404 GET /no-such-page/\\nforged anonymous"
    assert record.exc_info is None


def test_a_500_keeps_its_traceback(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the template engine broke")

    monkeypatch.setattr("centre.views.render", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/privacy/").status_code == 500
    [record] = _request_records(caplog)
    assert record.levelname == "ERROR"
    assert record.getMessage() == "Internal Server Error: /privacy/"
    assert record.exc_info is not None
    assert "RuntimeError: the template engine broke" in caplog.text


def test_a_request_for_another_host_is_one_line_with_the_reason(caplog):
    client = Client(HTTP_HOST="evil.example\nforged")
    with caplog.at_level(logging.WARNING):
        assert client.get("/").status_code == 400
    [record] = [r for r in caplog.records if r.name.startswith("django.security")]
    assert record.getMessage().startswith(
        "400 GET /: Invalid HTTP_HOST header: 'evil.example\\nforged'."
    )
    assert record.exc_info is None
    assert "Traceback" not in caplog.text
