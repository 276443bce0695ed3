"""/wp/v2/posts and /wp/v2/pages: list, read, create, update, delete."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When

from byline.content import services
from byline.content.capabilities import (
    can_delete_post,
    can_edit_others,
    can_edit_post,
    can_read_post,
    can_write_posts,
)
from byline.content.models import Post, PostType, Status, publish_due_posts
from byline.content.search import by_relevance

from ..errors import ApiError, auth_status, forbidden, invalid_param, require_force
from ..filters import by_dates, by_ids_and_authors, by_parent
from ..pagination import paginate
from ..serializers import Ctx, serialize_post
from ..serializers.posts import with_relations
from .base import Endpoint, Reply
from .post_args import (
    DELETE,
    PAGES_READ,
    PAGES_UPDATE,
    PAGES_WRITE,
    POSTS_READ,
    POSTS_UPDATE,
    POSTS_WRITE,
    STATUSES,
    item_read,
)
from .post_writes import apply_write, chose_date, new_post, save

SORT_FIELDS = {
    "date": "published_at",
    "id": "id",
    "modified": "modified_at",
    "slug": "slug",
    "title": "title",
    "author": "author_id",
    "parent": "parent_id",
    "menu_order": "menu_order",
}


def forbid_edit_context(user) -> ApiError:
    return ApiError(
        "rest_forbidden_context",
        "Sorry, you are not allowed to edit posts in this post type.",
        auth_status(user),
    )


def visible(qs, user, statuses: list[str]):
    """The posts of these statuses that `user` may see (others' drafts only for editors)."""
    wanted = set(STATUSES) if "any" in statuses else set(statuses)
    if wanted != {"publish"} and not can_write_posts(user):
        raise invalid_param("status", "Status is forbidden.", "rest_forbidden_status")
    # Scheduled posts that are due turn "publish" first, so that "public" is one indexed
    # equality (an OR here made SQLite scan every post for each request).
    publish_due_posts()
    public = Q(status=Status.PUBLISH)
    condition = public if "publish" in wanted else Q(pk__in=[])
    hidden = sorted(wanted - {"publish"})
    if hidden:
        others = Q(status__in=hidden)
        if not can_edit_others(user):
            others &= Q(author=user)
        condition |= others
    return qs.filter(condition)


def _term_posts(through, field: str, ids: list[int]):
    return through.objects.filter(**{f"{field}__in": ids}).values("post_id")


COLUMNS = {"post_title": "title", "post_content": "body", "post_excerpt": "excerpt"}


def searched(qs, args: dict):
    """WordPress's search: every word (or the exact phrase) in the title, excerpt or body (protected
    posts: the title only)."""
    columns = [COLUMNS[c] for c in args.get("search_columns") or COLUMNS]
    return qs.search(args.get("search") or "", columns, exact=args.get("search_semantics") == "exact")


def filtered(qs, args: dict, page: bool):
    """WordPress's collection filters on a queryset of posts or pages."""
    qs = searched(qs, args)
    if args.get("slug"):
        qs = qs.filter(slug__in=args["slug"])
    qs = by_ids_and_authors(qs, args, "author_id")
    qs = by_dates(
        qs,
        args,
        {
            "after": "published_at",
            "before": "published_at",
            "modified_after": "modified_at",
            "modified_before": "modified_at",
        },
    )
    if page:
        qs = by_parent(qs, args)
        if "menu_order" in args:
            qs = qs.filter(menu_order=args["menu_order"])
        return qs
    return _by_terms(qs, args)


def _by_terms(qs, args):
    cats, tags = Post.categories.through, Post.tags.through
    term_filters = []
    if args["categories"]:
        term_filters.append(Q(pk__in=_term_posts(cats, "category_id", args["categories"])))
    if args["tags"]:
        term_filters.append(Q(pk__in=_term_posts(tags, "tag_id", args["tags"])))
    if term_filters:
        combined = term_filters[0]
        for extra in term_filters[1:]:
            combined = combined | extra if args.get("tax_relation") == "OR" else combined & extra
        qs = qs.filter(combined)
    if args["categories_exclude"]:
        qs = qs.exclude(pk__in=_term_posts(cats, "category_id", args["categories_exclude"]))
    if args["tags_exclude"]:
        qs = qs.exclude(pk__in=_term_posts(tags, "tag_id", args["tags_exclude"]))
    if "sticky" in args:
        qs = qs.filter(sticky=args["sticky"])
    return qs


def ordered(qs, args: dict):
    orderby, descending = args["orderby"], args["order"] == "desc"
    sign = "-" if descending else ""
    if orderby == "include":
        if not args["include"]:
            raise ApiError(
                "rest_orderby_include_missing_include",
                "You need to define an include parameter to order by include.",
                400,
            )
        return qs.order_by(_position("pk", args["include"]))
    if orderby == "include_slugs":
        if not args.get("slug"):
            raise ApiError(
                "rest_orderby_include_missing_include",
                "You need to define an include parameter to order by include.",
                400,
            )
        return qs.order_by(_position("slug", args["slug"]))
    if orderby == "relevance":
        if not args.get("search"):
            raise ApiError(
                "rest_no_search_term_defined", "You need to define a search term to order by relevance.", 400
            )
        return by_relevance(qs)  # the full-text rank: title words above body words
    return qs.order_by(sign + SORT_FIELDS[orderby], sign + "id")


def _position(field: str, values: list):
    whens = [When(**{field: v}, then=Value(i)) for i, v in enumerate(values)]
    return Case(*whens, default=Value(len(values)), output_field=IntegerField())


def item_ctx(request, context: str, post: Post, password=None) -> Ctx:
    # The edit context shows raw text and passwords: only for posts this user may edit.
    if context == "edit" and not can_edit_post(request.user, post):
        context = "view"
    return Ctx(request, context, password=password)


class PostsEndpoint(Endpoint):
    """The collection: GET lists, POST creates."""

    route = "/wp/v2/posts"
    post_type = PostType.POST
    read_args, create_args = POSTS_READ, POSTS_WRITE

    def get(self, request, args):
        user = request.user
        if args["context"] == "edit" and not can_write_posts(user):
            raise forbid_edit_context(user)
        qs = visible(Post.objects.filter(post_type=self.post_type), user, args["status"])
        qs = ordered(filtered(qs, args, self.post_type == PostType.PAGE), args)
        page = paginate(
            with_relations(qs),
            args,
            page_error="rest_post_invalid_page_number",
            ranked=bool(args.get("search")),
        )
        cache: dict = {}
        data = []
        for post in page.items:
            ctx = item_ctx(request, args["context"], post)
            ctx.cache = cache
            data.append(serialize_post(post, ctx))
        return Reply(data, page=page)

    def create(self, request, args):
        user = request.user
        noun = "pages" if self.post_type == PostType.PAGE else "posts"
        if not can_write_posts(user):
            raise forbidden(
                user, "rest_cannot_create", f"Sorry, you are not allowed to create {noun} as this user."
            )
        post, categories, tags = apply_write(new_post(self.post_type, user), args, user, creating=True)
        post = save(post, categories, tags, by=user, date_floats=not chose_date(args))
        post = with_relations(Post.objects.filter(pk=post.pk)).get()
        return Reply(
            serialize_post(post, Ctx(request, "edit")),
            status=201,
            headers={"Location": request.build_absolute_uri(f"{request.path.rstrip('/')}/{post.pk}")},
        )


class PagesEndpoint(PostsEndpoint):
    route = "/wp/v2/pages"
    post_type = PostType.PAGE
    read_args, create_args = PAGES_READ, PAGES_WRITE


class PostEndpoint(Endpoint):
    """One post: GET, POST/PUT/PATCH (update), DELETE (with force=true: Byline has no trash)."""

    route = "/wp/v2/posts/(?P<id>[\\d]+)"
    post_type = PostType.POST
    read_args, update_args, delete_args = item_read(), POSTS_UPDATE, DELETE

    def fetch(self, pk: int) -> Post:
        post = with_relations(Post.objects.filter(pk=pk, post_type=self.post_type)).first()
        if post is None:
            raise ApiError("rest_post_invalid_id", "Invalid post ID.", 404)
        return post

    def get(self, request, args, id):
        user, post = request.user, self.fetch(id)
        if args["context"] == "edit" and not can_edit_post(user, post):
            raise forbid_edit_context(user)
        if not can_read_post(user, post):
            raise forbidden(user)
        password = args.get("password")
        if (
            post.password
            and password is not None
            and password != post.password
            and not can_edit_post(user, post)
        ):
            raise ApiError("rest_post_incorrect_password", "Incorrect post password.", 403)
        ctx = Ctx(request, args["context"], password=password, excerpt_length=args.get("excerpt_length"))
        return Reply(serialize_post(post, ctx))

    def update(self, request, args, id):
        user, post = request.user, self.fetch(id)
        if not can_edit_post(user, post):
            raise forbidden(user, "rest_cannot_edit", "Sorry, you are not allowed to edit this post.")
        post, categories, tags = apply_write(post, args, user, creating=False)
        save(post, categories, tags, by=user, date_floats=not chose_date(args))
        return Reply(serialize_post(self.fetch(id), Ctx(request, "edit")))

    def delete(self, request, args, id):
        user, post = request.user, self.fetch(id)
        if not can_delete_post(user, post):
            raise forbidden(user, "rest_cannot_delete", "Sorry, you are not allowed to delete this post.")
        require_force(args)
        previous = serialize_post(post, Ctx(request, "edit"))
        services.delete_post(post)
        return Reply({"deleted": True, "previous": previous})


class PageEndpoint(PostEndpoint):
    route = "/wp/v2/pages/(?P<id>[\\d]+)"
    post_type = PostType.PAGE
    read_args, update_args, delete_args = item_read(), PAGES_UPDATE, DELETE
