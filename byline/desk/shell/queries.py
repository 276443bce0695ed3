"""The desk's reads: which posts and comments a user sees, counted for the dashboard and menu."""

from __future__ import annotations

from django.db.models import Count, Q

from byline.comments.models import Comment, CommentStatus
from byline.content import capabilities
from byline.content.models import Post, PostType, Status


def moderatable_comments(user):
    """Comments this user may moderate: all for moderators, else those on their own posts.

    Mirrors `capabilities.can_moderate(user, post)` as a query; the list's actions still ask
    that function for each comment before changing it.
    """
    qs = Comment.objects.all()
    if capabilities.can_moderate(user):
        return qs
    return qs.filter(post__author=user)


def visible_posts(user, post_type: str = PostType.POST):
    """Posts (or pages) listed on the desk: everyone's for editors, else one's own and others' published."""
    qs = Post.objects.filter(post_type=post_type)
    if capabilities.can_edit_others(user):
        return qs
    return qs.filter(Q(author=user) | Q(status=Status.PUBLISH))


def dashboard_counts(user) -> dict[str, int]:
    """Drafts, pending review and scheduled (this user's, or all for editors) and held comments."""
    posts = Post.objects.filter(post_type=PostType.POST)
    if not capabilities.can_edit_others(user):
        posts = posts.filter(author=user)
    counts = posts.aggregate(
        draft=Count("pk", filter=Q(status=Status.DRAFT)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        future=Count("pk", filter=Q(status=Status.FUTURE)),
    )
    counts["moderation"] = moderatable_comments(user).filter(status=CommentStatus.PENDING).count()
    return counts


def status_counts(user, post_type: str = PostType.POST) -> dict[str, int]:
    """WordPress's status links above the list, counted in one query over what the user may see:
    {"all": …, "mine": …, "publish": …, "draft": …, …} (every status, zeros included)."""
    counts = visible_posts(user, post_type).aggregate(
        all=Count("pk"),
        mine=Count("pk", filter=Q(author=user)),
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
    )
    return counts
