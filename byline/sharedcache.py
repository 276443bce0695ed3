"""The "shared" cache without Redis: Django's database cache, but an `add()` that can fail loudly.

Django's `DatabaseCache.add()` answers False for *any* database error, so a write lock held
by a long import ("database is locked" after the busy timeout) looked exactly like "this key
is already taken" — and a reader's CAPTCHA was refused as "already answered". Here a False
from `add()` is believed only when the key is really there; otherwise the error surfaces as
`SharedCacheUnavailable`, which callers turn into "busy, try again".

Its `incr()` is atomic too: Django's reads the value and writes it back, so two processes
counting at once (the throttles) both wrote the same number and one attempt was lost.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now


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

    def incr(self, key, delta=1, version=None) -> int:
        """Add `delta` to a stored number, atomically across processes; ValueError when it is absent.

        A compare-and-swap: the UPDATE writes only if the value is still the one read, and
        reads again otherwise. No lock is held between the two statements, on SQLite or
        PostgreSQL alike.
        """
        key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote = connection.ops.quote_name
        table, cache_key, value_column = quote(self._table), quote("cache_key"), quote("value")
        read = f"SELECT {value_column} FROM {table} WHERE {cache_key} = %s AND {quote('expires')} > %s"  # noqa: S608 - names quoted
        swap = f"UPDATE {table} SET {value_column} = %s WHERE {cache_key} = %s AND {value_column} = %s"  # noqa: S608
        with connection.cursor() as cursor:
            for _ in range(1000):  # each miss means another process counted meanwhile
                expires_after = connection.ops.adapt_datetimefield_value(now().replace(microsecond=0))
                cursor.execute(read, [key, expires_after])
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key '{key}' not found")
                stored = connection.ops.process_clob(row[0])
                value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301 - our own rows
                encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
                cursor.execute(swap, [encoded, key, stored])
                if cursor.rowcount == 1:
                    return value
        raise SharedCacheUnavailable(f"could not count {key!r}: too many writers at once")
