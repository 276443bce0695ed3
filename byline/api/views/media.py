"""/wp/v2/media: list, read, upload (multipart `file` or a raw body), edit, delete (force=true).

Uploads go through `services.create_media`: only sound JPEG, PNG, GIF or WebP images are
kept, with their thumbnails; anything else is refused and nothing is stored.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Q

from byline.content import services
from byline.content.capabilities import can_edit_media, can_edit_others, can_upload, can_write_posts
from byline.content.models import Media, Post
from byline.content.permalinks import site_zone

from ..errors import ApiError, auth_status, forbidden, invalid_param, require_force
from ..filters import by_dates, by_ids_and_authors
from ..pagination import paginate
from ..params import CONTEXT, ID, Arg, check_lengths, collection, order, orderby, parse_date
from ..serializers import Ctx, serialize_media
from .base import Endpoint, Reply

SORTS = {
    "date": "created_at",
    "modified": "created_at",
    "id": "id",
    "title": "title",
    "author": "uploaded_by_id",
    "slug": "title",
    "relevance": "created_at",
    "parent": "id",
    "include": "id",
    "include_slugs": "id",
}


def _ids(description: str) -> Arg:
    return Arg("array", description, default=[], items="integer")


READ = collection(
    after=Arg("date-time", "Limit response to posts published after a given ISO8601 compliant date."),
    modified_after=Arg("date-time", "Limit response to posts modified after a given ISO8601 compliant date."),
    modified_before=Arg(
        "date-time", "Limit response to posts modified before a given ISO8601 compliant date."
    ),
    search_columns=Arg(
        "array",
        "Array of column names to be searched.",
        default=[],
        items="string",
        item_enum=("post_title", "post_content", "post_excerpt"),
    ),
    search_semantics=Arg("string", "How to interpret the search input.", enum=("exact",)),
    author=_ids("Limit result set to posts assigned to specific authors."),
    author_exclude=_ids("Ensure result set excludes posts assigned to specific authors."),
    before=Arg("date-time", "Limit response to posts published before a given ISO8601 compliant date."),
    offset=Arg("integer", "Offset the result set by a specific number of items.", minimum=0),
    order=order("desc"),
    orderby=orderby("date", *SORTS),
    parent=_ids("Limit result set to items with particular parent IDs."),
    parent_exclude=_ids("Limit result set to all items except those of a particular parent ID."),
    slug=Arg("array", "Limit result set to posts with one or more specific slugs.", items="string"),
    status=Arg(
        "array",
        "Limit result set to posts assigned one or more statuses.",
        default=["inherit"],
        items="string",
        item_enum=("inherit", "private", "trash"),
    ),
    media_type=Arg(
        "string",
        "Limit result set to attachments of a particular media type.",
        enum=("image", "video", "text", "application", "audio"),
    ),
    mime_type=Arg("string", "Limit result set to attachments of a particular MIME type."),
)

_WRITE = {
    "date": Arg("date-time", "The date the post was published, in the site's timezone.", nullable=True),
    "date_gmt": Arg("date-time", "The date the post was published, as GMT.", nullable=True),
    "slug": Arg("string", "An alphanumeric identifier for the post unique to its type."),
    "status": Arg(
        "string",
        "A named status for the post.",
        enum=("publish", "future", "draft", "pending", "private", "inherit"),
    ),
    "title": Arg("text", "The title for the post."),
    "author": Arg("integer", "The ID for the author of the post."),
    "comment_status": Arg("string", "Whether or not comments are open on the post.", enum=("open", "closed")),
    "ping_status": Arg("string", "Whether or not the post can be pinged.", enum=("open", "closed")),
    "meta": Arg("object", "Meta fields."),
    "template": Arg("string", "The theme file to use to display the post.", enum=("",)),
    "alt_text": Arg("string", "Alternative text to display when attachment is not displayed."),
    "caption": Arg("text", "The attachment caption."),
    "description": Arg("text", "The attachment description."),
    "post": Arg("integer", "The ID for the associated post of the attachment.", nullable=True),
    "featured_media": Arg("integer", "The ID of the featured media for the post."),
}
WRITE = {
    **_WRITE,
    **{
        n: Arg("string", readonly=True)
        for n in (
            "id",
            "guid",
            "link",
            "modified",
            "modified_gmt",
            "type",
            "source_url",
            "media_type",
            "mime_type",
            "media_details",
            "class_list",
            "_links",
            "_embedded",
            "missing_image_sizes",
            "generated_slug",
            "permalink_template",
        )
    },
}


def _check_write(args: dict, user, media: Media | None) -> None:
    if args.get("meta"):
        raise invalid_param("meta", "Byline keeps no custom fields; meta must be empty.")
    if args.get("description"):
        raise invalid_param("description", "Byline's media have no description; use caption and alt_text.")
    check_lengths(Media, [("title", "title", args.get("title")), ("alt_text", "alt", args.get("alt_text"))])
    owner = media.uploaded_by_id if media is not None else user.pk
    if "author" in args and args["author"] != owner and not can_edit_others(user):
        raise ApiError(
            "rest_cannot_edit_others", "Sorry, you are not allowed to update posts as this user.", 403
        )


def _fields(args: dict) -> dict:
    return {"title": args.get("title"), "alt": args.get("alt_text"), "caption": args.get("caption")}


def _upload(request) -> tuple[bytes, str]:
    body = request.api_body
    upload = body.files.get("file") if body.files else None
    if upload is not None:
        return upload.read(), upload.name
    if not body.raw:
        raise ApiError("rest_upload_no_data", "No data supplied.", 400)
    disposition = request.META.get("HTTP_CONTENT_DISPOSITION", "")
    match = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)\"?", disposition, re.I)
    if not match:
        raise ApiError("rest_upload_no_content_disposition", "No Content-Disposition supplied.", 400)
    return body.raw, match.group(1).strip()


class MediaCollection(Endpoint):
    route = "/wp/v2/media"
    read_args, create_args = READ, WRITE

    def get(self, request, args):
        user = request.user
        if args["context"] == "edit" and not can_write_posts(user):
            raise ApiError(
                "rest_forbidden_context",
                "Sorry, you are not allowed to edit posts in this post type.",
                auth_status(user),
            )
        if set(args["status"]) != {"inherit"} and not can_write_posts(user):
            raise invalid_param("status", "Status is forbidden.", "rest_forbidden_status")
        qs = Media.objects.all() if "inherit" in args["status"] else Media.objects.none()
        if args.get("media_type", "image") != "image":
            qs = qs.none()
        if args.get("mime_type"):
            qs = qs.filter(mime_type=args["mime_type"])
        qs = self.filtered(qs, args)
        sign = "-" if args["order"] == "desc" else ""
        qs = qs.order_by(sign + SORTS[args["orderby"]], sign + "id")
        page = paginate(qs, args, page_error="rest_post_invalid_page_number")
        cache: dict = {}
        data = []
        for media in page.items:
            context = args["context"] if can_edit_media(user, media) else "view"
            data.append(serialize_media(media, Ctx(request, context, cache=cache)))
        return Reply(data, page=page)

    def filtered(self, qs, args):
        terms = args.get("search") or ""
        words = [terms] if args.get("search_semantics") == "exact" and terms else terms.split()[:10]
        for word in words:
            qs = qs.filter(Q(title__icontains=word) | Q(caption__icontains=word) | Q(alt__icontains=word))
        qs = by_ids_and_authors(qs, args, "uploaded_by_id")
        if args.get("slug"):
            match = Q(pk__in=[])
            for slug in args["slug"]:
                match |= Q(file__icontains=f"/{slug}.") | Q(title__iexact=slug.replace("-", " "))
            qs = qs.filter(match)
        if args["parent"]:
            # WordPress's attachments of a post: here, the photos it shows and its featured image.
            featured = Post.objects.filter(pk__in=args["parent"]).values("featured_image_id")
            qs = qs.filter(Q(shown_in__in=args["parent"]) | Q(pk__in=featured)).distinct()
        if args["parent_exclude"]:
            qs = qs.exclude(shown_in__in=args["parent_exclude"])
        # Media are never modified apart from their words: modified is the upload date.
        dates = ("after", "modified_after", "before", "modified_before")
        return by_dates(qs, args, dict.fromkeys(dates, "created_at"))

    def create(self, request, args):
        user = request.user
        if not can_upload(user):
            raise forbidden(
                user, "rest_cannot_create", "Sorry, you are not allowed to upload media on this site."
            )
        _check_write(args, user, None)
        data, filename = _upload(request)
        fields = {k: v for k, v in _fields(args).items() if v is not None}
        when = None
        if args.get("date_gmt") or args.get("date"):
            name = "date_gmt" if args.get("date_gmt") else "date"
            when = parse_date(name, args[name], None if name == "date_gmt" else site_zone())
        try:
            media = services.create_media(data, filename, uploaded_by=user, created_at=when, **fields)
        except ValidationError as exc:
            raise ApiError("rest_upload_sideload_error", "; ".join(exc.messages), 400) from None
        return Reply(
            serialize_media(media, Ctx(request, "edit")),
            status=201,
            headers={"Location": request.build_absolute_uri(f"{request.path.rstrip('/')}/{media.pk}")},
        )


class MediaItem(Endpoint):
    route = "/wp/v2/media/(?P<id>[\\d]+)"
    read_args = {"id": ID, "context": CONTEXT}
    update_args = {**WRITE, "id": ID}
    delete_args = {
        "id": ID,
        "force": Arg("boolean", "Whether to bypass Trash and force deletion.", default=False),
    }

    def fetch(self, pk: int) -> Media:
        media = Media.objects.filter(pk=pk).first()
        if media is None:
            raise ApiError("rest_post_invalid_id", "Invalid post ID.", 404)
        return media

    def get(self, request, args, id):
        media = self.fetch(id)
        if args["context"] == "edit" and not can_edit_media(request.user, media):
            raise ApiError(
                "rest_forbidden_context",
                "Sorry, you are not allowed to edit this post.",
                auth_status(request.user),
            )
        return Reply(serialize_media(media, Ctx(request, args["context"])))

    def update(self, request, args, id):
        user, media = request.user, self.fetch(id)
        if not can_edit_media(user, media):
            raise forbidden(user, "rest_cannot_edit", "Sorry, you are not allowed to edit this post.")
        _check_write(args, user, media)
        services.update_media(media, **_fields(args))
        return Reply(serialize_media(self.fetch(id), Ctx(request, "edit")))

    def delete(self, request, args, id):
        user, media = request.user, self.fetch(id)
        if not can_edit_media(user, media, "delete"):
            raise forbidden(user, "rest_cannot_delete", "Sorry, you are not allowed to delete this post.")
        require_force(args)
        previous = serialize_media(media, Ctx(request, "edit"))
        services.delete_media(media)
        return Reply({"deleted": True, "previous": previous})
