"""Comments as WordPress's comment objects. Email, IP and browser only in `edit`, for moderators."""

from __future__ import annotations

from collections import defaultdict

from byline.comments.models import Comment, CommentStatus
from byline.content.capabilities import can_moderate
from byline.content.models import Post
from byline.content.permalinks import permalink_for
from byline.text import safe_url

from ..embedding import resolver
from ..links import link, site_url, v2
from .common import Ctx, avatar_urls, gmt_date, local_date, rendered, show_avatars

# Byline's statuses and WordPress's REST names for them (the REST API says "hold", not "pending").
REST_STATUS = {
    CommentStatus.APPROVED: "approved",
    CommentStatus.PENDING: "hold",
    CommentStatus.SPAM: "spam",
    CommentStatus.TRASH: "trash",
}
# What a client may send as `status` (WordPress's handle_status_param accepts these spellings).
STATUS_FROM_REST = {
    "approved": CommentStatus.APPROVED,
    "approve": CommentStatus.APPROVED,
    "1": CommentStatus.APPROVED,
    "hold": CommentStatus.PENDING,
    "0": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.TRASH,
}


def with_relations(qs):
    return qs.select_related("post__author", "post__parent", "user").prefetch_related("post__categories")


def comment_link(comment: Comment, request) -> str:
    post = comment.post
    path = permalink_for(post) if post.is_public else f"/?p={post.pk}"
    return site_url(request, f"{path}#comment-{comment.pk}")


def serialize_comment(comment: Comment, ctx: Ctx) -> dict:
    request = ctx.request
    data = {"id": comment.pk}
    if not ctx.embed:
        data["post"] = comment.post_id
    data.update(
        parent=comment.parent_id or 0,
        author=comment.user_id or 0,
    )
    if ctx.edit:
        # Personal data: only moderators, and only when they ask for the edit context.
        data.update(
            author_email=comment.author_email,
            author_ip=comment.author_ip or "",
            author_user_agent=comment.user_agent,
        )
    data.update(author_name=comment.author_name, author_url=safe_url(comment.author_url))
    data["date"] = local_date(comment.created_at)
    if not ctx.embed:
        data["date_gmt"] = gmt_date(comment.created_at)
    data["content"] = rendered(comment.content, comment.content, ctx)
    data["link"] = comment_link(comment, request)
    if not ctx.embed:
        data["status"] = REST_STATUS.get(comment.status, comment.status)
    data["type"] = comment.comment_type or "comment"
    if show_avatars():
        data["author_avatar_urls"] = avatar_urls(comment.author_name)
    if not ctx.embed:
        data["meta"] = []
    links = {
        "self": link(v2(request, f"comments/{comment.pk}")),
        "collection": link(v2(request, "comments")),
    }
    embeddable = []
    if comment.user_id:
        links["author"] = link(v2(request, f"users/{comment.user_id}"), embeddable=True)
        embeddable.append(("author", "user", comment.user_id))
    base = "pages" if comment.post.is_page else "posts"
    links["up"] = link(
        v2(request, f"{base}/{comment.post_id}"), embeddable=True, post_type=comment.post.post_type
    )
    embeddable.append(("up", "post", comment.post_id))
    if comment.parent_id:
        links["in-reply-to"] = link(v2(request, f"comments/{comment.parent_id}"), embeddable=True)
        embeddable.append(("in-reply-to", "comment", comment.parent_id))
    links["children"] = link(v2(request, "comments", parent=comment.pk))
    data["_links"] = links
    data["_embeddable"] = embeddable
    return data


def public_comments():
    """Approved comments on public posts without a password: what anyone may read."""
    return Comment.objects.filter(
        status=CommentStatus.APPROVED, post__in=Post.objects.public(), post__password=""
    )


@resolver("replies")
def _embed_replies(request, keys) -> dict:
    ctx = Ctx(request, "embed")
    grouped = defaultdict(list)
    for comment in with_relations(public_comments().filter(post_id__in=keys)).order_by("-created_at", "-id"):
        grouped[comment.post_id].append(serialize_comment(comment, ctx))
    return {post_id: grouped.get(post_id, []) for post_id in keys}


@resolver("comment")
def _embed_comments(request, keys) -> dict:
    ctx = Ctx(request, "embed")
    out = {}
    for comment in with_relations(Comment.objects.filter(pk__in=keys)):
        if comment.status == CommentStatus.APPROVED or can_moderate(request.user, comment.post):
            out[comment.pk] = serialize_comment(comment, ctx)
    return out
