"""Turning a create or update request into a Post for `services.save_post`, with WordPress's checks.

Every refusal happens before anything is saved; the save itself is the services layer's
(slugs, sanitising, rendering, old addresses, cache purges).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from byline.content import services
from byline.content.capabilities import can_edit_others, can_publish
from byline.content.models import Category, Media, Post, Status, Tag
from byline.content.permalinks import site_zone
from byline.options.store import get_option

from ..errors import ApiError, invalid_params
from ..params import check, check_lengths, parse_date

User = get_user_model()
PUBLISHING = (Status.PUBLISH, Status.FUTURE, Status.PRIVATE)


def _terms(model, ids: list[int], name: str) -> list:
    found = list(model.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {t.pk for t in found})
    if missing:
        raise check(name, f"{name} holds ids that are not {name}: {', '.join(map(str, missing))}.")
    return found


def _when(args: dict):
    if args.get("date_gmt"):
        return parse_date("date_gmt", args["date_gmt"])
    if args.get("date"):
        return parse_date("date", args["date"], site_zone())
    return None


# Fields copied as the request gives them: WordPress's name -> the Post's.
PLAIN_FIELDS = {
    "title": "title",
    "content": "body",
    "excerpt": "excerpt",
    "slug": "slug",
    "password": "password",
    "comment_status": "comment_status",
    "ping_status": "ping_status",
    "menu_order": "menu_order",
    "sticky": "sticky",
}


def apply_write(post: Post, args: dict, user, *, creating: bool) -> tuple[Post, list | None, list | None]:
    """Check the request against the user's powers and copy its fields onto `post` (unsaved).

    Whether the post ends up published, scheduled or pending, and its date when it floats,
    is `services.save_post`'s decision, the same as for every other caller.
    """
    if "author" in args and args["author"] != (post.author_id if not creating else user.pk):
        _set_author(post, args["author"], user)
    _refuse_powers_not_held(post, args, user)
    if args.get("meta"):
        raise check("meta", "Byline keeps no custom fields; meta must be empty.")
    check_lengths(Post, [(n, n, args.get(n)) for n in ("title", "password", "slug")])
    for name, field in PLAIN_FIELDS.items():
        if name in args:
            setattr(post, field, args[name])
    if post.sticky and post.password:
        raise ApiError("rest_invalid_field", "A post can not be sticky and have a password.", 400)
    if "featured_media" in args:
        _set_featured_media(post, args["featured_media"])
    if post.is_page and "parent" in args:
        _set_parent(post, args["parent"])
    if args.get("status"):
        post.status = args["status"]
    when = _when(args)
    if when is not None:
        post.published_at = when
    categories = _terms(Category, args["categories"], "categories") if "categories" in args else None
    tags = _terms(Tag, args["tags"], "tags") if "tags" in args else None
    return post, categories, tags


def _set_author(post: Post, author_id: int, user) -> None:
    if not can_edit_others(user):
        raise ApiError(
            "rest_cannot_edit_others", "Sorry, you are not allowed to update posts as this user.", 403
        )
    author = User.objects.filter(pk=author_id).first()
    if author is None:
        raise ApiError("rest_invalid_author", "Invalid author ID.", 400)
    post.author = author


def _refuse_powers_not_held(post: Post, args: dict, user) -> None:
    """WordPress's REST refusals: publishing without publish_posts, sticky without edit_others_posts.

    save_post would turn a contributor's publish into pending; the REST API answers 403
    instead, as WordPress's does, so that a client learns it.
    """
    status = args.get("status")
    if status in PUBLISHING and status != post.status and not can_publish(user):
        raise ApiError(
            "rest_cannot_publish", "Sorry, you are not allowed to publish posts in this post type.", 403
        )
    if args.get("sticky") and not post.sticky and not can_edit_others(user):
        raise ApiError("rest_cannot_assign_sticky", "Sorry, you are not allowed to make posts sticky.", 403)


def _set_featured_media(post: Post, media_id: int) -> None:
    if media_id and not Media.objects.filter(pk=media_id).exists():
        raise ApiError("rest_invalid_featured_media", "Invalid featured media ID.", 400)
    post.featured_image_id = media_id or None


def _set_parent(post: Post, parent_id: int) -> None:
    if not parent_id:
        post.parent = None
        return
    parent = Post.objects.pages().filter(pk=parent_id).first()
    node, seen = parent, set()
    while node is not None and node.pk not in seen:  # a page may not sit below itself
        if post.pk and node.pk == post.pk:
            parent = None
            break
        seen.add(node.pk)
        node = node.parent
    if parent is None:
        raise ApiError("rest_post_invalid_id", "Invalid post parent ID.", 400)
    post.parent = parent


def new_post(post_type: str, user) -> Post:
    return Post(
        post_type=post_type,
        author=user,
        status=Status.DRAFT,
        comment_status=get_option("default_comment_status"),
        published_at=timezone.now(),
    )


def chose_date(args: dict) -> bool:
    """Whether the request names the post's date (otherwise a draft's date floats, as in WordPress)."""
    return bool(args.get("date_gmt") or args.get("date"))


def save(post: Post, categories, tags, *, by, date_floats: bool) -> Post:
    """services.save_post, with its refusals as WordPress's rest_invalid_param."""
    try:
        return services.save_post(post, categories=categories, tags=tags, by=by, date_floats=date_floats)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise invalid_params(
                {name: ("rest_invalid_param", "; ".join(errs)) for name, errs in exc.message_dict.items()}
            ) from None
        raise ApiError("rest_invalid_param", "; ".join(exc.messages), 400) from None
