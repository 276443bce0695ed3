"""Email notices about comments, written here and sent by the worker (byline/tasks/mail.py).

Commenters' addresses are used only to tell them of replies they asked for; they are never
put in a notice to anyone else.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from byline.content.permalinks import permalink_for
from byline.options.store import get_option
from byline.tasks.mail import queue_email

from .models import Comment

User = get_user_model()


def _send(subject: str, body: str, to: list[str]) -> None:
    # A task, not an SMTP conversation: a mail server that is slow or down holds up no
    # commenter, and a failed send is tried again later (byline/tasks/retry.py).
    queue_email(subject, body, to)


def _excerpt(comment: Comment) -> str:
    from django.utils.html import strip_tags

    return strip_tags(comment.content)[:1000]


def new_comment(comment: Comment) -> None:
    """Tell the post's author of a published comment (WordPress's comments_notify)."""
    if not get_option("comments_notify"):
        return
    author = comment.post.author
    if comment.user_id == author.pk:
        return
    _send(
        f'[{get_option("blogname")}] Comment: "{comment.post.title}"',
        f'New comment on your post "{comment.post.title}"\nAuthor: {comment.author_name}\n\n'
        f"{_excerpt(comment)}\n\nSee all comments: {permalink_for(comment.post)}#comments\n",
        [author.email],
    )
    reply_to_subscriber(comment)


def held_comment(comment: Comment) -> None:
    """Tell the moderators a comment waits for them (WordPress's moderation_notify)."""
    if not get_option("moderation_notify"):
        return
    moderators = User.objects.filter(
        Q(is_superuser=True)
        | Q(groups__permissions__codename="moderate_comments")
        | Q(pk=comment.post.author_id),
        is_active=True,
    ).distinct()
    _send(
        f'[{get_option("blogname")}] Please moderate: "{comment.post.title}"',
        f'A new comment on the post "{comment.post.title}" is waiting for your approval.\n'
        f"Author: {comment.author_name}\nWhy it is held: {comment.reason}\n\n{_excerpt(comment)}\n\n"
        f"Moderate it: /admin/comments/comment/?status__exact=pending\n",
        [m.email for m in moderators],
    )


def reply_to_subscriber(comment: Comment) -> None:
    """A published reply, to the parent's author if they opted in (never by default)."""
    parent = comment.parent
    if parent is None or not parent.notify_replies or not parent.author_email or not comment.is_approved:
        return
    if parent.author_email.lower() == comment.author_email.lower():
        return
    _send(
        f'[{get_option("blogname")}] New reply to your comment on "{comment.post.title}"',
        f"{comment.author_name} replied to your comment:\n\n{_excerpt(comment)}\n\n"
        f"Read it: {permalink_for(comment.post)}#comment-{comment.pk}\n",
        [parent.author_email],
    )
