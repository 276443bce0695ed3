"""What each public page reads: one function per page type, a fixed number of queries each.

Templates never query: everything they show is fetched here with select_related /
prefetch_related, so a page costs the same number of queries whether it shows one post
or a hundred, one category or twenty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.functional import cached_property

from byline import sitewide
from byline.content.models import Category, Correction, Post, Tag
from byline.content.permalinks import PostAddress, site_zone
from byline.content.search import by_relevance, ranked_ids, rows_of
from byline.options.store import get_option

from . import counts

User = get_user_model()


def _with_relations(qs: QuerySet) -> QuerySet:
    return qs.select_related("author__profile", "featured_image").prefetch_related(
        Prefetch("categories", queryset=Category.objects.only("id", "name", "slug", "parent_id")),
        Prefetch("tags", queryset=Tag.objects.only("id", "name", "slug")),
    )


@dataclass
class Listing:
    """A page of posts with what the pagination links need."""

    posts: list[Post]
    number: int
    num_pages: int
    count: int
    title: str = ""
    description: str = ""
    feed_path: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


class _RememberedCount(Paginator):
    @cached_property
    def count(self) -> int:
        return counts.count(self.object_list)


class _RankedSearch(Paginator):
    """A search's pages: its ids ranked in one query (at most `search.CANDIDATES`), which
    give the count and the page; then the page's rows."""

    @cached_property
    def ids(self) -> list[int]:
        return ranked_ids(self.object_list)

    @cached_property
    def count(self) -> int:
        return len(self.ids)

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        return self._get_page(
            rows_of(self.object_list, self.ids[start : start + self.per_page]), number, self
        )


def paginate(qs: QuerySet, page: int, *, search: bool = False, **labels) -> Listing:
    """One page of a list; a page past the end is a 404 (page 1 of nothing is an empty list).

    The list's length is remembered until the site changes (`counts`); not a search's, whose
    words are the reader's (no cache entry per phrase) and whose count is bounded anyway.
    """
    # Lists show titles, deks and excerpts: leave the long body columns in the database.
    # The automatic excerpt and the photo beside each post were stored by save_post.
    listing = _with_relations(qs).select_related("lead_image").defer("body", "content_html")
    kind = _RankedSearch if search else _RememberedCount
    paginator = kind(listing, get_option("posts_per_page"), allow_empty_first_page=True)
    try:
        current = paginator.page(page)
    except EmptyPage:
        raise Http404("No such page of posts.") from None
    return Listing(
        posts=list(current.object_list),
        number=current.number,
        num_pages=paginator.num_pages,
        count=paginator.count,
        **labels,
    )


def public_posts() -> QuerySet:
    return Post.objects.public().posts()


def home(page: int) -> Listing:
    """The front page: newest first, sticky posts on top (WordPress's home)."""
    return paginate(public_posts().order_by("-sticky", "-published_at", "-id"), page, feed_path="/feed/")


def category_by_path(path: str) -> Category:
    """A category from '/category/parent/child/' (the last slug names it; the parents must match)."""
    slugs = [s for s in path.strip("/").split("/") if s]
    if not slugs:
        raise Http404("No category.")
    categories = {c.slug: c for c in Category.objects.filter(slug__in=slugs)}
    node = categories.get(slugs[-1])
    if node is None:
        raise Http404("No such category.")
    return node


def _category_parents() -> dict[int, int | None]:
    return dict(Category.objects.values_list("id", "parent_id"))


def descendants(category: Category) -> list[int]:
    """The category and all below it (WordPress's category archive includes children)."""
    parents = sitewide.remembered("category_parents", _category_parents)
    ids, frontier = {category.pk}, {category.pk}
    while frontier:
        frontier = {cid for cid, pid in parents.items() if pid in frontier and cid not in ids}
        ids |= frontier
    return sorted(ids)


def in_categories(qs: QuerySet, category: Category) -> QuerySet:
    """Posts filed under the category or any below it, without DISTINCT (a subquery on the link table)."""
    links = Post.categories.through.objects.filter(category_id__in=descendants(category)).values("post_id")
    return qs.filter(pk__in=links)


def category_archive(category: Category, page: int) -> Listing:
    qs = in_categories(public_posts(), category)
    return paginate(qs, page, title=category.name, description=category.description)


def tag_archive(tag: Tag, page: int) -> Listing:
    return paginate(public_posts().filter(tags=tag), page, title=tag.name, description=tag.description)


def author_archive(user, page: int) -> Listing:
    return paginate(public_posts().filter(author=user), page)


def date_archive(year: int, month: int | None, day: int | None, page: int) -> Listing:
    """Posts of a year, month or day, in the site's time zone."""
    zone = site_zone()
    try:
        start = datetime(year, month or 1, day or 1, tzinfo=zone)
        if day:
            end = start + timedelta(days=1)
        elif month:
            end = start.replace(year=year + (month == 12), month=month % 12 + 1)
        else:
            end = start.replace(year=year + 1)
        # The database compares in UTC: /0001/ east of Greenwich or /9999/12/31/ has no UTC time.
        start.astimezone(UTC), end.astimezone(UTC)
    except (ValueError, OverflowError):
        raise Http404("No such date.") from None
    qs = public_posts().filter(published_at__gte=start, published_at__lt=end)
    return paginate(qs, page)


def search(terms: str, page: int) -> Listing:
    """Posts and pages with every word in the title, excerpt or body (protected posts: the
    title), most relevant first: a word in the title counts above one in the body."""
    return paginate(by_relevance(Post.objects.public().search(terms)), page, search=True, title=terms)


def single_post(address: PostAddress) -> Post | None:
    """The public post a permalink names, or None."""
    qs = public_posts()
    if address.post_id is not None:
        qs = qs.filter(pk=address.post_id)
    if address.slug is not None:
        qs = qs.filter(slug=address.slug)
    if address.post_id is None and address.slug is None:
        return None
    return _single(qs)


def single_post_by_id(post_id: int, *, any_status: bool = False) -> Post | None:
    """A post or page by id: public ones, or any (drafts) for previews."""
    qs = Post.objects.all() if any_status else Post.objects.public()
    return _single(qs.filter(pk=post_id))


def _detail(qs: QuerySet) -> QuerySet:
    """Everything a post's or page's own page shows, fetched with it (not the source body)."""
    return (
        _with_relations(qs)
        .defer("body")
        .prefetch_related(
            Prefetch("corrections", queryset=Correction.objects.order_by("date", "id")),
            "figures",
        )
    )


def _single(qs: QuerySet) -> Post | None:
    return _detail(qs).select_related("parent").first()


def menu_pages() -> tuple[tuple[str, str], ...]:
    """(title, path) of the top-level public pages, for the theme's navigation (wp_page_menu);
    the same on every page, so remembered until the site changes."""
    return sitewide.remembered("menu_pages", _menu_pages)


def _menu_pages() -> tuple[tuple[str, str], ...]:
    pages = (
        Post.objects.public()
        .pages()
        .filter(parent__isnull=True)
        .values_list("title", "slug")
        .order_by("menu_order", "title")[:12]
    )
    return tuple((title, f"/{quote(slug)}/") for title, slug in pages)


def page_by_path(path: str) -> Post | None:
    """The public page at '/parent/child/': the last slug names it, its parents must match the rest.

    Fetched with everything its page shows, like `single_post`.
    """
    slugs = [s for s in path.strip("/").split("/") if s]
    if not slugs:
        return None
    qs = Post.objects.public().pages().filter(slug=slugs[-1])
    candidates = list(_detail(qs).select_related("parent__parent__parent"))
    for page in candidates:
        node, ok = page, True
        for slug in reversed(slugs[:-1]):
            node = node.parent
            if node is None or node.slug != slug:
                ok = False
                break
        if ok and (node.parent is None):
            return page
    return None
