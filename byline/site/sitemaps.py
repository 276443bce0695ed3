"""/sitemap.xml: every public post, page and archive (category, tag, author, year, month)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.sitemaps import Sitemap

from byline.content.models import Category, Post, Tag
from byline.content.permalinks import category_path, local, permalink_for

from . import queries

User = get_user_model()


class HomeSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["/"]

    def location(self, item):
        return item


class PostSitemap(Sitemap):
    def items(self):
        return (
            Post.objects.public()
            .select_related("author", "parent")
            .prefetch_related("categories")
            .order_by("pk")
        )

    def location(self, item):
        return permalink_for(item)

    def lastmod(self, item):
        return item.modified_at


class TermSitemap(Sitemap):
    model = Category

    def items(self):
        ids = queries.public_posts().values("categories" if self.model is Category else "tags")
        return self.model.objects.filter(pk__in=ids).order_by("pk")

    def location(self, item):
        if self.model is Category:
            return f"/category/{category_path(item)}/"
        return f"/tag/{item.slug}/"


class TagSitemap(TermSitemap):
    model = Tag


class AuthorSitemap(Sitemap):
    def items(self):
        return User.objects.filter(pk__in=queries.public_posts().values("author")).order_by("pk")

    def location(self, item):
        return f"/author/{item.get_username()}/"


class DateArchiveSitemap(Sitemap):
    """A year's and a month's archive for every month that has posts."""

    def items(self):
        months = sorted(
            {
                (d.year, d.month)
                for d in map(local, queries.public_posts().values_list("published_at", flat=True))
            }
        )
        years = sorted({y for y, _ in months})
        return [f"/{y}/" for y in years] + [f"/{y}/{m:02d}/" for y, m in months]

    def location(self, item):
        return item


SITEMAPS = {
    "home": HomeSitemap,
    "posts": PostSitemap,
    "categories": TermSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "dates": DateArchiveSitemap,
}
