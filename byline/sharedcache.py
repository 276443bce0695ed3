"""The "shared" cache without Redis: Django's database cache, but an `add()` that can fail loudly.

Django's `DatabaseCache.add()` answers False for *any* database error, so a write lock held
by a long import ("database is locked" after the busy timeout) looked exactly like "this key
is already taken" — and a reader's CAPTCHA was refused as "already answered". Here a False
from `add()` is believed only when the key is really there; otherwise the error surfaces as
`SharedCacheUnavailable`, which callers turn into "busy, try again".
"""

from __future__ import annotations

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache


class SharedCacheUnavailable(Exception):
    """The shared cache could not be written (the database is locked or down)."""


class SharedDatabaseCache(DatabaseCache):
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        """Store `key` unless it is present; False only when another writer really holds it."""
        if super().add(key, value, timeout=timeout, version=version):
            return True
        # A read works under SQLite's WAL while another connection holds the write lock.
        if self.has_key(key, version=version):
            return False
        raise SharedCacheUnavailable(f"could not write {key!r} to the shared cache")
