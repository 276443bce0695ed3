"""Post and page addresses, built from WordPress's permalink structure tags.

`permalink_for(post)` turns a post into its path; `match_post_path(path)` turns a path
back into what identifies a post. Dates in addresses are in the site's time zone, as
WordPress does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import quote
from zoneinfo import ZoneInfo

from byline.options.store import get_option

# What each tag matches in a path (WordPress's rewrite rules use the same shapes).
TAG_PATTERNS = {
    "%year%": r"(?P<year>\d{4})",
    "%monthnum%": r"(?P<monthnum>\d{1,2})",
    "%day%": r"(?P<day>\d{1,2})",
    "%hour%": r"(?P<hour>\d{1,2})",
    "%minute%": r"(?P<minute>\d{1,2})",
    "%second%": r"(?P<second>\d{1,2})",
    "%postname%": r"(?P<postname>[^/]+)",
    "%post_id%": r"(?P<post_id>\d+)",
    "%category%": r"(?P<category>.+?)",
    "%author%": r"(?P<author>[^/]+)",
}


def site_zone() -> ZoneInfo:
    return ZoneInfo(get_option("timezone_string"))


def local(dt: datetime) -> datetime:
    """A stored (UTC) time in the site's time zone."""
    return dt.astimezone(site_zone())


def category_path(category, parents: dict | None = None) -> str:
    """'parent/child' for a category, as WordPress's %category% and /category/ archives."""
    parts, seen = [], set()
    while category is not None and category.pk not in seen:
        seen.add(category.pk)
        parts.append(quote(category.slug))
        parent_id = category.parent_id
        category = (parents or {}).get(parent_id) if parents is not None else category.parent
    return "/".join(reversed(parts))


def page_path(page) -> str:
    """'/parent/child/' for a page, following its parents."""
    parts, seen, node = [], set(), page
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        parts.append(quote(node.slug))
        node = node.parent
    return "/" + "/".join(reversed(parts)) + "/"


def permalink_for(post, structure: str | None = None, categories: dict | None = None) -> str:
    """The path of a post or page (without scheme and host). `categories` (id → category),
    when given, supplies the parents of a nested category instead of a query each."""
    if post.is_page:
        return page_path(post)
    structure = structure or get_option("permalink_structure")
    when = local(post.published_at)
    values = {
        "%year%": f"{when.year:04d}",
        "%monthnum%": f"{when.month:02d}",
        "%day%": f"{when.day:02d}",
        "%hour%": f"{when.hour:02d}",
        "%minute%": f"{when.minute:02d}",
        "%second%": f"{when.second:02d}",
        "%postname%": quote(post.slug or str(post.pk)),
        "%post_id%": str(post.pk),
    }
    if "%category%" in structure:
        # WordPress uses the first category by id; "uncategorized" when there is none.
        cats = sorted(post.categories.all(), key=lambda c: c.pk)
        values["%category%"] = category_path(cats[0], categories) if cats else "uncategorized"
    if "%author%" in structure:
        values["%author%"] = quote(post.author.get_username())
    return re.sub(r"%[a-z_]+%", lambda m: values.get(m.group(0), m.group(0)), structure)


@dataclass(frozen=True)
class PostAddress:
    """What a path says about the post it names."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    slug: str | None = None
    post_id: int | None = None
    category: str | None = None
    author: str | None = None


@lru_cache(maxsize=16)
def _structure_regex(structure: str) -> re.Pattern:
    pattern, pos = "", 0
    for m in re.finditer(r"%[a-z_]+%", structure):
        pattern += re.escape(structure[pos : m.start()]) + TAG_PATTERNS[m.group(0)]
        pos = m.end()
    tail = structure[pos:].rstrip("/")
    pattern += re.escape(tail) + "/?"
    return re.compile("^" + pattern + "$")


def match_post_path(path: str) -> PostAddress | None:
    """Parse a path against the permalink structure; None if it cannot be a post's."""
    m = _structure_regex(get_option("permalink_structure")).match(path)
    if not m:
        return None
    g = m.groupdict()

    def num(key):
        return int(g[key]) if g.get(key) else None

    return PostAddress(
        year=num("year"),
        month=num("monthnum"),
        day=num("day"),
        slug=g.get("postname"),
        post_id=num("post_id"),
        category=g.get("category"),
        author=g.get("author"),
    )
