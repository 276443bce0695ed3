"""Load the anchors' shared corpus (shared/anchors/wordpress/content.py) into a Byline data dir.

The same 1,000 posts and the same 200 comments on the hot post that the WordPress, Ghost and
Wagtail anchors load, so that pages can be compared side by side. Posts go through
`save_post` and comments through the comment sanitiser, as they would in use.

    .venv/bin/python bench/load_corpus.py DATA_DIR [--posts N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime
from pathlib import Path


def anchors_dir() -> Path:
    """The project's shared anchors (not part of this repository): $ANCHORS, else the nearest
    shared/anchors above the checkout (e.g. /work/shared/anchors beside /work/main)."""
    if os.environ.get("ANCHORS"):  # the anchors folder, or its wordpress/ (as bench/load.sh says)
        given = Path(os.environ["ANCHORS"])
        return given.parent if (given / "content.py").is_file() else given
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "anchors" / "wordpress" / "content.py").is_file():
            return parent / "shared" / "anchors"
    raise SystemExit("The anchors' corpus (shared/anchors/wordpress/content.py) was not found: set ANCHORS.")


def load(data: Path, n_posts: int) -> dict:
    os.environ["BYLINE_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    from byline.cli import main as byline

    if not (data / "secret_key").exists():
        byline(["init", "--data", str(data)])
    sys.path.insert(0, str(anchors_dir() / "wordpress"))
    import content  # the anchors' corpus generator
    from django.db import transaction

    from byline.comments.models import Comment
    from byline.comments.sanitize import sanitize_comment
    from byline.content import services
    from byline.content.models import Category, Post, Status, Tag
    from byline.options.store import set_option

    started = time.perf_counter()
    site = content.site()
    set_option("blogname", site["title"])
    set_option("blogdescription", site["tagline"])
    a = site["author"]
    author = services.create_user(
        a["login"],
        email=a["email"],
        role="author",
        display_name=a["display_name"],
        bio=f"<p>{a['bio']}</p>",
        website=a["url"],
    )
    cats = {
        c["slug"]: Category.objects.create(name=c["name"], slug=c["slug"], description=c["description"])
        for c in site["categories"]
    }
    tags = {t["slug"]: Tag.objects.create(name=t["name"], slug=t["slug"]) for t in site["tags"]}
    hot = None
    with transaction.atomic():
        for p in content.posts(n_posts=n_posts):
            when = datetime.fromisoformat(p["date"])
            post = Post(
                title=p["title"],
                slug=p["slug"],
                body=p["html"],
                excerpt=p["excerpt"],
                author=author,
                status=Status.PUBLISH,
                published_at=when,
                modified_at=when,
                comment_status="open",
            )
            services.save_post(
                post, categories=[cats[p["category"]]], tags=[tags[t] for t in p["tags"]], touch=False
            )
            if p["hot"]:
                hot = post
                ids = {}
                for c in p["comments"]:
                    row = Comment.objects.create(
                        post=post,
                        parent=ids.get(c["parent"]),
                        author_name=c["author"],
                        author_email=c["email"],
                        author_url=c["url"],
                        content=sanitize_comment(c["content"]),
                        status="approved",
                        created_at=datetime.fromisoformat(c["date"]),
                        reason="loaded for the benchmark",
                    )
                    ids[c["id"]] = row
    from byline.content.permalinks import permalink_for

    return {"seconds": time.perf_counter() - started, "posts": n_posts, "hot_path": permalink_for(hot)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--posts", type=int, default=1000)
    args = ap.parse_args()
    result = load(args.data.resolve(), args.posts)
    print(f"loaded {result['posts']} posts in {result['seconds']:.1f} s; hot post {result['hot_path']}")
