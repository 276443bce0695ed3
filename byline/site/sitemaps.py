"""/sitemap.xml: an index of sitemap pages listing every public post, page and archive.

WordPress core's layout (`wp-sitemap.xml`): the index names pages of at most 2,000
addresses each (`wp_sitemaps_get_max_urls`), one run of pages per kind of address —
/sitemap-posts-1.xml, /sitemap-posts-2.xml, …, /sitemap-pages-1.xml, /sitemap-categories-1.xml.
A single sitemap may hold 50,000 addresses (sitemaps.org), so a 100,000-post site needs an
index anyway, and small pages are cheap to render and to cache. The page number is in the
path, not the query string: the page cache keys on the path, and crawlers (and the
acceptance check) follow index entries that end in .xml.

Each page costs the same few queries however many posts it lists (no query per address): a
slice of the listing index by OFFSET (`post_listing_idx` covers it: index entries only, no
post rows), then those posts' rows, and one query each for the categories and parent pages
that permalinks need. Posts are listed in that index's order (oldest first, sticky posts
last), so no sort of the whole table is needed for a page.

Each post's and page's address carries its `lastmod`; the index's entries carry none: a
page's newest `modified_at` would read every post row (the column is in no index: 450 ms
for the 100,000-post site on SQLite), and a posts page changes whenever any of its 2,000
posts does anyway.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, Max, Min, OuterRef, QuerySet
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse

from byline import sitewide
from byline.content.models import Category, Post, PostType, Status, Tag
from byline.content.permalinks import category_path, permalink_for, site_zone
from byline.options.store import get_option

from . import counts, queries

User = get_user_model()

PAGE_SIZE = 2000  # WordPress core's wp_sitemaps_get_max_urls()
_POST_FIELDS = ("pk", "post_type", "slug", "published_at", "modified_at", "parent_id")
ENTRY = tuple[str, datetime | None]  # a path and when what it shows last changed


def page_size() -> int:
    """Addresses per sitemap page (a setting so that tests can make pages small)."""
    return int(getattr(settings, "BYLINE_SITEMAP_PAGE_SIZE", PAGE_SIZE))


def _pages(n: int, size: int) -> int:
    return -(-n // size)


class Section:
    """One kind of address, cut into pages of `page_size()`."""

    def pages(self, size: int) -> list[datetime | None]:
        """One item per page (none when the section is empty): the page's lastmod, where
        cheap (none is, today: see the module's docstring)."""
        return [None] * _pages(self.count(), size)

    def count(self) -> int:
        raise NotImplementedError

    def entries(self, offset: int, limit: int) -> list[ENTRY]:
        raise NotImplementedError


class HomeSection(Section):
    def count(self) -> int:
        return 1

    def entries(self, offset: int, limit: int) -> list[ENTRY]:
        return [("/", None)][offset : offset + limit]


class PostSection(Section):
    """Public posts (or pages), in `post_listing_idx` order: (sticky, published_at, id)."""

    def __init__(self, post_type: str):
        self.post_type = post_type

    def listing(self) -> QuerySet:
        return Post.objects.public().filter(post_type=self.post_type).order_by("sticky", "published_at", "pk")

    def count(self) -> int:
        return counts.count(self.listing())

    def entries(self, offset: int, limit: int) -> list[ENTRY]:
        ids = self.listing().values("pk")[offset : offset + limit]
        posts = Post.objects.filter(pk__in=ids).only(*_POST_FIELDS).order_by("sticky", "published_at", "pk")
        if self.post_type == PostType.PAGE:
            path = _page_paths()
            return [(path(p), p.modified_at) for p in posts]
        structure = get_option("permalink_structure")
        parents = None
        if "%author%" in structure:  # fetched only when needed: a model per row is the cost here
            posts = posts.select_related("author").only(*_POST_FIELDS, "author__username")
        if "%category%" in structure:
            posts = posts.prefetch_related("categories")
            parents = {c.pk: c for c in Category.objects.only("pk", "slug", "parent")}
        return [(permalink_for(p, structure, parents), p.modified_at) for p in posts]


def _page_paths() -> Callable[[Post], str]:
    """'/parent/child/' of a page from one query over every page (a site has few)."""
    pages = Post.objects.pages().values_list("pk", "slug", "parent_id")
    nodes = {pk: (slug, parent) for pk, slug, parent in pages}

    def path(page) -> str:
        parts, seen, pk = [], set(), page.pk
        while pk is not None and pk in nodes and pk not in seen:
            seen.add(pk)
            slug, pk = nodes[pk]
            parts.append(quote(slug))
        return "/" + "/".join(reversed(parts)) + "/"

    return path


class TermSection(Section):
    model = Category

    def listing(self) -> QuerySet:
        # Each term asks the link table ((term, post) index) for one public post: a probe per
        # term, where "the terms of all public posts" read every link (116 ms at 100,000 posts).
        links = Post.categories.through if self.model is Category else Post.tags.through
        term = "category" if self.model is Category else "tag"
        used = links.objects.filter(
            **{term: OuterRef("pk")}, post__status=Status.PUBLISH, post__post_type=PostType.POST
        )
        return self.model.objects.filter(Exists(used)).order_by("pk")

    def count(self) -> int:
        return counts.count(self.listing())

    def entries(self, offset: int, limit: int) -> list[ENTRY]:
        terms = list(self.listing()[offset : offset + limit])
        if self.model is Tag:
            return [(f"/tag/{t.slug}/", None) for t in terms]
        parents = {c.pk: c for c in Category.objects.all()}
        return [(f"/category/{category_path(c, parents)}/", None) for c in terms]


class TagSection(TermSection):
    model = Tag


class AuthorSection(Section):
    def listing(self) -> QuerySet:
        wrote = queries.public_posts().filter(author=OuterRef("pk"))
        return User.objects.filter(Exists(wrote)).order_by("pk")

    def count(self) -> int:
        return counts.count(self.listing())

    def entries(self, offset: int, limit: int) -> list[ENTRY]:
        return [(f"/author/{u.get_username()}/", None) for u in self.listing()[offset : offset + limit]]


class DateSection(Section):
    """A year's and a month's archive for every month that has posts (in the site's zone)."""

    def months(self) -> list[str]:
        # Every post's date in the site's zone (on SQLite a Python call a row): remembered
        # until the site changes, as the lists' counts are.
        zone = site_zone()
        return sitewide.remembered(f"sitemap months {zone}", lambda: self._months(zone))

    @staticmethod
    def _months(zone) -> list[str]:
        posts = queries.public_posts()
        if connection.vendor == "sqlite":
            # Django's TruncMonth in a zone is a Python call a row on SQLite (0.8 s at 100,000
            # posts). Times are stored as UTC text, so the UTC day is its first ten characters,
            # grouped in SQL; a day spans at most two local months, and its first and last
            # post are in each month any of its posts is in.
            days = (
                posts.annotate(day=Substr("published_at", 1, 10))
                .values("day")
                .annotate(first=Min("published_at"), last=Max("published_at"))
                .values_list("first", "last")
            )
            months = [when for pair in days for when in pair]
        else:
            months = posts.datetimes("published_at", "month", tzinfo=zone)
        found = sorted({(m.astimezone(zone).year, m.astimezone(zone).month) for m in months})
        years = sorted({y for y, _ in found})
        return [f"/{y}/" for y in years] + [f"/{y}/{m:02d}/" for y, m in found]

    def count(self) -> int:
        return len(self.months())

    def entries(self, offset: int, limit: int) -> list[ENTRY]:
        return [(path, None) for path in self.months()[offset : offset + limit]]


SECTIONS: dict[str, Section] = {
    "home": HomeSection(),
    "posts": PostSection(PostType.POST),
    "pages": PostSection(PostType.PAGE),
    "categories": TermSection(),
    "tags": TagSection(),
    "authors": AuthorSection(),
    "dates": DateSection(),
}


# --- the views ------------------------------------------------------------------------------


def _w3c(when: datetime | None) -> str:
    return f"<lastmod>{when.isoformat(timespec='seconds')}</lastmod>" if when else ""


def _xml(root: str, tag: str, base: str, entries: Iterable[ENTRY]) -> HttpResponse:
    body = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    ]
    for path, when in entries:
        body.append(f"<{tag}><loc>{escape(base + path)}</loc>{_w3c(when)}</{tag}>\n")
    body.append(f"</{root}>\n")
    response = HttpResponse("".join(body), content_type="application/xml; charset=utf-8")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemap views
    return response


def index(request) -> HttpResponse:
    """The sitemap index: every page of every section that has addresses."""
    size = page_size()
    entries = [
        (f"/sitemap-{name}-{number}.xml", lastmod)
        for name, section in SECTIONS.items()
        for number, lastmod in enumerate(section.pages(size), start=1)
    ]
    return _xml("sitemapindex", "sitemap", f"{request.scheme}://{request.get_host()}", entries)


PAGE_NAME = re.compile(r"([a-z]+)-([1-9][0-9]{0,8})")  # "posts-2": no zero, no leading zeros


def page(request, name: str) -> HttpResponse:
    """One page of a section (/sitemap-posts-2.xml); any other name is a 404, and so is a
    page past the section's last."""
    match = PAGE_NAME.fullmatch(name)
    section = SECTIONS.get(match[1]) if match else None
    if section is None:
        raise Http404("No such sitemap.")
    size = page_size()
    entries = section.entries((int(match[2]) - 1) * size, size)
    if not entries:
        raise Http404("No such sitemap page.")
    return _xml("urlset", "url", f"{request.scheme}://{request.get_host()}", entries)
