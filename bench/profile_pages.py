"""Where an uncached page's time goes: each bench URL rendered in-process through Byline's WSGI
application (the whole middleware stack, no network, no server), timed and profiled.

    .venv/bin/python bench/profile_pages.py DATA_DIR [-n 50] [--top 12] [--only hot]

DATA_DIR is a site loaded with bench/load_corpus.py. For each URL it prints the median time of
a request (ms), the queries a request makes, and cProfile's own-time per area (queries, Jinja2
templates, middleware, Django's request handling, comments, the rest) and the functions with
the largest cumulative time, all in ms per request. The profile makes everything slower
(about 1.5-2x); the median is measured without it. Times are
this process's CPU time, so a busy machine disturbs them less than wall-clock time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

# Own time per file, summed by the first of these path fragments that the file's path holds.
AREAS = [
    ("queries (Django ORM + sqlite3)", ("django/db/", "sqlite3", "{method 'execute'", "{method 'fetch")),
    ("Jinja2 (templates, filters)", ("jinja2/", "byline/themes/", "<template>", "markupsafe")),
    ("comments (tree, sanitiser)", ("byline/comments/", "byline/site/comments", "nh3")),
    ("middleware", ("middleware", "byline/security/", "byline/proxy", "byline/text", "csp/", "whitenoise/")),
    (
        "Django request handling, URLs, responses",
        ("django/core/", "django/http/", "django/urls/", "django/utils/"),
    ),
    ("Byline views and queries", ("byline/",)),
]


def areas(stats: pstats.Stats, n: int) -> list[tuple[str, float]]:
    totals: dict[str, float] = {}
    for (path, _line, func), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        where = f"{path} {func}"
        name = next((a for a, frags in AREAS if any(f in where for f in frags)), "other (Python, stdlib)")
        totals[name] = totals.get(name, 0.0) + tt
    return sorted(((k, v * 1000 / n) for k, v in totals.items()), key=lambda kv: -kv[1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("-n", type=int, default=50, help="requests per URL (timed, then profiled)")
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--only", help="profile only the URLs whose label contains this")
    args = ap.parse_args()
    os.environ["BYLINE_DATA_DIR"] = str(args.data.resolve())
    os.environ.setdefault("BYLINE_PAGE_CACHE", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "byline.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from load_corpus import anchors_dir

    sys.path.insert(0, str(anchors_dir() / "wordpress"))
    import content

    posts = list(content.posts())
    hot = next(p for p in posts if p["hot"])
    plain = posts[500]

    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)  # as `byline serve` does

    from django.db import connection

    from byline.wsgi import application

    def url_of(p):
        return f"/{p['date'][:4]}/{p['date'][5:7]}/{p['slug']}/"

    targets = [
        ("hot post", url_of(hot)),
        ("plain post", url_of(plain)),
        ("home", "/"),
        ("category archive", "/category/essays/"),
        ("RSS feed", "/feed/"),
        ("REST posts", "/wp-json/wp/v2/posts?per_page=10"),
    ]
    if args.only:
        targets = [t for t in targets if args.only in t[0]]

    def call(path: str) -> int:
        p, _, q = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": p,
            "QUERY_STRING": q,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        status = []
        body = application(environ, lambda s, h, exc=None: status.append(s))
        size = sum(len(chunk) for chunk in body)
        if hasattr(body, "close"):
            body.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}: {status[0]}")
        return size

    for label, path in targets:
        for _ in range(5):
            size = call(path)
        queries: list[str] = []

        def count(execute, sql, *rest, seen=queries):
            seen.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            call(path)
        times = []
        for _ in range(args.n):
            t = time.process_time()
            call(path)
            times.append((time.process_time() - t) * 1000)
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        for _ in range(args.n):
            call(path)
        prof.disable()
        stats = pstats.Stats(prof)
        total = sum(tt for (_cc, _nc, tt, _ct, _cl) in stats.stats.values()) * 1000 / args.n
        print(
            f"\n## {label} {path}: {statistics.median(times):.2f} ms median (CPU time), "
            f"{len(queries)} queries, {size:,} B"
        )
        median = statistics.median(times)
        print(
            f"   profiled: {total:.2f} ms per request; own time by area: share of the profile, "
            f"and that share of the {median:.1f} ms median (the profiler's cost per call skews it "
            "towards code that makes many small calls, the ORM's most of all):"
        )
        for name, ms in areas(stats, args.n):
            print(f"     {100 * ms / total:5.1f} %  ≈ {median * ms / total:6.2f} ms  {name}")
        print(f"   largest own time (ms per request, top {args.top}):")
        for (path_, line, func), (_cc, nc, tt, _ct, _cl) in sorted(
            stats.stats.items(), key=lambda kv: -kv[1][2]
        )[: args.top]:
            where = f"{path_.split('site-packages/')[-1].split('/bench/')[-1]}:{line}({func})"
            print(f"     {tt * 1000 / args.n:7.2f}  {nc / args.n:6.1f} calls  {where}")
        print(f"   largest cumulative (ms per request, top {args.top} past the WSGI entry):")
        shown = 0
        for (path_, line, func), (_cc, nc, _tt, ct, _cl) in sorted(
            stats.stats.items(), key=lambda kv: -kv[1][3]
        ):
            where = f"{path_.split('site-packages/')[-1].split('/bench/')[-1]}:{line}({func})"
            if ct * 1000 / args.n > total * 0.98:
                continue  # the entry points, which hold everything
            print(f"     {ct * 1000 / args.n:7.2f}  {nc / args.n:6.1f} calls  {where}")
            shown += 1
            if shown >= args.top:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
