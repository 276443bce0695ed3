"""Redis caches that survive Redis going away.

With ``BYLINE_CACHE_URL`` set, every app node shares Redis. If Redis stops, a page must
still be served (only slower) and a comment still posted, so:

- ``ResilientRedisCache`` ("default") treats an unreachable Redis as an empty cache: a read
  misses, a write is dropped. After a failure it does not try again for a couple of seconds,
  so a dead Redis costs one refused connection per process per interval, not one per call.
- ``SharedRedisCache`` ("shared") holds what must be the same on every node, such as the
  CAPTCHA's single-use claims. A dropped ``add`` would let a solved sum be replayed, so
  ``add`` also writes the claim to the site's database (the ``byline_cache_shared`` table,
  whose insert is atomic across nodes): while Redis is down the database alone decides,
  and a claim made before Redis went down is still known to it.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("byline.cache")

# Seconds to bypass Redis after it failed.
RETRY_INTERVAL = 2.0


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, as an empty cache while Redis cannot be reached."""

    _down_until = 0.0

    def _call(self, method: str, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), method)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            if not self._down_until:
                log.warning("Redis cannot be reached (%s); serving without the cache", exc)
            self._down_until = time.monotonic() + RETRY_INTERVAL
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call("incr", missing, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return result

    def clear(self):
        return self._call("clear", False)


class SharedRedisCache(ResilientRedisCache):
    """The "shared" cache: Redis, with single-use claims (``add``) also kept in the database."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._database_alias = params.get("DATABASE_CACHE", "shared_database")

    @property
    def _database(self) -> DatabaseCache:
        return caches[self._database_alias]

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Claim ``key``: True only if neither Redis nor the database has it already."""
        missing = object()
        in_redis = self._call("add", missing, key, value, timeout, version)
        if in_redis is False:
            return False  # claimed before: no need to ask the database
        # Redis said "new" or could not be asked; the database's insert decides either way.
        return self._database.add(key, value, timeout, version)

    def delete(self, key, version=None):
        """Forget a claim (a comment that could not be saved gives its sum back) everywhere."""
        in_redis = self._call("delete", False, key, version)
        return self._database.delete(key, version) or in_redis
