"""An export's comments, with their threads, saved many at a time.

Each comment goes through the comment sanitiser (`imported_comment`): an export is not
trusted. A blog with a hundred thousand comments would take minutes one INSERT at a time,
so comments wait in a buffer and are written with `bulk_create`, parents before replies.
"""

from __future__ import annotations

import ipaddress

from byline.comments.models import Comment, CommentStatus
from byline.comments.services import imported_comment
from byline.content.models import Post

from .records import Comment as CommentRecord
from .records import Item
from .report import ImportReport
from .values import moment, own_id

# WXR 1.2: wp:comment_approved may be "1", "0", "spam" or "trash"; WordPress also writes
# "post-trashed" for the comments of a post in the trash.
STATUSES = {
    "1": CommentStatus.APPROVED,
    "approve": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.TRASH,
    "post-trashed": CommentStatus.TRASH,
}
FLUSH_AT = 2000  # comments held before they are written


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _first(meta: dict[str, list[str]], key: str) -> str:
    values = meta.get(key)
    return values[0] if values else ""


class Discussion:
    """Comments waiting to be written, and where each one's parent ended up."""

    def __init__(self, report: ImportReport, users_by_wp_id: dict[int, int]):
        self.report = report
        self.users_by_wp_id = users_by_wp_id
        # (post id, WordPress comment id, parent's WordPress id, unsaved comment), in file order
        self.waiting: list[tuple[int, int, int, Comment]] = []
        self.saved: dict[tuple[int, int], int] = {}  # (post id, WordPress id) -> comment id

    def take(self, item: Item, post: Post, *, existing: bool, local_offset, fallback_date) -> None:
        """The comments of one imported (or already imported) post."""
        if not item.comments:
            return
        known: set[int] = set()
        own: set[int] = set()  # ids of the post's comments, which this site's own export names
        if existing:
            for wp_id, pk in Comment.objects.filter(post=post).values_list("wp_id", "pk"):
                own.add(pk)
                if wp_id is not None:
                    self.saved[(post.pk, wp_id)] = pk
                    known.add(wp_id)
        in_file = {c.wp_id for c in item.comments if not c.problems}
        arrived = []
        for record in item.comments:
            what = f"comment {record.wp_id} by {record.author or 'anonymous'!r}"
            if record.problems:
                self.report.skip(record.line, what, "; ".join(record.problems))
                continue
            if record.wp_id in known or (
                own and own_id(_first(record.meta, "_byline_comment"), "comment") in own
            ):
                self.report.existing["comments"] += 1
                continue
            known.add(record.wp_id)
            parent = record.parent
            if parent and (
                parent == record.wp_id or parent not in in_file and (post.pk, parent) not in self.saved
            ):
                reason = "the comment it answers is not in the file; kept unthreaded"
                self.report.note(record.line, what, reason)
                parent = 0
            comment = self._comment(record, post, local_offset, fallback_date)
            arrived.append((post.pk, record.wp_id, parent, comment))
        self.waiting += arrived

    def flush_if_full(self) -> None:
        if len(self.waiting) >= FLUSH_AT:
            self.flush()

    def _comment(self, record: CommentRecord, post: Post, local_offset, fallback_date) -> Comment:
        status = STATUSES.get(record.approved.strip().lower(), CommentStatus.PENDING)
        comment = imported_comment(
            post,
            author_name=record.author,
            content=record.content,
            status=status,
            created_at=moment(record.date_gmt, record.date, local_offset) or fallback_date,
            author_email=record.author_email,
            author_url=record.author_url,
            author_ip=_ip(record.author_ip),
            comment_type=record.type or "comment",
            wp_id=record.wp_id,
        )
        comment.user_id = self.users_by_wp_id.get(record.user_id) if record.user_id else None
        return comment

    def flush(self) -> None:
        """Write the waiting comments: a round of top-level ones, then their replies, and so on."""
        waiting = self.waiting
        self.waiting = []
        while waiting:
            ready, later = [], []
            for entry in waiting:
                post_id, _, parent, comment = entry
                if not parent:
                    ready.append(entry)
                elif (post_id, parent) in self.saved:
                    comment.parent_id = self.saved[(post_id, parent)]
                    ready.append(entry)
                else:
                    later.append(entry)
            if not ready:  # a loop of replies (a answers b answers a): break it
                for entry in later:
                    entry[3].parent_id = None
                ready, later = later, []
            Comment.objects.bulk_create([entry[3] for entry in ready])
            for post_id, wp_id, _, comment in ready:
                self.saved[(post_id, wp_id)] = comment.pk
            self.report.created["comments"] += len(ready)
            waiting = later
        # A post's comments are all in one flush, so its threads are complete: forget them.
        self.saved.clear()
