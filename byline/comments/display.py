"""What a post's comment section shows: the visible comments as threads, a page of them.

Pure of HTTP: the site app turns this into HTML. One query fetches every comment a reader
may see on the post (approved ones, plus their own held ones).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db.models import Q

from byline.options.store import get_option

from .models import Comment, CommentStatus

HELD_COOKIE = "byline_held"
HELD_SALT = "byline.comments.held"
HELD_MAX_AGE = 7 * 24 * 3600
# No comment page shows more than this many comments, whatever page_comments says: a post
# with thousands of comments is read in pages rather than sent as one huge page.
PAGE_LIMIT = 200


@dataclass
class Node:
    comment: Comment
    depth: int
    children: list[Node] = field(default_factory=list)


@dataclass
class Thread:
    nodes: list[Node]
    count: int  # approved comments on the post (what "N Responses" counts)
    page: int
    num_pages: int


def held_ids(cookie_value: str | None) -> list[int]:
    """The held comments this browser wrote (signed cookie, so nobody can claim another's)."""
    if not cookie_value:
        return []
    try:
        ids = signing.loads(cookie_value, salt=HELD_SALT, max_age=HELD_MAX_AGE)
    except signing.BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)][:50] if isinstance(ids, list) else []


def held_cookie(existing: str | None, new_id: int) -> str:
    ids = [new_id, *[i for i in held_ids(existing) if i != new_id]][:20]
    return signing.dumps(ids, salt=HELD_SALT)


def _visible(post, held: list[int]):
    q = Q(status=CommentStatus.APPROVED)
    if held:
        q |= Q(pk__in=held, status=CommentStatus.PENDING)
    return Comment.objects.filter(q, post=post)


def visible_comments(post, held: list[int]) -> list[Comment]:
    """Every comment a reader may see on the post, oldest first."""
    return list(_visible(post, held).select_related("user").order_by("created_at", "id"))


def display_order(rows, *, threaded: bool, max_depth: int) -> list[tuple[int, int, int | None]]:
    """(id, depth, shown under) for each comment, threads in reading order, in linear time.

    `rows` are (id, parent id) oldest first. A reply whose parent is already at the deepest
    level is shown beside it, under the same comment (WordPress's walker does the same), so
    however deep a chain of replies, the page nests at most `max_depth` levels. A reply whose
    parent is not visible starts a thread of its own.
    """
    if not threaded:
        return [(pk, 1, None) for pk, _ in rows]
    depth: dict[int, int] = {}
    under: dict[int, int | None] = {}
    children: dict[int | None, list[int]] = {None: []}
    for pk, parent in rows:
        if parent not in depth:
            parent = None
        elif depth[parent] >= max_depth:
            parent = under[parent]  # one step: the parent's own parent is one level up
        depth[pk] = depth[parent] + 1 if parent is not None else 1
        under[pk] = parent
        children.setdefault(parent, []).append(pk)
    order = []
    stack = list(reversed(children[None]))
    while stack:  # depth-first without recursion: a 10,000-deep chain is no problem
        pk = stack.pop()
        order.append((pk, depth[pk], under[pk]))
        stack.extend(reversed(children.get(pk, ())))
    return order


def _pages(order, *, per_page: int | None) -> list[tuple[int, int]]:
    """(start, end) of each page in `order`: `per_page` top-level threads a page (all of them
    when None), and never more than PAGE_LIMIT comments: a longer page is cut."""
    if not order:
        return [(0, 0)]
    starts = [i for i, (_, _, under) in enumerate(order) if under is None]
    bounds = starts[::per_page] if per_page else starts[:1]
    ranges = list(zip(bounds, [*bounds[1:], len(order)], strict=True))
    pages = []
    for start, end in ranges:
        pages.extend((i, min(i + PAGE_LIMIT, end)) for i in range(start, end, PAGE_LIMIT))
    return pages


def _forest(order, comments: dict[int, Comment]) -> list[Node]:
    """Nodes of one page; a reply whose parent is on an earlier page leads its part of the thread."""
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for pk, depth, under in order:
        if pk not in comments:  # deleted since the first query
            continue
        node = nodes[pk] = Node(comments[pk], depth)
        (nodes[under].children if under in nodes else roots).append(node)
    return roots


def thread_page(post, held: list[int], page: int | None) -> Thread:
    """The threads on one comment page (WordPress's page_comments / comments_per_page / order).

    Two queries whatever the number of comments: the ids, parents and statuses of all visible
    comments, then the comments of this page only. However long the discussion, a page holds
    at most PAGE_LIMIT comments (see docs/architecture.md).
    """
    rows = list(_visible(post, held).order_by("created_at", "id").values_list("id", "parent_id", "status"))
    order = display_order(
        [(pk, parent) for pk, parent, _ in rows],
        threaded=get_option("thread_comments"),
        max_depth=get_option("thread_comments_depth"),
    )
    if get_option("comment_order") == "desc":
        order = _newest_threads_first(order)
    count = sum(1 for *_, status in rows if status == CommentStatus.APPROVED)
    pages = _pages(order, per_page=get_option("comments_per_page") if get_option("page_comments") else None)
    num_pages = len(pages)
    if page is None:
        newest_first = get_option("default_comments_page") == "newest"
        page = num_pages if newest_first != (get_option("comment_order") == "desc") else 1
    page = min(max(page, 1), num_pages)
    start, end = pages[page - 1]
    shown = order[start:end]
    comments = {
        c.pk: c for c in Comment.objects.filter(pk__in=[pk for pk, *_ in shown]).select_related("user")
    }
    return Thread(_forest(shown, comments), count, page, num_pages)


def _newest_threads_first(order):
    """Top-level comments newest first, each still followed by its replies oldest first."""
    threads: list[list] = []
    for item in order:
        if item[2] is None:
            threads.append([])
        threads[-1].append(item)
    return [item for thread in reversed(threads) for item in thread]


def avatar_token(comment: Comment) -> str:
    """A stand-in for the email: an HMAC with the site key, so the avatar reveals nothing."""
    ident = (comment.author_email or comment.author_name).strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), ident, hashlib.sha256).hexdigest()[:20]
