"""How many posts a list has, counted once per change of the site instead of once per page view.

"Page 2 of 9,801" needs the number of posts in the list: on a 100,000-post site that count
reads every entry of an index (50 ms on SQLite, more than the rest of the page). A count can
only change when the site does, and every such change sends `site_changed`: the count is kept
in the process's cache under the site's generation (`byline.sitewide.generation`: the page
cache's, a file in the data dir or a key in Redis, the same for every server process and
node), which each change replaces at once and again after the outermost transaction commits,
so a count taken between the two (of rows not yet committed) is never used after the commit.
When the generation cannot be read, lists are counted every time.
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches
from django.db.models import QuerySet

from byline import sitewide

COUNT_SECONDS = 600


def count(qs: QuerySet) -> int:
    """`qs.count()`, remembered until the site next changes."""
    current = sitewide.generation()
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
