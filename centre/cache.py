"""The production cache: Redis, where Redis being away is not an error page.

While Redis is unreachable each web process keeps a small cache of its own in
memory and uses that instead; Redis is tried again after a pause of a few
seconds, so a page does not wait on one refused connection per cache call.
What lives in the cache keeps working, only per process for the time being:
pages are built from the database and kept locally, allauth's rate limits and
the second factor's used codes are counted in each process. When Redis answers
again, the local entries are dropped."""

import itertools
import logging
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

AWAY = (redis.ConnectionError, redis.TimeoutError)
_instances = itertools.count()


class ForgivingRedisCache(RedisCache):
    pause_seconds = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._away_until = 0.0
        # LocMemCache keeps its entries in module-level stores by name, never
        # freed: one name per instance (one per thread of a sync worker).
        self._local = LocMemCache(
            f"samhus-while-redis-is-away-{next(_instances)}", {"OPTIONS": {"MAX_ENTRIES": 5000}}
        )

    def _call(self, name, *args, **kwargs):
        if time.monotonic() >= self._away_until:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except AWAY as error:
                self._away_until = time.monotonic() + self.pause_seconds
                logger.warning(
                    "The Redis cache is unreachable (%s); this process caches in memory.", error
                )
            else:
                if self._away_until:  # back after an outage: what was kept meanwhile is stale
                    self._away_until = 0.0
                    self._local.clear()
                return result
        return getattr(self._local, name)(*args, **kwargs)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)
