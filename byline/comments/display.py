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


def visible_comments(post, held: list[int]) -> list[Comment]:
    q = Q(status=CommentStatus.APPROVED)
    if held:
        q |= Q(pk__in=held, status=CommentStatus.PENDING)
    return list(Comment.objects.filter(q, post=post).select_related("user").order_by("created_at", "id"))


def build_threads(comments: list[Comment]) -> list[Node]:
    """Top-level comments with their replies below them, up to thread_comments_depth levels."""
    if not get_option("thread_comments"):
        return [Node(c, 1) for c in comments]
    max_depth = get_option("thread_comments_depth")
    by_id = {c.pk: c for c in comments}
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for c in comments:  # oldest first, so a parent is always placed before its replies
        parent = nodes.get(c.parent_id) if c.parent_id in by_id else None
        while parent is not None and parent.depth >= max_depth:
            parent = nodes.get(parent.comment.parent_id)
        node = Node(c, parent.depth + 1 if parent else 1)
        nodes[c.pk] = node
        (parent.children if parent else roots).append(node)
    return roots


def thread_page(post, held: list[int], page: int | None) -> Thread:
    """The threads on one comment page (WordPress's page_comments / comments_per_page / order)."""
    comments = visible_comments(post, held)
    roots = build_threads(comments)
    if get_option("comment_order") == "desc":
        roots.reverse()
    count = sum(1 for c in comments if c.status == CommentStatus.APPROVED)
    if not get_option("page_comments"):
        return Thread(roots, count, 1, 1)
    per_page = get_option("comments_per_page")
    num_pages = max(1, -(-len(roots) // per_page))
    if page is None:
        newest_first = get_option("default_comments_page") == "newest"
        page = num_pages if newest_first != (get_option("comment_order") == "desc") else 1
    page = min(max(page, 1), num_pages)
    return Thread(roots[(page - 1) * per_page : page * per_page], count, page, num_pages)


def avatar_token(comment: Comment) -> str:
    """A stand-in for the email: an HMAC with the site key, so the avatar reveals nothing."""
    ident = (comment.author_email or comment.author_name).strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), ident, hashlib.sha256).hexdigest()[:20]
