"""Full-text search of posts and pages: SQLite's FTS5 or PostgreSQL's text search, one interface.

The index holds each post's words in three weighted parts (title above excerpt above body),
keyed by the post's id; who may see a post (status, type, author) is still asked of the post
table, so a status change needs no re-indexing. A password-protected post is indexed by its
title only: its excerpt and body are what the password guards.

`save_post` calls `index_post`; deleting a post (any way, cascades included) calls
`forget_post` through a `post_delete` receiver; `reindex` fills the index for posts written
in bulk (`byline reindex`, the 100k-post benchmark site, the migration that made the index).

Readers' words never reach either query language: they are cut into letters-and-digits
tokens here and each is quoted, so quotes, `*`, `-`, `NEAR`, `OR`, parentheses or NUL in a
search are only separators, never syntax.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

from django.db import connection, connections
from django.db.models import FloatField, QuerySet, Value

FTS_TABLE = "byline_post_fts"  # SQLite: an FTS5 virtual table, rowid = the post's id
PG_TABLE = "byline_post_search"  # PostgreSQL: (post_id, document tsvector) with a GIN index
POST_TABLE = "byline_post"

COLUMNS = ("title", "excerpt", "body")
# bm25 column weights (SQLite) and tsvector weights (PostgreSQL): a word in the title counts
# ten times one in the body (ts_rank's default weights are A 1.0, B 0.4, D 0.1).
BM25_WEIGHTS = {"title": 10.0, "excerpt": 4.0, "body": 1.0}
PG_WEIGHTS = {"title": "A", "excerpt": "B", "body": "D"}
PG_CONFIG = "simple"  # no stemming, no stop words: the same words match on both databases

MAX_WORDS = 10  # WordPress searches at most the first ten words
MAX_WORD_CHARS = 64

_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


def html_text(rendered_html: str) -> str:
    """The words of a rendered body (captions included: WordPress searches them too)."""
    text = _TAG.sub(" ", _SCRIPT.sub(" ", rendered_html or ""))
    return " ".join(html.unescape(text).split())


def fold(text: str) -> str:
    """Lower case without accents ("Café" → "cafe"): what SQLite's unicode61 tokenizer does,
    done in Python for PostgreSQL (whose `simple` configuration keeps accents)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(terms: str) -> list[str]:
    """The searchable words of a reader's text: runs of letters and digits, at most ten."""
    words = []
    for raw in re.findall(r"[^\W_]+", fold(terms or "")):
        word = "".join(c for c in raw if c.isalnum())[:MAX_WORD_CHARS]
        if word:
            words.append(word)
    return words[:MAX_WORDS]


# --- the query ------------------------------------------------------------------------------------


def _sqlite_query(words: list[str], columns: Iterable[str], exact: bool, prefix: bool = True) -> str:
    # Each word is a quoted FTS5 string: whatever it holds is text, not syntax. A trailing *
    # makes it a prefix ("crane" finds "cranes"), as WordPress's LIKE '%crane%' would.
    if exact:
        match = '"' + " ".join(words) + '"'
    else:
        star = "*" if prefix else ""
        match = " AND ".join(f'"{w}"{star}' for w in words)
    cols = [c for c in COLUMNS if c in set(columns)]
    if cols != list(COLUMNS):
        match = "{" + " ".join(cols) + "} : (" + match + ")"
    return match


def _pg_query(words: list[str], columns: Iterable[str], exact: bool, prefix: bool = True) -> str:
    # A weight filter (':AD') makes PostgreSQL read every matching row's tsvector to check it
    # (the GIN index holds no weights): 74 ms on the 100,000-post site. Only when asked.
    chosen = [c for c in COLUMNS if c in set(columns)]
    weights = "".join(PG_WEIGHTS[c] for c in chosen) if chosen != list(COLUMNS) else ""
    if exact:
        return " <-> ".join(f"'{w}':{weights}" for w in words)
    star = "*" if prefix else ""
    return " & ".join(f"'{w}':{star}{weights}" for w in words)


def matching(qs: QuerySet, terms: str, *, columns: Iterable[str] = COLUMNS, exact: bool = False) -> QuerySet:
    """Posts of `qs` with every word of `terms` in one of `columns`, annotated `search_rank`
    (higher is more relevant). Text with no word in it matches nothing.

    Only the newest `CANDIDATES` matching posts (by id) are ranked and counted: ranking is
    work per match, and a word found in every post of a 100,000-post site would cost a
    second a search. So one small query first finds the id of the CANDIDATES-th newest match
    (a backwards walk of the index, stopping there) and the search keeps to ids from it on.
    """
    words = words_of(terms)
    columns = [c for c in columns if c in COLUMNS]
    if not words or not columns:
        return qs.annotate(search_rank=Value(0.0, output_field=FloatField())).none()
    if connection.vendor == "postgresql":
        query = f"to_tsquery('{PG_CONFIG}', %s)"
        text, ids = _pg_candidates(
            f"SELECT post_id FROM {PG_TABLE} WHERE document @@ {query} ORDER BY post_id DESC LIMIT %s",
            [_pg_query(words, columns, exact, prefix) for prefix in (False, True)],
        )
        # The candidates by id, not "post_id >= the oldest": given a range and a word, the
        # planner misjudged how many rows the pair leaves and walked 47,000 (130 ms).
        return qs.extra(
            tables=[PG_TABLE],
            where=[f"{PG_TABLE}.post_id = {POST_TABLE}.id", f"{PG_TABLE}.post_id = ANY(%s::bigint[])"],
            params=[ids],
            select={"search_rank": f"ts_rank({PG_TABLE}.document, {query})"},
            select_params=[text],
        )
    text, oldest = _narrowest(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC",
        [_sqlite_query(words, columns, exact, prefix) for prefix in (False, True)],
    )
    # The unary + keeps SQLite from offering the join to FTS5 as a rowid lookup: it would
    # then walk every public post and run the full-text query once per post (measured:
    # 160 µs a post). So the index is read once and each match finds its post by key.
    where = [f"{POST_TABLE}.id = +{FTS_TABLE}.rowid", f"{FTS_TABLE} MATCH %s"]
    params: list = [text]
    if oldest is not None:
        where.append(f"{FTS_TABLE}.rowid >= %s")  # FTS5 seeks to it: the rest is never read
        params.append(oldest)
    weights = ", ".join(str(BM25_WEIGHTS[c]) for c in COLUMNS)
    return qs.extra(
        tables=[FTS_TABLE],
        where=where,
        params=params,
        # bm25 is lower for better matches; negated so that both databases sort descending.
        select={"search_rank": f"-bm25({FTS_TABLE}, {weights})"},
    )


CANDIDATES = 500  # the most posts a search ranks and counts: 50 pages of 10


def _narrowest(sql: str, queries: list[str]) -> tuple[str, int | None]:
    """The query to run and the oldest id it may match: the whole words alone when they fill
    the CANDIDATES already, else the words as prefixes too ("crane" → "cranes").

    A prefix of a common word merges the lists of every word it begins (all of them, before
    the first row comes out): 200 ms on the 100,000-post site, against under 1 ms for the
    word alone, which the index reads lazily from the newest post back.
    """
    whole, prefixes = queries
    oldest = _oldest_candidate(sql, whole)
    if oldest is not None or whole == prefixes:
        return whole, oldest
    return prefixes, _oldest_candidate(sql, prefixes)


def _pg_candidates(sql: str, queries: list[str]) -> tuple[str, list[int]]:
    """PostgreSQL: the query and the ids of its newest CANDIDATES matches (whole words first,
    as `_narrowest`)."""
    found: list[int] = []
    for text in dict.fromkeys(queries):
        with connection.cursor() as cursor:
            cursor.execute(sql, [text, CANDIDATES])
            found = [row[0] for row in cursor.fetchall()]
        if len(found) >= CANDIDATES:
            break
    return text, found


def _oldest_candidate(sql: str, text: str) -> int | None:
    """The id of the CANDIDATES-th newest match, or None when there are no more than that."""
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT 1 OFFSET %s", [text, CANDIDATES - 1])
        row = cursor.fetchone()
    return row[0] if row else None


def by_relevance(qs: QuerySet) -> QuerySet:
    """A `matching` queryset, most relevant first, then newest."""
    return qs.order_by("-search_rank", "-published_at", "-id")


def ranked_ids(qs: QuerySet) -> list[int]:
    """The ids of a `matching` queryset, in its order: at most CANDIDATES of them, so a
    search's count and any page of it come from this one query.

    Counted and sliced in two queries, the join of the index with the post table ran twice;
    and fetched with its rows, every candidate carried its joined author, profile and images
    and its columns into the sort to keep ten.
    """
    return list(qs.values_list("pk", flat=True))


def rows_of(qs: QuerySet, ids: list[int]) -> list:
    """The posts of `ids`, in that order, with `qs`'s joins, deferrals and prefetches but
    without its full-text join and rank (which would be worked out again)."""
    if not ids:
        return []
    rows_qs = qs.model._default_manager.filter(pk__in=ids)
    rows_qs.query.select_related = qs.query.select_related
    rows_qs.query.deferred_loading = qs.query.deferred_loading
    rows_qs._prefetch_related_lookups = qs._prefetch_related_lookups
    rows = {row.pk: row for row in rows_qs}
    return [rows[pk] for pk in ids if pk in rows]


# --- keeping the index ---------------------------------------------------------------------------


def _parts(title: str, excerpt: str, content_html: str, password: str) -> tuple[str, str, str]:
    if password:
        return title, "", ""
    return title, excerpt, html_text(content_html)


def index_rows(rows: Iterable[tuple[int, str, str, str, str]], using=None) -> int:
    """(id, title, excerpt, content_html, password) of posts into the index, replacing their rows."""
    conn = using or connection
    count = 0
    batch: list[tuple] = []
    with conn.cursor() as cursor:
        for pk, title, excerpt, content_html, password in rows:
            batch.append((pk, *_parts(title, excerpt, content_html, password)))
            if len(batch) >= 500:
                count += _write(cursor, conn.vendor, batch)
                batch = []
        if batch:
            count += _write(cursor, conn.vendor, batch)
    return count


def _write(cursor, vendor: str, batch: list[tuple]) -> int:
    ids = [(row[0],) for row in batch]
    if vendor == "postgresql":
        cursor.executemany(f"DELETE FROM {PG_TABLE} WHERE post_id = %s", ids)
        cursor.executemany(
            f"INSERT INTO {PG_TABLE} (post_id, document) VALUES (%s, "
            f"setweight(to_tsvector('{PG_CONFIG}', %s), 'A') || "
            f"setweight(to_tsvector('{PG_CONFIG}', %s), 'B') || "
            f"setweight(to_tsvector('{PG_CONFIG}', %s), 'D'))",
            [(pk, fold(t), fold(e), fold(b)) for pk, t, e, b in batch],
        )
    else:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", ids)
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, excerpt, body) VALUES (%s, %s, %s, %s)", batch
        )
    return len(batch)


def index_post(post) -> None:
    """Put a saved post's words in the index (called by `save_post`, in its transaction)."""
    index_rows([(post.pk, post.title, post.excerpt, post.content_html, post.password)])


def _table(conn) -> tuple[str, str]:
    return (PG_TABLE, "post_id") if conn.vendor == "postgresql" else (FTS_TABLE, "rowid")


def forget_post(post_id: int, using=None) -> None:
    """Take a deleted post out of the index."""
    conn = connections[using] if isinstance(using, str) else (using or connection)
    table, key = _table(conn)
    with conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {key} = %s", [post_id])


def forget_missing_posts(using=None) -> None:
    """Drop index rows whose post is gone (a flushed test database, rows deleted with raw SQL)."""
    conn = using or connection
    table, key = _table(conn)
    if table not in conn.introspection.table_names():
        return  # the migration that makes it has not run (or was undone)
    with conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {key} NOT IN (SELECT id FROM {POST_TABLE})")


def reindex(posts: QuerySet | None = None, using=None) -> int:
    """Index every post (or those of `posts`) again; returns how many. For posts written in bulk."""
    if posts is None:
        from .models import Post

        posts = Post.objects.all()
    rows = posts.order_by("pk").values_list("pk", "title", "excerpt", "content_html", "password")
    conn = using or connection
    forget_missing_posts(conn)
    return index_rows(rows.iterator(chunk_size=2000), using=conn)


# --- the schema (the migration calls these) ---------------------------------------------------------


def create_schema(schema_editor) -> None:
    """The index's table on this database."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (post_id bigint PRIMARY KEY, document tsvector NOT NULL)"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_document ON {PG_TABLE} USING GIN (document)"
        )
    else:
        # unicode61 folds case and accents; prefix indexes make "crane"* a lookup, not a scan.
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "title, excerpt, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
        )


def drop_schema(schema_editor) -> None:
    table = PG_TABLE if schema_editor.connection.vendor == "postgresql" else FTS_TABLE
    schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
