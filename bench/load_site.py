"""The load test's Python side (bench/load.sh): what wrk sends, and what the database kept.

    python bench/load_site.py prepare DATA --base https://127.0.0.3 --host blog.example.org \
        --comments 4000 --marker MARKER --out DIR
    python bench/load_site.py count DATA --ids DIR/acknowledged.txt --marker MARKER

`prepare` writes DIR/pages.txt (the paths of the published posts, one a line) and
DIR/comments.txt (one comment POST a line: post path, an X-Forwarded-For address and the
form body). Each body carries a CAPTCHA token of its own: a sum made and signed with the
site's key exactly as the post page's form does (captcha.issue_token), and its answer —
what a reader's browser would send after reading the form. The server checks it as any
other: signature, post, age, and a single-use claim in the shared cache (Redis). The CSRF
cookie and token come from one real page fetched through the balancer; Django's CSRF token
is not single-use, so every POST of the run may carry the same pair. Each comment comes
from an address of its own (the nodes trust the balancer's X-Forwarded-For), as in real
traffic, so the flood check (one comment per address per 15 s) is not switched off.

`count` prints how many comments of the run the database holds and which acknowledged
comments (ids from the 303s' Location, as wrk collected them) it does not.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode


def _django(data: Path) -> None:
    os.environ["BYLINE_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    import django

    django.setup()


def _csrf(base: str, path: str, host: str) -> tuple[str, str]:
    import requests
    import urllib3

    urllib3.disable_warnings()  # the balancer's certificate is self-signed for the run
    page = requests.get(base + path, headers={"Host": host}, timeout=30, verify=False)  # noqa: S501 - a throw-away cert
    page.raise_for_status()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return page.cookies["csrftoken"], token


def prepare(args) -> None:
    _django(args.data)
    from byline.comments import captcha
    from byline.content.models import Post
    from byline.content.permalinks import permalink_for

    posts = list(Post.objects.filter(post_type="post", status="publish").order_by("pk"))
    open_posts = [p for p in posts if p.comment_status == "open"]
    paths = {p.pk: permalink_for(p) for p in posts}
    cookie, token = _csrf(args.base, paths[open_posts[0].pk], args.host)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "pages.txt").write_text("".join(paths[p.pk] + "\n" for p in posts))
    (out / "csrf_cookie.txt").write_text(cookie + "\n")
    issued = time.time() - 5  # older than captcha_min_seconds when the first one is sent
    lines = []
    for n in range(args.comments):
        post = open_posts[n % len(open_posts)]
        challenge = captcha.new_challenge()
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "comment_post_ID": post.pk,
                "comment_parent": 0,
                "author": f"Load reader {n}",
                "email": f"reader{n}@example.org",
                "comment": f"{args.marker} comment {n}: the cranes came down on a quiet morning.",
                "website_confirm": "",
                "captcha_token": captcha.issue_token(challenge, post_id=post.pk, now=issued),
                "captcha_answer": challenge.answer,
            }
        )
        # 198.18.0.0/15 is for benchmarks (RFC 2544): an address per comment.
        address = f"198.18.{n // 250}.{n % 250 + 1}"
        lines.append(f"{paths[post.pk]}\t{address}\t{body}\n")
    (out / "comments.txt").write_text("".join(lines))
    print(f"{len(posts)} pages, {len(lines)} comment forms, csrf cookie from {args.base}")


def count(args) -> None:
    _django(args.data)
    from byline.comments.models import Comment

    acknowledged = {int(x) for x in args.ids.read_text().split()} if args.ids.exists() else set()
    stored = set(Comment.objects.filter(content__contains=args.marker).values_list("pk", flat=True))
    lost = sorted(acknowledged - stored)
    whole = Comment.objects.filter(pk__in=stored, author_email__endswith="@example.org").count()
    print(f"acknowledged={len(acknowledged)} stored={len(stored)} whole={whole} lost={len(lost)}")
    if lost:
        print("lost ids:", " ".join(map(str, lost[:50])))
        sys.exit(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("data", type=Path)
    p.add_argument("--base", required=True, help="the balancer's address, e.g. https://127.0.0.3")
    p.add_argument("--host", required=True, help="the site's name, sent as Host")
    p.add_argument("--comments", type=int, default=4000)
    p.add_argument("--marker", required=True)
    p.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("count")
    c.add_argument("data", type=Path)
    c.add_argument("--ids", type=Path, required=True)
    c.add_argument("--marker", required=True)
    args = ap.parse_args()
    args.data = args.data.resolve()
    prepare(args) if args.command == "prepare" else count(args)


if __name__ == "__main__":
    main()
