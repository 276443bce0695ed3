"""A big site, fast: N posts and M comments bulk-inserted through the models, on SQLite or PostgreSQL.

    .venv/bin/python bench/bigsite.py --posts 100000 --comments 1000000 --data DIR
        [--database-url postgres://postgres@127.0.0.1:5432/NAME]

The site is made with `byline init` in DIR (its SQLite database, or the PostgreSQL database
named, which must exist and be empty). Posts, terms, links and comments go in with
`bulk_create` in large batches inside one transaction per batch — the services would render
and check each post one by one, which takes hours for 100,000 — and the full-text index is
filled at the end with `search.reindex()`, as `byline reindex` does. The text is made of a
fixed vocabulary with Zipf-like word frequencies (random.Random(seed)), so a 1,000-post and a
100,000-post site have the same shape: the same categories, tags and authors, a hot post
(the newest) with 200 threaded comments, the rest of the comments spread over the other posts.

Prints what it made and how long it took; writes DIR/bigsite.json for bench/scale.py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BATCH = 5000
VOCABULARY = (
    "harbour ferry tide crane council market school river bridge station library garden festival "
    "weather storm lighthouse fishing boat pier museum theatre election budget housing transport "
    "railway bus cycle road parking hospital doctor nurse police fire rescue village town city "
    "county coast cliff beach island mountain forest farm harvest orchard cattle sheep wool mill "
    "factory workshop studio gallery concert choir band orchestra novel poetry history archive "
    "map photograph portrait letter diary memory family child parent teacher student reader "
    "writer editor printer paper ink press column story report interview review opinion "
    "evening morning winter summer spring autumn monday friday saturday sunday week month year"
).split()
FILLER = "the a of and to in is was for on with as at by from that this it are be has had".split()
CATEGORY_NAMES = ["News", "Harbour", "Council", "Culture", "Sport", "Weather", "Letters", "Opinion"]


TAIL = 20000  # a long tail of rarer words: "harbour2", "ferry17", …


def vocabulary_word(rank: int) -> str:
    """The word of a frequency rank: the real words first, then their numbered variants."""
    base = VOCABULARY[rank % len(VOCABULARY)]
    return base if rank < len(VOCABULARY) else f"{base}{rank // len(VOCABULARY)}"


RARE_WORD = vocabulary_word(130)  # in about 1 % of posts: what bench/scale.py searches for


def words(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        if rng.random() < 0.45:
            out.append(rng.choice(FILLER))
        else:
            # Zipf: the word of rank r comes about 1/r² as often as the commonest.
            out.append(vocabulary_word(min(int(rng.paretovariate(1.0)) - 1, TAIL - 1)))
    return " ".join(out)


def setup(data: Path, database_url: str | None) -> None:
    data.mkdir(parents=True, exist_ok=True)
    os.environ["BYLINE_DATA_DIR"] = str(data)
    if database_url:
        os.environ["BYLINE_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    from byline.cli import main as byline

    if not (data / "secret_key").exists():
        byline(["init", "--data", str(data)])
    else:
        from byline.commands import setup_django

        setup_django()


def make(n_posts: int, n_comments: int, seed: int, resume: bool = False) -> dict:
    from django.db import connection, transaction

    from byline.comments.models import Comment
    from byline.content import services
    from byline.content.excerpts import automatic_excerpt
    from byline.content.models import Category, Post, Status, Tag

    rng = random.Random(seed)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if connection.vendor == "sqlite":
        # Comments go into four indexes at scattered places: a large page cache keeps that
        # from turning into a read per row once the file outgrows SQLite's default 2 MB.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -400000")
    if Post.objects.exists():
        if not resume:
            raise SystemExit("This site already has posts: bigsite.py fills an empty one (or --resume).")
        # An interrupted run: its posts are there; add the comments it did not get to.
        post_ids = list(Post.objects.values_list("pk", flat=True))
        hot_id = Post.objects.order_by("-published_at").values_list("pk", flat=True)[0]
        have = Comment.objects.count()
        add_comments(rng, hot_id, post_ids, n_comments - have, datetime(2026, 6, 1, 10, tzinfo=UTC), have)
        timings["comments (resumed)"] = time.perf_counter() - t0
        return finish(timings, t0, n_posts, hot_id)

    authors = [
        services.create_user(
            f"writer{n}", email=f"writer{n}@example.org", role="author", display_name=f"Writer {n}"
        )
        for n in range(20)
    ]
    categories = Category.objects.bulk_create(
        Category(name=name, slug=name.lower()) for name in CATEGORY_NAMES
    )
    tags = Tag.objects.bulk_create(Tag(name=w, slug=w) for w in VOCABULARY[:60])
    timings["people and terms"] = time.perf_counter() - t0

    t = time.perf_counter()
    newest = datetime(2026, 6, 1, 9, tzinfo=UTC)
    step = timedelta(days=3650) / max(n_posts, 1)  # ten years of posts
    post_ids: list[int] = []
    links_c, links_t = Post.categories.through, Post.tags.through
    for start in range(0, n_posts, BATCH):
        batch = []
        for n in range(start, min(start + BATCH, n_posts)):
            title = words(rng, rng.randint(3, 8)).capitalize()
            paragraphs = "".join(
                f"<p>{words(rng, rng.randint(30, 90))}.</p>" for _ in range(rng.randint(3, 8))
            )
            published = newest - step * (n_posts - 1 - n)
            batch.append(
                Post(
                    title=title,
                    slug=f"post-{n + 1}",
                    body=paragraphs,
                    content_html=paragraphs,
                    auto_excerpt=automatic_excerpt(paragraphs),
                    status=Status.DRAFT if rng.random() < 0.02 else Status.PUBLISH,
                    published_at=published,
                    modified_at=published,
                    author=rng.choice(authors),
                    comment_status="open",
                    guid=f"bigsite:post:{n + 1}",
                )
            )
        with transaction.atomic():
            made = Post.objects.bulk_create(batch, batch_size=1000)
            ids = [p.pk for p in made]
            links_c.objects.bulk_create(
                links_c(post_id=pk, category_id=c.pk)
                for pk in ids
                for c in rng.sample(categories, rng.choice((1, 1, 2)))
            )
            links_t.objects.bulk_create(
                links_t(post_id=pk, tag_id=tg.pk) for pk in ids for tg in rng.sample(tags, rng.randint(0, 3))
            )
        post_ids += ids
    hot = Post.objects.order_by("-published_at").first()
    Post.objects.filter(pk=hot.pk).update(status=Status.PUBLISH, title="The cranes come down")
    timings["posts and their terms"] = time.perf_counter() - t

    t = time.perf_counter()
    base = datetime(2026, 6, 1, 10, tzinfo=UTC)
    # The hot post: 200 comments, a third of them replies (threads up to 5 deep).
    hot_ids: list[int] = []
    depth: dict[int, int] = {}
    with transaction.atomic():
        for n in range(200):
            parent = rng.choice(hot_ids) if hot_ids and rng.random() < 0.33 else None
            if parent is not None and depth[parent] >= 4:
                parent = None
            c = Comment.objects.create(
                post=hot,
                parent_id=parent,
                author_name=f"Reader {n}",
                author_email=f"reader{n}@example.org",
                content=f"<p>{words(rng, rng.randint(8, 40))}.</p>",
                status="approved",
                created_at=base + timedelta(minutes=n),
            )
            hot_ids.append(c.pk)
            depth[c.pk] = 0 if parent is None else depth[parent] + 1
    add_comments(rng, hot.pk, post_ids, n_comments - 200, base)
    timings["comments"] = time.perf_counter() - t
    return finish(timings, t0, n_posts, hot.pk)


def add_comments(
    rng: random.Random, hot_id: int, post_ids: list[int], remaining: int, base, first: int = 0
) -> None:
    """`remaining` approved (mostly) comments spread evenly over the posts but the hot one."""
    from django.db import transaction

    from byline.comments.models import Comment

    others = [pk for pk in post_ids if pk != hot_id]
    for start in range(first, first + max(remaining, 0), BATCH * 2):
        batch = []
        for n in range(start, min(start + BATCH * 2, first + remaining)):
            post_id = rng.choice(others) if others else hot_id
            batch.append(
                Comment(
                    post_id=post_id,
                    author_name=f"Commenter {n % 5000}",
                    author_email=f"commenter{n % 5000}@example.org",
                    content=f"<p>{words(rng, rng.randint(5, 30))}.</p>",
                    status="approved" if rng.random() < 0.97 else "hold",
                    created_at=base - timedelta(minutes=n),
                )
            )
        with transaction.atomic():
            Comment.objects.bulk_create(batch, batch_size=1000)


def finish(timings: dict, t0: float, n_posts: int, hot_id: int) -> dict:
    from django.db import connection, transaction

    from byline.comments.models import Comment
    from byline.content import search

    t = time.perf_counter()
    with transaction.atomic():
        indexed = search.reindex()
    timings["search index"] = time.perf_counter() - t
    if connection.vendor == "postgresql":
        # What autovacuum would soon do on a live site: statistics for the planner, and the
        # visibility map that lets counts read the indexes alone.
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    return {
        "posts": n_posts,
        "comments": Comment.objects.count(),
        "indexed": indexed,
        "hot_post_id": hot_id,
        "rare_word": RARE_WORD,
        "timings_s": {k: round(v, 1) for k, v in timings.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=10000)
    parser.add_argument("--data", type=Path, required=True, help="the site's data dir (made if missing)")
    parser.add_argument("--database-url", help="a PostgreSQL database (empty) instead of SQLite in DIR")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--resume", action="store_true", help="add the comments an interrupted run did not")
    args = parser.parse_args(argv)
    setup(args.data.resolve(), args.database_url)
    made = make(args.posts, args.comments, args.seed, args.resume)
    from django.db import connection

    made["database"] = connection.vendor
    made["database_url"] = args.database_url or ""
    (args.data / "bigsite.json").write_text(json.dumps(made, indent=2) + "\n")
    print(json.dumps(made, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
