"""The cache: a table in the database. Pages need no cache; what is cached
(allauth's counts of failed logins, the second factor's used codes) must be
shared by every web process and must not depend on Redis."""

import subprocess
import sys

import pytest
from django.core.cache import cache
from django.db import connection

from tests.conftest import clean_env


@pytest.mark.django_db
def test_what_is_cached_is_a_row_in_the_database():
    cache.set("samhus-test-key", {"failures": 3}, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM samhus_cache")
        assert cursor.fetchone()[0] == 1
    assert cache.get("samhus-test-key") == {"failures": 3}


@pytest.mark.django_db
def test_a_code_can_be_claimed_once():
    # allauth records a used second-factor code with add(): a second add loses.
    assert cache.add("totp-used-123456", True, 60) is True
    assert cache.add("totp-used-123456", True, 60) is False


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:9/0"])
def test_the_cache_is_the_database_with_or_without_redis(redis_url, tmp_path):
    env = clean_env(SAMHUS_VAR_DIR=str(tmp_path), REDIS_URL=redis_url)
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert printed == "django.core.cache.backends.db.DatabaseCache"
