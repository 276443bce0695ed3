"""Do uncached pages stay as fast on a 100,000-post site as on a 1,000-post one?

    .venv/bin/python bench/scale.py --small DIR --big DIR [--runs 15] [--rounds 2]
        [--out bench/results/scale-DATE.md]

Each DIR is a site made by bench/bigsite.py (its bigsite.json says which database). Each site
is measured in its own process, in-process with Django's test client (no server, no cache:
BYLINE_PAGE_CACHE=0), as an anonymous reader: a few warm-up requests, then the median of
`--runs` requests per page, with the number of queries each page made. Prints a Markdown table
with the ratio big ÷ small (target: at most 2×, search under 100 ms) and the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

TARGET_RATIO = 2.0
SEARCH_LIMIT_MS = 100.0


def pages(hot_path: str, rare: str) -> dict[str, str]:
    return {
        "home": "/",
        "home, page 2": "/page/2/",
        "category archive": "/category/news/",
        "hot post (200 comments)": hot_path,
        "feed": "/feed/",
        "search, a rare word": f"/?s={rare}",
        "search, a common word": "/?s=harbour",
        "search, two words": "/?s=ferry+winter",
        "REST search": f"/wp-json/wp/v2/search?search={rare}",
        "REST posts search": f"/wp-json/wp/v2/posts?search={rare}",
        # Not among the targets: the small site's one page of posts holds about 1,000
        # addresses, the big site's pages 2,000 (WordPress's page size), so about 2× by design.
        "sitemap index": "/sitemap.xml",
        "sitemap page (posts, 2,000 a page)": "/sitemap-posts-1.xml",
    }


def measure(data: Path, runs: int) -> dict:
    """Runs inside the child process: one site, every page."""
    made = json.loads((data / "bigsite.json").read_text())
    os.environ["BYLINE_DATA_DIR"] = str(data)
    os.environ["BYLINE_PAGE_CACHE"] = "0"
    if made.get("database_url"):
        os.environ["BYLINE_DATABASE_URL"] = made["database_url"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from byline.content.models import Post
    from byline.content.permalinks import permalink_for

    call_command("collectstatic", interactive=False, verbosity=0)  # as `byline serve` does
    hot = Post.objects.get(pk=made["hot_post_id"])
    client = Client(HTTP_HOST="localhost")
    results = {}
    for name, path in pages(permalink_for(hot), made["rare_word"]).items():
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        times, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        with CaptureQueriesContext(connection) as seen:
            client.get(path)
        results[name] = {
            "path": path,
            "ms": statistics.median(times),
            "cpu_ms": statistics.median(cpu),
            "queries": len(seen),
        }
    return {
        "database": connection.vendor,
        "posts": made["posts"],
        "comments": made["comments"],
        "pages": results,
    }


def run_child(data: Path, runs: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(data), "--runs", str(runs)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def best(kept: dict | None, new: dict) -> dict:
    if kept is None:
        return new
    for name, page in new["pages"].items():
        if page["ms"] < kept["pages"][name]["ms"]:
            kept["pages"][name] = page
    return kept


def table(small: dict, big: dict) -> str:
    lines = [
        f"| page ({big['database']}) | {small['posts']:,} posts: ms | CPU ms | queries | "
        f"{big['posts']:,} posts: ms | CPU ms | queries | ratio | CPU ratio | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, s in small["pages"].items():
        b = big["pages"][name]
        ratio, cpu_ratio = b["ms"] / s["ms"], b["cpu_ms"] / max(s["cpu_ms"], 0.001)
        search = "search" in name.lower()
        ok = ratio <= TARGET_RATIO and (not search or b["ms"] < SEARCH_LIMIT_MS)
        goal = f"≤ {TARGET_RATIO:g}×" + (f", < {SEARCH_LIMIT_MS:g} ms" if search else "")
        verdict = "—" if "sitemap" in name else f"{goal} {'✓' if ok else '✗'}"
        lines.append(
            f"| {name} | {s['ms']:.1f} | {s['cpu_ms']:.1f} | {s['queries']} | {b['ms']:.1f} | "
            f"{b['cpu_ms']:.1f} | {b['queries']} | {ratio:.2f}× | {cpu_ratio:.2f}× | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=Path)
    parser.add_argument("--big", type=Path)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help="append the table to this Markdown file")
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure.resolve(), args.runs)))
        return 0
    load_before = os.getloadavg()
    # Rounds alternate the two sites, and each page keeps its best median: on a shared machine
    # a burst of someone else's work then weighs on neither site alone.
    small = big = None
    for _ in range(args.rounds):
        small = best(small, run_child(args.small.resolve(), args.runs))
        big = best(big, run_child(args.big.resolve(), args.runs))
    load_after = os.getloadavg()
    text = (
        f"{table(small, big)}\n\n"
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {args.runs} runs a page (median; the better of "
        f"{args.rounds} alternating rounds), in-process test client, "
        f"no page cache. Load average before {load_before[0]:.1f}, after {load_after[0]:.1f} "
        f"({os.cpu_count()} cores, shared).\n"
    )
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("a") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
