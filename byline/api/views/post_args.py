"""The arguments of /wp/v2/posts and /wp/v2/pages, as WordPress 6.x declares them."""

from __future__ import annotations

from ..params import CONTEXT, ID, Arg, collection, order, orderby

STATUSES = ("publish", "future", "draft", "pending", "private")


def _ids(description: str) -> Arg:
    return Arg("array", description, default=[], items="integer")


def _date(description: str) -> Arg:
    return Arg("date-time", description)


def _read(page: bool) -> dict[str, Arg]:
    common = {
        "after": _date("Limit response to posts published after a given ISO8601 compliant date."),
        "modified_after": _date("Limit response to posts modified after a given ISO8601 compliant date."),
        "author": _ids("Limit result set to posts assigned to specific authors."),
        "author_exclude": _ids("Ensure result set excludes posts assigned to specific authors."),
        "before": _date("Limit response to posts published before a given ISO8601 compliant date."),
        "modified_before": _date("Limit response to posts modified before a given ISO8601 compliant date."),
        "offset": Arg("integer", "Offset the result set by a specific number of items.", minimum=0),
        "order": order("desc"),
        "slug": Arg("array", "Limit result set to posts with one or more specific slugs.", items="string"),
        "search_columns": Arg(
            "array",
            "Array of column names to be searched.",
            default=[],
            items="string",
            item_enum=("post_title", "post_content", "post_excerpt"),
        ),
        "search_semantics": Arg("string", "How to interpret the search input.", enum=("exact",)),
        "status": Arg(
            "array",
            "Limit result set to posts assigned one or more statuses.",
            default=["publish"],
            items="string",
            item_enum=(*STATUSES, "any"),
        ),
    }
    sorts = (
        "author",
        "date",
        "id",
        "include",
        "modified",
        "parent",
        "relevance",
        "slug",
        "include_slugs",
        "title",
    )
    if page:
        return collection(
            **common,
            menu_order=Arg("integer", "Limit result set to posts with a specific menu_order value."),
            orderby=orderby("date", *sorts, "menu_order"),
            parent=_ids("Limit result set to items with particular parent IDs."),
            parent_exclude=_ids("Limit result set to all items except those of a particular parent ID."),
        )
    return collection(
        **common,
        orderby=orderby("date", *sorts),
        tax_relation=Arg(
            "string",
            "Limit result set based on relationship between multiple taxonomies.",
            enum=("AND", "OR"),
        ),
        categories=_ids("Limit result set to items with specific terms assigned in the categories taxonomy."),
        categories_exclude=_ids(
            "Limit result set to items except those with specific terms assigned in the categories taxonomy."
        ),
        tags=_ids("Limit result set to items with specific terms assigned in the tags taxonomy."),
        tags_exclude=_ids(
            "Limit result set to items except those with specific terms assigned in the tags taxonomy."
        ),
        sticky=Arg("boolean", "Limit result set to items that are sticky."),
        format=Arg(
            "array",
            "Limit result set to items assigned one or more given formats.",
            items="string",
            item_enum=("standard",),
        ),
    )


# Fields a client may send back from a response it read: accepted and ignored.
READ_ONLY = (
    "id",
    "guid",
    "link",
    "modified",
    "modified_gmt",
    "type",
    "generated_slug",
    "permalink_template",
    "class_list",
    "_links",
    "_embedded",
    "date_floating",
)


def _write(page: bool) -> dict[str, Arg]:
    args = {
        "date": Arg("date-time", "The date the post was published, in the site's timezone.", nullable=True),
        "date_gmt": Arg("date-time", "The date the post was published, as GMT.", nullable=True),
        "slug": Arg("string", "An alphanumeric identifier for the post unique to its type."),
        "status": Arg("string", "A named status for the post.", enum=STATUSES),
        "password": Arg("string", "A password to protect access to the content and excerpt."),
        "title": Arg("text", "The title for the post."),
        "content": Arg("text", "The content for the post."),
        "author": Arg("integer", "The ID for the author of the post."),
        "excerpt": Arg("text", "The excerpt for the post."),
        "featured_media": Arg("integer", "The ID of the featured media for the post.", minimum=0),
        "comment_status": Arg(
            "string", "Whether or not comments are open on the post.", enum=("open", "closed")
        ),
        "ping_status": Arg("string", "Whether or not the post can be pinged.", enum=("open", "closed")),
        "meta": Arg("object", "Meta fields."),
        "template": Arg("string", "The theme file to use to display the post.", enum=("",)),
    }
    if page:
        args["parent"] = Arg("integer", "The ID for the parent of the post.", minimum=0)
        args["menu_order"] = Arg("integer", "The order of the post in relation to other posts.")
    else:
        args["format"] = Arg("string", "The format for the post.", enum=("standard",))
        args["sticky"] = Arg("boolean", "Whether or not the post should be treated as sticky.")
        args["categories"] = Arg(
            "array", "The terms assigned to the post in the category taxonomy.", items="integer"
        )
        args["tags"] = Arg(
            "array", "The terms assigned to the post in the post_tag taxonomy.", items="integer"
        )
    for name in READ_ONLY:
        args[name] = Arg("string", readonly=True)
    return args


def item_read() -> dict[str, Arg]:
    return {
        "id": ID,
        "context": CONTEXT,
        "excerpt_length": Arg("integer", "Override the default excerpt length.", minimum=1),
        "password": Arg("string", "The password for the post if it is password protected."),
    }


DELETE = {"id": ID, "force": Arg("boolean", "Whether to bypass Trash and force deletion.", default=False)}

POSTS_READ, PAGES_READ = _read(False), _read(True)
POSTS_WRITE, PAGES_WRITE = _write(False), _write(True)
# An update names the post in its address; an `id` in the body is accepted and ignored.
POSTS_UPDATE, PAGES_UPDATE = {**POSTS_WRITE, "id": ID}, {**PAGES_WRITE, "id": ID}
__all__ = [
    "DELETE",
    "PAGES_READ",
    "PAGES_UPDATE",
    "PAGES_WRITE",
    "POSTS_READ",
    "POSTS_UPDATE",
    "POSTS_WRITE",
    "item_read",
]
