"""Import a large WordPress export into a fresh site; print time and peak memory per step.

Generates an export of 10,000 posts and 100,000 comments (classic-editor text with captions
and links, categories and tags, threaded comments, 200 attachments), then runs the real
commands on a new temporary data dir: `byline import-wxr`, the same import again (nothing to
do), and `byline export-wxr`. Each step is its own process, so its peak resident memory
(RSS, from wait4) is its own. Target for the import: under 2 minutes and 300 MB.

    .venv/bin/python bench/wxr_import.py [--posts 10000] [--comments-per-post 10] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BYLINE = str(Path(sys.executable).with_name("byline"))
WORDS = (
    "harbour quay crane council budget river tide ferry dock shipping container night bus route "
    "city hall mayor vote housing rent school bridge market fishermen weather storm archive"
).split()


def sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def post_content(rng: random.Random, n: int, attachments: int) -> str:
    """Classic-editor text as WordPress stores it: no <p>, blank lines, a caption now and then."""
    parts = [paragraph(rng) for _ in range(rng.randint(4, 8))]
    parts.insert(1, f'Read the <a href="https://example.org/{n}/">earlier report</a> first.\nThen this.')
    if n % 5 == 0:
        photo = n % attachments + 1
        parts.insert(
            2,
            f'[caption id="attachment_{photo}" align="alignnone" width="800"]'
            f'<img src="https://old.example.org/wp-content/uploads/2019/05/photo-{photo}-800x533.jpg" '
            f'alt="" width="800" height="533" /> The quay at dawn (Jane Doe/Harbour Agency)[/caption]',
        )
    return "\n\n".join(parts)


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def generate(path: Path, posts: int, comments_per_post: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    attachments = 200
    categories = [f"section-{i}" for i in range(40)]
    tags = [f"topic-{i}" for i in range(300)]
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n\txmlns:wp="http://wordpress.org/export/1.2/">\n'
            "<channel>\n\t<title>Harbour Ledger</title>\n\t<link>https://old.example.org</link>\n"
            "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
            "\t<wp:base_site_url>https://old.example.org</wp:base_site_url>\n"
            "\t<wp:base_blog_url>https://old.example.org</wp:base_blog_url>\n"
        )
        for n, login in enumerate(("mara", "jon", "ines"), 1):
            out.write(
                f"\t<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
                f"<wp:author_email>{cdata(login + '@example.org')}</wp:author_email>"
                f"<wp:author_display_name>{cdata(login.title())}</wp:author_display_name></wp:author>\n"
            )
        for i, slug in enumerate(categories):
            parent = categories[i // 8] if i >= 8 else ""
            out.write(
                f"\t<wp:category><wp:term_id>{i + 1}</wp:term_id><wp:category_nicename>{slug}"
                f"</wp:category_nicename><wp:category_parent>{parent}</wp:category_parent>"
                f"<wp:cat_name>{cdata(slug.title())}</wp:cat_name></wp:category>\n"
            )
        for i, slug in enumerate(tags):
            out.write(
                f"\t<wp:tag><wp:term_id>{1000 + i}</wp:term_id><wp:tag_slug>{slug}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(slug)}</wp:tag_name></wp:tag>\n"
            )
        comment_id = 0
        for n in range(1, posts + 1):
            day = 1 + n % 28
            month = 1 + (n // 28) % 12
            year = 2005 + n // 336
            date = f"{year}-{month:02d}-{day:02d} {n % 24:02d}:{n % 60:02d}:00"
            slug = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{n}"
            terms = "".join(
                f'<category domain="category" nicename="{c}">{cdata(c.title())}</category>'
                for c in rng.sample(categories, 2)
            ) + "".join(
                f'<category domain="post_tag" nicename="{t}">{cdata(t)}</category>'
                for t in rng.sample(tags, 3)
            )
            thread = []
            first = comment_id + 1
            for k in range(comments_per_post):
                comment_id += 1
                parent = rng.choice([0, 0, 0, rng.randint(first, comment_id - 1)]) if k else 0
                thread.append(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{cdata('Reader ' + str(comment_id % 977))}</wp:comment_author>"
                    f"<wp:comment_author_email>reader{comment_id % 977}@example.net</wp:comment_author_email>"
                    f"<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date>{date}</wp:comment_date><wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{cdata(sentence(rng, 25) + ' <em>' + sentence(rng, 6) + '</em>')}"
                    "</wp:comment_content>"
                    f"<wp:comment_approved>{'1' if comment_id % 9 else '0'}</wp:comment_approved>"
                    f"<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>"
                    "<wp:comment_user_id>0</wp:comment_user_id></wp:comment>"
                )
            thumbnail = posts + n % attachments + 1
            out.write(
                f"\t<item><title>{cdata(sentence(rng, 7)[:-1])}</title>"
                f"<link>https://old.example.org/{year}/{month:02d}/{slug}/</link>"
                f"<dc:creator>{cdata(rng.choice(('mara', 'jon', 'ines')))}</dc:creator>"
                f'<guid isPermaLink="false">https://old.example.org/?p={n}</guid>'
                f"<content:encoded>{cdata(post_content(rng, n, attachments))}</content:encoded>"
                f"<excerpt:encoded>{cdata('')}</excerpt:encoded><wp:post_id>{n}</wp:post_id>"
                f"<wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{date}</wp:post_date_gmt>"
                "<wp:comment_status>open</wp:comment_status><wp:ping_status>open</wp:ping_status>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>"
                "<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>"
                f"<wp:is_sticky>0</wp:is_sticky>{terms}"
                "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                f"<wp:meta_value>{thumbnail}</wp:meta_value></wp:postmeta>"
                f"{''.join(thread)}</item>\n"
            )
        for a in range(1, attachments + 1):
            url = f"https://old.example.org/wp-content/uploads/2019/05/photo-{a}.jpg"
            out.write(
                f"\t<item><title>{cdata(f'Photo {a}')}</title><guid>{url}</guid>"
                f"<excerpt:encoded>{cdata('The quay at dawn (Jane Doe/Harbour Agency)')}</excerpt:encoded>"
                f"<wp:post_id>{posts + a}</wp:post_id><wp:post_date>2019-05-01 10:00:00</wp:post_date>"
                "<wp:post_date_gmt>2019-05-01 10:00:00</wp:post_date_gmt><wp:status>inherit</wp:status>"
                f"<wp:post_type>attachment</wp:post_type><wp:attachment_url>{url}</wp:attachment_url></item>\n"
            )
        out.write("</channel>\n</rss>\n")


def run(*args: str, data: Path, stdout=subprocess.PIPE) -> tuple[float, float, str]:
    """Run one `byline` command; its wall time (s), peak RSS (MB) and output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    started = time.perf_counter()
    process = subprocess.Popen(
        [BYLINE, *args, "--data", str(data)], stdout=stdout, stderr=subprocess.PIPE, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    output = process.stdout.read().decode() if process.stdout else ""
    errors = process.stderr.read().decode()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"byline {' '.join(args)} failed:\n{output}\n{errors}")
    return elapsed, usage.ru_maxrss / 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments-per-post", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="byline-wxr-bench-"))
    try:
        export = work / "export.xml"
        started = time.perf_counter()
        generate(export, args.posts, args.comments_per_post)
        generated = time.perf_counter() - started
        data = work / "site"
        run("init", data=data)
        rows = [("generate the export", generated, None, f"{export.stat().st_size / 1e6:.0f} MB file")]
        seconds, rss, report = run("import-wxr", str(export), data=data)
        rows.append(("byline import-wxr", seconds, rss, _counts(report)))
        seconds, rss, again = run("import-wxr", str(export), data=data)
        rows.append(("the same import again", seconds, rss, _counts(again)))
        with (work / "out.xml").open("wb") as out:
            seconds, rss, _ = run("export-wxr", data=data, stdout=out)
        rows.append(
            ("byline export-wxr", seconds, rss, f"{(work / 'out.xml').stat().st_size / 1e6:.0f} MB file")
        )
        print(
            f"WXR import benchmark: {args.posts:,} posts, {args.posts * args.comments_per_post:,} comments\n"
        )
        print(f"| {'step':<24} | {'time (s)':>8} | {'peak RSS (MB)':>13} | result")
        print(f"|{'-' * 26}|{'-' * 10}|{'-' * 15}|{'-' * 40}")
        for step, seconds, rss, note in rows:
            memory = f"{rss:.0f}" if rss is not None else "–"
            print(f"| {step:<24} | {seconds:>8.1f} | {memory:>13} | {note}")
        if args.keep:
            print(f"\nKept in {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _counts(report: str) -> str:
    """The report's count lines, squeezed onto one line."""
    lines = [" ".join(line.split()) for line in report.splitlines()[1:] if line.startswith("  ")]
    return "; ".join(line for line in lines if not line.startswith("line"))[:120]


if __name__ == "__main__":
    main()
