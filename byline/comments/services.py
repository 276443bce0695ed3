"""Comment operations: submit (with WordPress's moderation rules), moderate, import, erase.

The theme's form, the REST API and the WXR importer all come through here, so the rules,
the sanitiser and the notifications are written once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from byline.content.capabilities import can_edit_post, can_moderate
from byline.content.models import CommentStatus as PostCommentStatus
from byline.content.models import Post
from byline.options.store import get_option
from byline.signals import site_changed
from byline.text import clean_header, clean_text, safe_url

from .models import Comment, CommentStatus
from .sanitize import sanitize_comment

User = get_user_model()

DUPLICATE = "Duplicate comment detected; it looks as though you've already said that!"
FLOOD = "You are posting comments too quickly. Slow down."
PROTECTED = "This post is password protected. Enter the password to view comments."
BUSY = (
    "The site is busy just now and could not save your comment. Nothing is lost: "
    "please send it again in a moment."
)


class CommentRefused(Exception):
    """A comment that is not saved, with the HTTP status and the message for the commenter."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


@dataclass(frozen=True)
class Submission:
    """What a commenter sent, already checked for shape by the form."""

    post: Post
    author_name: str
    author_email: str
    author_url: str
    content: str
    parent: Comment | None = None
    author_ip: str | None = None
    user_agent: str = ""
    user: object | None = None
    notify_replies: bool = False
    # The commenter gave the post's password (the unlock cookie, or REST's `password`).
    unlocked: bool = False


def comments_open(post: Post, *, now: datetime | None = None) -> bool:
    """Open for comments: the post is public, its comments are open and it is not too old."""
    if not post.is_public or post.comment_status != PostCommentStatus.OPEN:
        return False
    if get_option("close_comments_for_old_posts"):
        days = get_option("close_comments_days_old")
        if post.published_at < (now or timezone.now()) - timedelta(days=days):
            return False
    return True


def password_required(post: Post, user, *, unlocked: bool) -> bool:
    """WordPress's post_password_required for commenting: a protected post takes comments only
    from readers who gave its password, and from those who may edit it."""
    return bool(post.password) and not unlocked and not can_edit_post(user, post)


def _words(option: str) -> list[str]:
    return [w.strip() for w in get_option(option).splitlines() if w.strip()]


def _contains_key(sub: Submission, words: list[str]) -> str | None:
    """The first listed word found in the name, email, URL, text, IP or user agent (WordPress's check)."""
    fields = [
        sub.author_name,
        sub.author_email,
        sub.author_url,
        sub.content,
        sub.author_ip or "",
        sub.user_agent,
    ]
    for word in words:
        pattern = re.compile(re.escape(word), re.I)
        if any(pattern.search(f) for f in fields):
            return word
    return None


def count_links(text: str) -> int:
    """Links as WordPress counts them: `<a href=` in the text."""
    return len(re.findall(r"<a\s[^>]*href", text, re.I))


def decide(sub: Submission) -> tuple[str, str]:
    """Approve, hold or trash a new comment, and say why: wp_allow_comment + check_comment."""
    if can_moderate(sub.user, sub.post):
        return CommentStatus.APPROVED, "approved: written by the post's author or a moderator"
    word = _contains_key(sub, _words("disallowed_keys"))
    if word:
        return CommentStatus.TRASH, f"trashed: contains the disallowed word “{word}”"
    if get_option("comment_moderation"):
        return CommentStatus.PENDING, "held: every comment is held for moderation (comment_moderation)"
    max_links = get_option("comment_max_links")
    links = count_links(sub.content)
    if max_links and links >= max_links:
        return CommentStatus.PENDING, f"held: {links} links (comment_max_links is {max_links})"
    word = _contains_key(sub, _words("moderation_keys"))
    if word:
        return CommentStatus.PENDING, f"held: contains the moderation word “{word}”"
    if get_option("comment_previously_approved"):
        known = Comment.objects.filter(status=CommentStatus.APPROVED)
        known = known.filter(
            Q(user=sub.user)
            if sub.user
            else Q(author_email__iexact=sub.author_email, author_name=sub.author_name)
        )
        if not sub.author_email and not sub.user or not known.exists():
            return CommentStatus.PENDING, "held: the author has no approved comment yet"
    return CommentStatus.APPROVED, "approved: passed every moderation rule"


def _check_duplicate(sub: Submission) -> None:
    same = Comment.objects.filter(
        post=sub.post, parent=sub.parent, author_name=sub.author_name, content=sub.content
    )
    same = same.filter(author_email=sub.author_email) if sub.author_email else same
    if same.exclude(status=CommentStatus.TRASH).exists():
        raise CommentRefused(409, DUPLICATE)


def _check_flood(sub: Submission, now: datetime) -> None:
    interval = get_option("comment_flood_interval")
    if not interval or can_moderate(sub.user, sub.post):
        return
    who = Q()
    if sub.author_ip:
        who |= Q(author_ip=sub.author_ip)
    if sub.author_email:
        who |= Q(author_email__iexact=sub.author_email)
    if who and Comment.objects.filter(who, created_at__gte=now - timedelta(seconds=interval)).exists():
        raise CommentRefused(429, FLOOD)


def _lock_key(kind: str, value) -> int:
    digest = hashlib.blake2b(f"byline.comment:{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)  # PostgreSQL's advisory keys are bigint


def _serialise_with_rivals(sub: Submission) -> None:
    """Make the duplicate and flood checks and the insert one step against concurrent rivals.

    On PostgreSQL, READ COMMITTED lets eight simultaneous submissions all see "no recent
    comment" and all insert. Transaction-scoped advisory locks on the post, the commenter's
    address and their email queue every rival submission behind this one until it commits;
    each statement after the lock then sees the rows committed before it. Keys are taken in
    sorted order so that two submissions never wait for each other in a cycle. SQLite needs
    nothing: its IMMEDIATE transactions already take the one write lock at BEGIN.
    """
    if connection.vendor != "postgresql":
        return
    keys = {_lock_key("post", sub.post.pk)}
    if sub.author_ip:
        keys.add(_lock_key("ip", sub.author_ip))
    if sub.author_email:
        keys.add(_lock_key("email", sub.author_email.strip().lower()))
    with connection.cursor() as cursor:
        for key in sorted(keys):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def check_parent(post: Post, parent: Comment | None) -> None:
    if parent is None:
        return
    if parent.post_id != post.pk:
        raise CommentRefused(400, "You can only reply to a comment on the same post.", "comment_parent")
    if parent.status != CommentStatus.APPROVED:
        raise CommentRefused(400, "That comment cannot be replied to.", "comment_parent")
    if not get_option("thread_comments"):
        raise CommentRefused(400, "Replies to comments are turned off.", "comment_parent")


def reply_parent(parent: Comment, max_depth: int) -> Comment:
    """The comment a reply to `parent` is filed under: `parent` itself, or past the deepest
    level (thread_comments_depth) the parent's own parent, so that the reply sits at the last
    level beside it, as WordPress shows it.

    At most `max_depth` ancestors are read, one row each: however deep an imported chain of
    replies, answering its last comment costs a handful of queries.
    """
    node, seen = parent, 1
    while node.parent_id and seen < max_depth:
        node = Comment.objects.only("id", "parent_id").get(pk=node.parent_id)
        seen += 1
    if node.parent_id is None and seen < max_depth:
        return parent  # the reply is at most at the deepest level
    return Comment.objects.get(pk=parent.parent_id) if parent.parent_id else parent


def submit_comment(sub: Submission) -> Comment:
    """Check, moderate, sanitise and save a new comment; raise CommentRefused (saving nothing)."""
    now = timezone.now()
    if not comments_open(sub.post, now=now):
        raise CommentRefused(403, "Sorry, comments are closed for this item.")
    if get_option("comment_registration") and not getattr(sub.user, "is_authenticated", False):
        raise CommentRefused(403, "Sorry, you must be logged in to comment.")
    if password_required(sub.post, sub.user, unlocked=sub.unlocked):
        raise CommentRefused(403, PROTECTED)
    check_parent(sub.post, sub.parent)
    # Rules see the comment as it will be stored (WordPress filters before it moderates): a
    # `javascript:` link that the sanitiser drops does not count towards comment_max_links.
    sub = replace(sub, content=sanitize_comment(sub.content))
    parent = sub.parent and reply_parent(sub.parent, get_option("thread_comments_depth"))
    with transaction.atomic():
        _serialise_with_rivals(sub)
        _check_duplicate(sub)
        _check_flood(sub, now)
        status, reason = decide(sub)
        comment = Comment.objects.create(
            post=sub.post,
            parent=parent,
            author_name=sub.author_name,
            author_email=sub.author_email,
            author_url=sub.author_url,
            author_ip=sub.author_ip or None,
            user_agent=clean_header(sub.user_agent, Comment.MAX_USER_AGENT),
            user=sub.user if getattr(sub.user, "is_authenticated", False) else None,
            content=sub.content,
            status=status,
            reason=reason,
            created_at=now,
            notify_replies=sub.notify_replies,
        )
        # The notices are recorded as tasks in this transaction: they exist if the comment does,
        # and the worker sends them; the commenter waits for no mail server.
        _queue_notices(comment)
        if comment.status == CommentStatus.APPROVED:
            transaction.on_commit(
                lambda: site_changed.send(sender=Comment, reason=f"comment {comment.pk} approved")
            )
    return comment


def _queue_notices(comment: Comment) -> None:
    from . import notify

    if comment.status == CommentStatus.APPROVED:
        notify.new_comment(comment)
    elif comment.status == CommentStatus.PENDING:
        notify.held_comment(comment)


def set_status(comments, status: str, *, reason: str = "", by=None) -> int:
    """Approve, unapprove, spam or trash comments (the moderation queue's bulk actions)."""
    if status not in CommentStatus.values:
        raise ValueError(f"unknown comment status {status!r}")
    changed = []
    with transaction.atomic():
        for comment in comments:
            if comment.status == status:
                continue
            was_approved = comment.status == CommentStatus.APPROVED
            comment.status = status
            who = f" by {by.get_username()}" if by is not None else ""
            comment.reason = reason or f"{CommentStatus(status).label.lower()}{who}"
            comment.save(update_fields=["status", "reason"])
            changed.append((comment, was_approved))
            if status == CommentStatus.APPROVED and not was_approved:
                from . import notify

                notify.reply_to_subscriber(comment)  # recorded with the change, sent by the worker
    if changed:
        site_changed.send(sender=Comment, reason=f"{len(changed)} comments now {status}")
    return len(changed)


def approve_comment(comment: Comment, *, by=None) -> None:
    set_status([comment], CommentStatus.APPROVED, by=by)


def delete_comment(comment: Comment) -> None:
    """Delete a comment for good; its replies move up a level (WordPress's wp_delete_comment)."""
    was_approved = comment.status == CommentStatus.APPROVED
    with transaction.atomic():
        Comment.objects.filter(parent=comment).update(parent=comment.parent)
        comment.delete()
    if was_approved:
        site_changed.send(sender=Comment, reason="comment deleted")


def import_comment(post: Post, **fields) -> Comment:
    """Store a comment from a WordPress export: no moderation, but the sanitiser all the same.

    Takes the keyword arguments of `imported_comment`.
    """
    comment = imported_comment(post, **fields)
    comment.save()
    return comment


def imported_comment(
    post: Post,
    *,
    author_name: str,
    content: str,
    status: str,
    created_at: datetime,
    parent: Comment | None = None,
    author_email: str = "",
    author_url: str = "",
    author_ip: str | None = None,
    user_agent: str = "",
    comment_type: str = "comment",
    user=None,
    wp_id: int | None = None,
) -> Comment:
    """An imported comment, sanitised and trimmed but not saved: the WXR importer saves
    thousands at once with `bulk_create`."""
    return Comment(
        post=post,
        parent=parent,
        author_name=author_name[: Comment.MAX_NAME],
        author_email=author_email[: Comment.MAX_EMAIL],
        author_url=safe_url(author_url)[: Comment.MAX_URL],
        author_ip=author_ip or None,
        user_agent=user_agent[:255],
        content=sanitize_comment(content),
        status=status,
        reason="imported",
        created_at=created_at,
        comment_type=(comment_type or "comment")[:20],
        user=user,
        wp_id=wp_id,
    )


# --- privacy (WordPress's personal data export and erasure) ----------------------------------


def export_personal_data(email: str) -> list[dict]:
    """Everything Byline keeps about the commenter with this email."""
    rows = (
        Comment.objects.filter(author_email__iexact=email.strip())
        .select_related("post")
        .order_by("created_at")
    )
    from byline.content.permalinks import permalink_for

    return [
        {
            "comment_id": c.pk,
            "post": c.post.title,
            "post_url": permalink_for(c.post),
            "date": c.created_at.isoformat(),
            "author_name": c.author_name,
            "author_email": c.author_email,
            "author_url": c.author_url,
            "author_ip": c.author_ip,
            "user_agent": c.user_agent,
            "content": c.content,
            "status": c.status,
        }
        for c in rows
    ]


def erase_personal_data(email: str) -> int:
    """Anonymise this commenter's comments as WordPress's eraser does; returns how many."""
    with transaction.atomic():
        count = Comment.objects.filter(author_email__iexact=email.strip()).update(
            author_name="Anonymous",
            author_email="",
            author_url="",
            author_ip=None,
            user_agent="",
            notify_replies=False,
        )
    if count:
        site_changed.send(sender=Comment, reason="personal data erased")
    return count


def edit_comment(comment: Comment, *, content: str) -> Comment:
    """A moderator's correction of a comment's text, sanitised as a new comment would be."""
    content = sanitize_comment(content)
    if not content.strip():
        raise CommentRefused(400, "A comment cannot be empty.", "content")
    comment.content = content
    comment.save(update_fields=["content"])
    if comment.status == CommentStatus.APPROVED:
        site_changed.send(sender=Comment, reason=f"comment {comment.pk} edited")
    return comment


def update_comment(
    comment: Comment,
    *,
    by,
    author_name: str,
    author_email: str,
    author_url: str,
    content: str,
    status: str | None = None,
) -> Comment:
    """A moderator's edit of a whole comment (the admin's change form), checked as a new one is.

    Only someone who may moderate the post's comments edits them; the text is sanitised, the
    name cleaned, the website must be http(s). A new status goes through set_status, so a
    comment approved here notifies its subscriber as one approved from the queue does.
    Raises PermissionDenied or CommentRefused, saving nothing.
    """
    if not can_moderate(by, comment.post):
        raise PermissionDenied("You may not edit comments on this post.")
    content = sanitize_comment(content)
    if not content.strip():
        raise CommentRefused(400, "A comment cannot be empty.", "content")
    author_url = clean_text(author_url).strip()
    if author_url and not safe_url(author_url):
        raise CommentRefused(400, "A website must be an http or https address.", "author_url")
    comment.author_name = clean_text(author_name).strip()[: Comment.MAX_NAME]
    comment.author_email = clean_text(author_email).strip()
    comment.author_url = author_url
    comment.content = content
    with transaction.atomic():
        comment.save(update_fields=["author_name", "author_email", "author_url", "content"])
        if status and status != comment.status:
            set_status([comment], status, by=by)  # sends site_changed itself
            return comment
    if comment.status == CommentStatus.APPROVED:
        site_changed.send(sender=Comment, reason=f"comment {comment.pk} edited")
    return comment


def reply_as_moderator(parent: Comment, *, user, content: str) -> Comment:
    """A reply from the desk: it approves a held parent first, as WordPress's reply does.

    One transaction: a refused reply (comments closed, a duplicate) leaves the parent held.
    """
    from byline.content.services import display_name

    with transaction.atomic():
        if parent.status == CommentStatus.PENDING:
            approve_comment(parent, by=user)
        return submit_comment(
            Submission(
                post=parent.post,
                author_name=display_name(user),
                author_email=user.email,
                author_url="",
                content=content,
                parent=parent,
                user=user,
                unlocked=True,  # a moderator answers from the desk; no reader's password applies
            )
        )
