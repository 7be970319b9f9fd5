"""The production cache (centre.cache.ForgivingRedisCache): while Redis is away
a process caches in its own memory instead of failing the page."""

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


def test_an_unreachable_redis_gives_way_to_the_process_memory(caplog):
    cache = make(DEAD)
    assert cache.get("calendar", "fallback") == "fallback"
    assert "unreachable" in caplog.text
    assert cache._away_until > time.monotonic()
    cache.set("calendar", "<html>", 30)
    assert cache.get("calendar") == "<html>"
    assert cache.set_many({"a": 1, "b": 2}, 30) == []
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert cache.has_key("a") is True
    assert cache.incr("a") == 2
    assert cache.touch("a", 30) is True
    assert cache.delete("a") is True
    cache.delete_many(["b"])
    assert cache.get_many(["a", "b"]) == {}
    # "Was I first?" still has one answer per process: a second-factor code
    # is used once, a rate-limit lock is held by one request at a time.
    assert cache.add("totp-used", "y", 90) is True
    assert cache.add("totp-used", "y", 90) is False


def test_two_caches_do_not_share_their_memory():
    one, two = make(DEAD), make(DEAD)
    one.set("a", 1, 30)
    assert two.get("a") is None


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
def test_a_reachable_redis_is_the_cache_and_the_memory_is_not_read():
    cache = make(os.environ["REDIS_URL"])
    try:
        cache._local.set("a", "stale, from an outage", 30)
        cache.set("a", {"rows": [1, 2]}, 30)
        assert cache.get("a") == {"rows": [1, 2]}
        assert cache.add("once", 1, 30) is True
        assert cache.add("once", 1, 30) is False
        assert cache.get_many(["a", "none"]) == {"a": {"rows": [1, 2]}}
        assert cache._away_until == 0.0
        cache._away_until = time.monotonic() - 1  # as after an outage that is over
        assert cache.get("a") == {"rows": [1, 2]}
        assert cache._local.get("a") is None  # what was kept meanwhile is dropped
        assert cache._away_until == 0.0
    finally:
        cache.delete_many(["a", "once"])
