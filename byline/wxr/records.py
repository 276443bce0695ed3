"""What a WordPress export (WXR) file holds, as plain data.

The reader (`byline.wxr.reader`) turns XML into these records and the loader writes them;
nothing here knows about Django or the database.  Field names follow Byline's words, with
the WXR element each comes from noted where the two differ.

Problems that concern the whole file raise `WXRError`.  Problems that concern one record
(an unreadable date, a missing post id) are listed in that record's `problems`, so one bad
post does not cost the user the rest of their blog: the loader skips the record and puts
the reasons in its report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal


class WXRError(Exception):
    """The file cannot be read as a WordPress export; `line` says where it went wrong."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message, line)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line:
            return f"line {self.line}: {self.message}"
        return self.message


@dataclass(slots=True)
class Site:
    """The channel header: which blog the export came from, and in which WXR version."""

    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    # WXR: wp:base_site_url is the WordPress install, wp:base_blog_url the blog's home;
    # the WordPress importer uses the first when the second is missing, so does Byline.
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    line: int = 0


@dataclass(slots=True)
class Author:
    """A wp:author: a WordPress user who wrote something in the export."""

    login: str = ""
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    wp_id: int | None = None
    line: int = 0
    problems: list[str] = field(default_factory=list)


TermKind = Literal["category", "tag", "other"]


@dataclass(slots=True)
class Term:
    """A wp:category, wp:tag or wp:term (any other taxonomy, e.g. nav_menu or post_format).

    `kind` is decided by the taxonomy, not by the element: a wp:term whose taxonomy is
    `category` is a category like any other.
    """

    kind: TermKind = "other"
    taxonomy: str = ""
    term_id: int | None = None
    slug: str = ""
    name: str = ""
    parent_slug: str = ""
    description: str = ""
    meta: dict[str, list[str]] = field(default_factory=dict)
    line: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Comment:
    """A wp:comment of an item: a comment, pingback or trackback with its moderation state."""

    wp_id: int | None = None
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: datetime | None = None  # the blog's local time, naive
    date_gmt: datetime | None = None  # aware, UTC
    content: str = ""
    # WXR 1.2: wp:comment_approved may be "1", "0", "spam" or "trash" (kept as written).
    approved: str = ""
    # "" or "comment" for a comment, "pingback", "trackback", or a plugin's own type.
    type: str = ""
    parent: int = 0  # wp_id of the comment this one answers; 0 for none
    user_id: int = 0  # the WordPress user who wrote it; 0 for a visitor
    meta: dict[str, list[str]] = field(default_factory=dict)
    line: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Item:
    """An RSS item of the export: a post, page, attachment, menu item or custom post type."""

    wp_id: int | None = None
    post_type: str = "post"
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""  # dc:creator, the author's login
    content: str = ""  # content:encoded, exactly as stored in WordPress
    excerpt: str = ""  # excerpt:encoded
    post_date: datetime | None = None  # the blog's local time, naive
    post_date_gmt: datetime | None = None  # aware, UTC; None for "0000-00-00 00:00:00" (drafts)
    modified: datetime | None = None  # wp:post_modified (WXR 1.2 exports of WordPress 4.x+)
    modified_gmt: datetime | None = None
    comment_status: str = ""
    ping_status: str = ""
    slug: str = ""  # wp:post_name, percent-decoded (WordPress stores non-ASCII slugs encoded)
    status: str = ""  # publish, draft, pending, private, future, inherit, trash …
    post_parent: int = 0
    menu_order: int = 0
    password: str = ""
    is_sticky: bool = False
    # <category domain="…" nicename="…">name</category>: (domain, nicename, name), where the
    # domain is "category", "post_tag" or another taxonomy; the nicename is "" when a
    # hand-written export gave only the name.
    categories: list[tuple[str, str, str]] = field(default_factory=list)
    # wp:postmeta in file order; a key may repeat (e.g. _wp_old_slug, one per former slug).
    postmeta: dict[str, list[str]] = field(default_factory=dict)
    attachment_url: str = ""
    comments: list[Comment] = field(default_factory=list)
    line: int = 0
    problems: list[str] = field(default_factory=list)

    def meta(self, key: str) -> str | None:
        """The first value of a post meta key (most keys hold one), or None."""
        values = self.postmeta.get(key)
        return values[0] if values else None


Record = Site | Author | Term | Item
