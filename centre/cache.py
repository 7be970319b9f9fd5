"""The production cache: Redis, where Redis being away is a cache miss and not
an error page. Pages are rebuilt from the database, writes are dropped, and
after a failure Redis is left alone for a few seconds so a page does not wait
on one refused connection per cache call. ``add`` answers False while Redis is
away, so whatever relies on it to say "first" (the second factor's used codes,
allauth's rate-limit lock) stays closed rather than open."""

import logging
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

AWAY = (redis.ConnectionError, redis.TimeoutError)


class ForgivingRedisCache(RedisCache):
    pause_seconds = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._away_until = 0.0

    def _try(self, call, fallback):
        if time.monotonic() < self._away_until:
            return fallback
        try:
            return call()
        except AWAY as error:
            self._away_until = time.monotonic() + self.pause_seconds
            logger.warning("The Redis cache is unreachable (%s); serving without it.", error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._try(
            lambda: super(ForgivingRedisCache, self).get(key, default, version), default
        )

    def get_many(self, keys, version=None):
        return self._try(lambda: super(ForgivingRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._try(lambda: super(ForgivingRedisCache, self).has_key(key, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._try(lambda: super(ForgivingRedisCache, self).set(key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        failed = list(data)
        return self._try(
            lambda: super(ForgivingRedisCache, self).set_many(data, timeout, version), failed
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(
            lambda: super(ForgivingRedisCache, self).add(key, value, timeout, version), False
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(
            lambda: super(ForgivingRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key, version=None):
        return self._try(lambda: super(ForgivingRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        self._try(lambda: super(ForgivingRedisCache, self).delete_many(keys, version), None)
