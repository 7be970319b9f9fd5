"""Faults: when PostgreSQL drops every connection (as in a restart), the next
requests to a gunicorn worker with persistent connections succeed: Samhus
checks a kept connection before using it (CONN_HEALTH_CHECKS) and reconnects."""

import urllib.error
import urllib.request

import psycopg
import pytest
from django.db import connection

from tests.conftest import clean_env, start_gunicorn, test_database_url

pytestmark = pytest.mark.postgres


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def gunicorn(transactional_db, collected_static):
    env = clean_env(
        DATABASE_URL=test_database_url(),
        SECRET_KEY="faults-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_CONN_MAX_AGE="600",
        STATIC_ROOT=collected_static,
    )
    with start_gunicorn(env) as base:
        yield base, connection.settings_dict["NAME"]


def test_requests_succeed_after_the_database_drops_its_connections(gunicorn):
    base, name = gunicorn
    assert _get(base + "/healthz") == 200
    assert _get(base + "/calendar/feed.json") == 200  # the worker now keeps a connection
    db = connection.settings_dict
    dsn = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/postgres"
    with psycopg.connect(dsn, autocommit=True) as admin:
        dropped = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchone()[0]
    assert dropped >= 1
    connection.close()  # this test's own connection was dropped too
    for path in ("/healthz", "/calendar/feed.json", "/healthz"):
        assert _get(base + path) == 200, path
