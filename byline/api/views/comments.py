"""/wp/v2/comments: read what is public, write through the comment services, moderate.

New comments go through `submit_comment` (the same moderation rules, flood and duplicate
checks and sanitiser as the theme's form); moderation through `set_status`.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import replace

from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError
from django.db.models import Case, IntegerField, Q, Value, When

from byline.comments.models import Comment, CommentStatus
from byline.comments.services import (
    BUSY,
    CommentRefused,
    Submission,
    comments_open,
    delete_comment,
    password_required,
    set_status,
    submit_comment,
)
from byline.content.capabilities import can_moderate, can_read_post, can_write_posts, signed_in
from byline.content.models import Post, Status
from byline.options.store import get_option
from byline.text import safe_url

from ..errors import ApiError, auth_status, database_busy, forbidden, invalid_param
from ..filters import by_dates, by_ids_and_authors, by_parent
from ..pagination import paginate
from ..serializers import Ctx, serialize_comment
from ..serializers.comments import STATUS_FROM_REST, public_comments, with_relations
from ..serializers.users import display_name
from .base import Endpoint, Reply
from .comment_args import CREATE, DELETE, ITEM_READ, READ, UPDATE
from .comment_checks import check_author_fields, check_ip

logger = logging.getLogger(__name__)

QUERY_STATUS = {
    "approve": [CommentStatus.APPROVED],
    "approved": [CommentStatus.APPROVED],
    "hold": [CommentStatus.PENDING],
    "spam": [CommentStatus.SPAM],
    "trash": [CommentStatus.TRASH],
    "all": [CommentStatus.APPROVED, CommentStatus.PENDING],
}
SORTS = {
    "date": "created_at",
    "date_gmt": "created_at",
    "id": "id",
    "post": "post_id",
    "parent": "parent_id",
    "type": "comment_type",
}


def moderator(user) -> bool:
    return signed_in(user) and user.has_perm("comments.moderate_comments")


def _forbid_edit(user) -> ApiError:
    return ApiError(
        "rest_forbidden_context", "Sorry, you are not allowed to edit comments.", auth_status(user)
    )


def _protected_params(args: dict) -> list[str]:
    names = [n for n in ("author", "author_exclude", "author_email") if args.get(n)]
    if args["type"] != "comment":
        names.append("type")
    if args["status"] != "approve":
        names.append("status")
    return names


class CommentsEndpoint(Endpoint):
    route = "/wp/v2/comments"
    read_args, create_args = READ, CREATE

    def get(self, request, args):
        user = request.user
        if args["context"] == "edit" and not moderator(user):
            raise _forbid_edit(user)
        protected = _protected_params(args)
        if protected and not can_write_posts(user):
            raise forbidden(
                user, "rest_forbidden_param", "Query parameter not permitted: " + ", ".join(protected)
            )
        for post in Post.objects.filter(pk__in=args["post"]).select_related("author"):
            if not can_read_post(user, post):
                raise forbidden(
                    user,
                    "rest_cannot_read_post",
                    "Sorry, you are not allowed to read the post for this comment.",
                )
        qs = self.visible(user, args)
        qs = self.filtered(qs, args)
        page = paginate(self.ordered(qs, args), args, page_error="rest_comment_invalid_page_number")
        cache: dict = {}
        data = []
        for comment in page.items:
            context = args["context"] if can_moderate(user, comment.post) else "view"
            data.append(serialize_comment(comment, Ctx(request, context, cache=cache)))
        return Reply(data, page=page)

    def visible(self, user, args):
        statuses = QUERY_STATUS.get(args["status"])
        if statuses is None:
            raise invalid_param(
                "status", f"status is not one of {', '.join(QUERY_STATUS)}.", "rest_not_in_enum"
            )
        if statuses == [CommentStatus.APPROVED] and not moderator(user):
            qs = public_comments()
            if signed_in(user):  # and approved comments on posts this user may read otherwise
                qs = Comment.objects.filter(status=CommentStatus.APPROVED).filter(
                    Q(pk__in=qs.values("pk")) | Q(post__author=user)
                )
            return qs
        qs = Comment.objects.filter(status__in=statuses)
        return qs if moderator(user) else qs.filter(post__author=user)

    def filtered(self, qs, args):
        if args["post"]:
            qs = qs.filter(post_id__in=args["post"])
        qs = by_parent(qs, args)
        qs = by_ids_and_authors(qs, args, "user_id")
        if args.get("author_email"):
            qs = qs.filter(author_email__iexact=args["author_email"])
        if args["type"] != "comment":
            qs = qs.filter(comment_type=args["type"])
        else:
            qs = qs.filter(comment_type__in=["comment", ""])
        for word in (args.get("search") or "").split()[:10]:
            qs = qs.filter(Q(content__icontains=word) | Q(author_name__icontains=word))
        return by_dates(qs, args, {"after": "created_at", "before": "created_at"})

    def ordered(self, qs, args):
        sign = "-" if args["order"] == "desc" else ""
        if args["orderby"] == "include" and args["include"]:
            whens = [When(pk=pk, then=Value(i)) for i, pk in enumerate(args["include"])]
            return with_relations(
                qs.order_by(Case(*whens, default=Value(len(whens)), output_field=IntegerField()))
            )
        field = SORTS.get(args["orderby"], "created_at")
        return with_relations(qs.order_by(sign + field, sign + "id"))

    def create(self, request, args):
        user = request.user
        is_moderator = moderator(user)
        if not signed_in(user) and (
            get_option("comment_registration") or not get_option("rest_allow_anonymous_comments")
        ):
            raise ApiError("rest_comment_login_required", "Sorry, you must be logged in to comment.", 401)
        for name in ("author", "author_ip", "status"):
            if name in args and not is_moderator and not _own(request, name, args[name]):
                raise forbidden(
                    user,
                    f"rest_comment_invalid_{name}",
                    f"Sorry, you are not allowed to edit '{name}' for comments.",
                )
        post = Post.objects.filter(pk=args.get("post") or 0).select_related("author", "parent").first()
        if post is None:
            raise ApiError(
                "rest_comment_invalid_post_id",
                "Sorry, you are not allowed to create this comment without a post.",
                403,
            )
        if post.status == Status.DRAFT:
            raise ApiError(
                "rest_comment_draft_post", "Sorry, you are not allowed to create a comment on this post.", 403
            )
        if not can_read_post(user, post):
            raise forbidden(
                user, "rest_cannot_read_post", "Sorry, you are not allowed to read the post for this comment."
            )
        unlocked = _password_given(request, post)
        if password_required(post, user, unlocked=unlocked):
            # WordPress's check_read_post_permission: a protected post needs its `password`.
            raise forbidden(
                user, "rest_cannot_read_post", "Sorry, you are not allowed to read the post for this comment."
            )
        if not comments_open(post):
            raise ApiError("rest_comment_closed", "Sorry, comments are closed for this item.", 403)
        submission = replace(self.submission(request, args, post), unlocked=unlocked)
        try:
            comment = submit_comment(submission)
        except CommentRefused as exc:
            raise _refusal(exc) from None
        except (OperationalError, InterfaceError) as exc:
            logger.warning("comment on post %s not saved: the database is busy (%s)", post.pk, exc)
            raise database_busy(BUSY) from None
        if "status" in args:
            set_status([comment], STATUS_FROM_REST[args["status"]], by=user)
        comment = with_relations(Comment.objects.filter(pk=comment.pk)).get()
        context = "edit" if can_moderate(user, post) else "view"
        return Reply(
            serialize_comment(comment, Ctx(request, context)),
            status=201,
            headers={"Location": request.build_absolute_uri(f"{request.path.rstrip('/')}/{comment.pk}")},
        )

    def submission(self, request, args, post) -> Submission:
        user = request.user
        author = user if signed_in(user) else None
        if "author" in args and args["author"] and author is not None and args["author"] != user.pk:
            author = get_user_model().objects.select_related("profile").filter(pk=args["author"]).first()
            if author is None:
                raise ApiError("rest_comment_author_invalid", "Invalid comment author ID.", 400)
        name = args.get("author_name", "")
        email = args.get("author_email", "")
        url = args.get("author_url", "")
        if author is not None and not (name or email or url):
            profile = getattr(author, "profile", None)
            website = safe_url(profile.website) if profile else ""
            name, email, url = display_name(author), author.email, website
        check_author_fields(name, email, url, args.get("content", ""))
        check_ip(args.get("author_ip"))
        if "status" in args and args["status"] not in STATUS_FROM_REST:
            raise invalid_param(
                "status", "status is not one of approved, hold, spam and trash.", "rest_not_in_enum"
            )
        parent = None
        if args.get("parent"):
            parent = Comment.objects.filter(pk=args["parent"]).first()
            if parent is None:
                raise ApiError("rest_comment_invalid_parent", "Invalid comment parent ID.", 400)
        return Submission(
            post=post,
            author_name=name,
            author_email=email,
            author_url=url,
            content=args.get("content", ""),
            parent=parent,
            author_ip=args.get("author_ip") or request.META.get("REMOTE_ADDR"),
            user_agent=args.get("author_user_agent") or request.META.get("HTTP_USER_AGENT", ""),
            user=author,
        )


def _password_given(request, post) -> bool:
    """Whether the query string carries the post's password (`?password=`).

    WordPress's schema does not declare `password` for a new comment, yet its permission check
    reads it from the request; Byline keeps the body strict to the schema, so it is taken
    from the query string, as for reading a protected post.
    """
    given = request.GET.get("password")
    if given is None or not post.password:
        return False
    return hmac.compare_digest(given.encode(), post.password.encode())


def _own(request, name: str, value) -> bool:
    if name == "author":
        return signed_in(request.user) and value == request.user.pk
    if name == "author_ip":
        return value == request.META.get("REMOTE_ADDR")
    return False


def _refusal(exc: CommentRefused) -> ApiError:
    """The comment services' refusals under WordPress's REST codes."""
    if exc.status == 409:
        return ApiError("comment_duplicate", exc.message, 409)
    if exc.status == 429:
        return ApiError("comment_flood", exc.message, 400)  # WordPress's REST answer to a flood is a 400
    if exc.field == "comment_parent":
        return ApiError("rest_comment_invalid_parent", exc.message, 400)
    if exc.status == 403 and "logged in" in exc.message:
        return ApiError("rest_comment_login_required", exc.message, 401)
    if exc.status == 403:
        return ApiError("rest_comment_closed", exc.message, 403)
    return ApiError("rest_comment_invalid", exc.message, exc.status)


class CommentEndpoint(Endpoint):
    route = "/wp/v2/comments/(?P<id>[\\d]+)"
    read_args, update_args, delete_args = ITEM_READ, UPDATE, DELETE

    def fetch(self, pk: int) -> Comment:
        comment = with_relations(Comment.objects.filter(pk=pk)).first()
        if comment is None:
            raise ApiError("rest_comment_invalid_id", "Invalid comment ID.", 404)
        return comment

    def get(self, request, args, id):
        user, comment = request.user, self.fetch(id)
        may_moderate = can_moderate(user, comment.post)
        if args["context"] == "edit" and not may_moderate:
            raise _forbid_edit(user)
        readable = comment.status == CommentStatus.APPROVED and can_read_post(user, comment.post)
        if comment.post.password and args.get("password") != comment.post.password:
            readable = readable and comment.post.author_id == getattr(user, "pk", None)
        if not (readable or may_moderate):
            raise forbidden(user, "rest_cannot_read", "Sorry, you are not allowed to read this comment.")
        return Reply(serialize_comment(comment, Ctx(request, args["context"])))

    def update(self, request, args, id):
        user, comment = request.user, self.fetch(id)
        if not can_moderate(user, comment.post):
            raise forbidden(user, "rest_cannot_edit", "Sorry, you are not allowed to edit this comment.")
        unchanged = _unchanged(comment)
        for name, value in args.items():
            if name in ("status", "context", "password") or unchanged.get(name, object()) == value:
                continue
            raise invalid_param(
                name, f"Byline changes only a comment's status over the REST API, not its {name}."
            )
        if "status" in args:
            if args["status"] not in STATUS_FROM_REST:
                raise invalid_param(
                    "status", "status is not one of approved, hold, spam and trash.", "rest_not_in_enum"
                )
            set_status([comment], STATUS_FROM_REST[args["status"]], by=user)
        return Reply(serialize_comment(self.fetch(id), Ctx(request, "edit")))

    def delete(self, request, args, id):
        user, comment = request.user, self.fetch(id)
        if not can_moderate(user, comment.post):
            raise forbidden(user, "rest_cannot_delete", "Sorry, you are not allowed to delete this comment.")
        if not args["force"]:
            if comment.status == CommentStatus.TRASH:
                raise ApiError("rest_already_trashed", "The comment has already been trashed.", 410)
            set_status([comment], CommentStatus.TRASH, by=user)
            return Reply(serialize_comment(self.fetch(id), Ctx(request, "edit")))
        previous = serialize_comment(comment, Ctx(request, "edit"))
        delete_comment(comment)
        return Reply({"deleted": True, "previous": previous})


def _unchanged(comment: Comment) -> dict:
    """A comment's fields as a client would send them back unchanged."""
    return {
        "author": comment.user_id or 0,
        "author_email": comment.author_email,
        "author_ip": comment.author_ip or "",
        "author_name": comment.author_name,
        "author_url": safe_url(comment.author_url),
        "author_user_agent": comment.user_agent,
        "content": comment.content,
        "parent": comment.parent_id or 0,
        "post": comment.post_id,
        "meta": {},
    }
