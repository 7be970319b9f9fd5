"""The production cache (centre.cache.ForgivingRedisCache): Redis being away
is a miss, not an error page; ``add`` stays closed while it is away."""

import os
import time

import pytest

from centre.cache import ForgivingRedisCache

# A port nothing listens on: connections are refused at once.
DEAD = "redis://127.0.0.1:9/0"


def make(location: str) -> ForgivingRedisCache:
    return ForgivingRedisCache(
        location, {"KEY_PREFIX": "samhus-cache-test", "OPTIONS": {"socket_connect_timeout": 1}}
    )


def test_an_unreachable_redis_is_a_miss_and_writes_are_dropped(caplog):
    cache = make(DEAD)
    assert cache.get("calendar", "fallback") == "fallback"
    assert "unreachable" in caplog.text
    assert cache._away_until > time.monotonic()
    cache.set("calendar", "<html>")  # dropped, no error
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("a") is False
    assert cache.delete("a") is False
    cache.delete_many(["a", "b"])
    assert cache.touch("a") is False
    # "Was I first?" answers no while Redis is away: a second-factor code is
    # not taken as unused, a rate-limit lock is not taken as free.
    assert cache.add("totp-used", "y") is False


def test_after_a_failure_redis_is_left_alone_for_a_pause(caplog):
    cache = make(DEAD)
    cache.get("a")
    first = caplog.text.count("unreachable")
    for _ in range(50):
        cache.get("a")
    assert caplog.text.count("unreachable") == first  # no new attempts within the pause
    cache._away_until = time.monotonic() - 1  # the pause is over
    cache.get("a")
    assert caplog.text.count("unreachable") == first + 1


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis (REDIS_URL)")
def test_a_reachable_redis_works_as_the_cache():
    cache = make(os.environ["REDIS_URL"])
    try:
        cache.set("a", {"rows": [1, 2]}, 30)
        assert cache.get("a") == {"rows": [1, 2]}
        assert cache.add("once", 1, 30) is True
        assert cache.add("once", 1, 30) is False
        assert cache.get_many(["a", "none"]) == {"a": {"rows": [1, 2]}}
    finally:
        cache.delete_many(["a", "once"])
