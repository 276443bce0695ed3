"""How many posts a list has, counted once per change of the site instead of once per page view.

"Page 2 of 9,801" needs the number of posts in the list: on a 100,000-post site that count
reads every entry of an index (50 ms on SQLite, more than the rest of the page). A count can
only change when the site does, and every such change sends `site_changed`: the count is kept
in the process's cache under the site's *content generation*, a token in the "shared" cache
(the database, or Redis: the same for every server process and node) that each change
replaces. Replaced twice — at once, and again after the outermost transaction commits — so a
count taken between the two (of rows not yet committed) is never used after the commit.
When the shared cache cannot be read, lists are counted every time.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import caches
from django.db import transaction
from django.db.models import QuerySet

GENERATION = "byline:content-generation"
COUNT_SECONDS = 600


def _new_generation() -> None:
    caches["shared"].set(GENERATION, uuid.uuid4().hex, timeout=None)


def site_changed(**_kwargs) -> None:
    """Every remembered count is outdated (connected to `byline.signals.site_changed`)."""
    _new_generation()
    transaction.on_commit(_new_generation, robust=True)


def generation() -> str | None:
    shared = caches["shared"]
    current = shared.get(GENERATION)
    if current is None:
        shared.add(GENERATION, uuid.uuid4().hex, timeout=None)
        current = shared.get(GENERATION)
    return current


def count(qs: QuerySet) -> int:
    """`qs.count()`, remembered until the site next changes."""
    current = generation()
    if current is None:
        return qs.count()
    sql, params = qs.query.sql_with_params()
    key = "byline:count:" + hashlib.sha256(f"{current}\0{sql}\0{params!r}".encode()).hexdigest()
    cache = caches["default"]
    found = cache.get(key)
    if found is None:
        found = qs.count()
        cache.set(key, found, COUNT_SECONDS)
    return found
