"""The arguments of /wp/v2/comments, as WordPress 6.x declares them."""

from __future__ import annotations

from ..params import CONTEXT, ID, Arg, collection, order, orderby


def _ids(description: str) -> Arg:
    return Arg("array", description, default=[], items="integer")


READ = collection(
    after=Arg("date-time", "Limit response to comments published after a given ISO8601 compliant date."),
    author=Arg(
        "array",
        "Limit result set to comments assigned to specific user IDs. Requires authorization.",
        items="integer",
    ),
    author_exclude=Arg(
        "array",
        "Ensure result set excludes comments assigned to specific user IDs. Requires authorization.",
        items="integer",
    ),
    author_email=Arg(
        "string", "Limit result set to that from a specific author email. Requires authorization."
    ),
    before=Arg("date-time", "Limit response to comments published before a given ISO8601 compliant date."),
    offset=Arg("integer", "Offset the result set by a specific number of items.", minimum=0),
    order=order("desc"),
    orderby=orderby("date_gmt", "date", "date_gmt", "id", "include", "post", "parent", "type"),
    parent=_ids("Limit result set to comments of specific parent IDs."),
    parent_exclude=_ids("Ensure result set excludes specific parent IDs."),
    post=_ids("Limit result set to comments assigned to specific post IDs."),
    status=Arg(
        "string",
        "Limit result set to comments assigned a specific status. Requires authorization.",
        default="approve",
    ),
    type=Arg(
        "string",
        "Limit result set to comments assigned a specific type. Requires authorization.",
        default="comment",
    ),
    password=Arg("string", "The password for the post if it is password protected."),
)

ITEM_READ = {
    "id": ID,
    "context": CONTEXT,
    "password": Arg(
        "string", "The password for the parent post of the comment (if the post is password protected)."
    ),
}

_FIELDS = {
    "author": Arg("integer", "The ID of the user object, if author was a user."),
    "author_email": Arg("string", "Email address for the comment author."),
    "author_ip": Arg("string", "IP address for the comment author."),
    "author_name": Arg("string", "Display name for the comment author."),
    "author_url": Arg("string", "URL for the comment author."),
    "author_user_agent": Arg("string", "User agent for the comment author."),
    "content": Arg("text", "The content for the comment."),
    "date": Arg("date-time", "The date the comment was published, in the site's timezone."),
    "date_gmt": Arg("date-time", "The date the comment was published, as GMT."),
    "parent": Arg("integer", "The ID for the parent of the comment.", minimum=0),
    "post": Arg("integer", "The ID of the associated post object.", minimum=0),
    "status": Arg("string", "State of the comment."),
    "meta": Arg("object", "Meta fields."),
}
_READ_ONLY = ("id", "link", "type", "author_avatar_urls", "_links", "_embedded")

CREATE = {**_FIELDS, **{name: Arg("string", readonly=True) for name in _READ_ONLY}}
UPDATE = {**_FIELDS, **{name: Arg("string", readonly=True) for name in _READ_ONLY}, "id": ID}
DELETE = {
    "id": ID,
    "force": Arg("boolean", "Whether to bypass Trash and force deletion.", default=False),
    "password": Arg(
        "string", "The password for the parent post of the comment (if the post is password protected)."
    ),
}
