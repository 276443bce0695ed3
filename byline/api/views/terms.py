"""/wp/v2/categories and /wp/v2/tags: list, read, create, update, delete (with force=true)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from byline.content import services
from byline.content.capabilities import can_manage_terms, can_read_post
from byline.content.models import Category, Post, Tag

from ..errors import ApiError, auth_status, forbidden, invalid_params, require_force
from ..pagination import paginate
from ..params import CONTEXT, ID, Arg, check_lengths, collection, order, orderby
from ..serializers import Ctx, serialize_term
from ..serializers.terms import with_counts
from .base import Endpoint, Reply

SORTS = {"id": "id", "name": "name", "slug": "slug", "description": "description", "count": "post_count"}


def read_args(hierarchical: bool) -> dict[str, Arg]:
    args = collection(
        order=order("asc"),
        orderby=orderby(
            "name", "id", "include", "name", "slug", "include_slugs", "term_group", "description", "count"
        ),
        hide_empty=Arg("boolean", "Whether to hide terms not assigned to any posts.", default=False),
        post=Arg("integer", "Limit result set to terms assigned to a specific post.", nullable=True),
        slug=Arg("array", "Limit result set to terms with one or more specific slugs.", items="string"),
    )
    if hierarchical:
        args["parent"] = Arg("integer", "Limit result set to terms assigned to a specific parent.", minimum=0)
    else:  # WordPress 6.x declares offset for tags only
        args["offset"] = Arg("integer", "Offset the result set by a specific number of items.", minimum=0)
    return args


def write_args(hierarchical: bool, *, creating: bool) -> dict[str, Arg]:
    args = {
        "description": Arg("string", "HTML description of the term."),
        "name": Arg("string", "HTML title for the term.", required=creating),
        "slug": Arg("string", "An alphanumeric identifier for the term unique to its type."),
        "meta": Arg("object", "Meta fields."),
    }
    if hierarchical:
        args["parent"] = Arg("integer", "The parent term ID.", minimum=0)
    for name in ("id", "count", "link", "taxonomy", "_links", "_embedded"):
        args[name] = Arg("string", readonly=True)
    return args


class TermsEndpoint(Endpoint):
    route = "/wp/v2/categories"
    model, noun = Category, "category"
    read_args = read_args(True)
    create_args = write_args(True, creating=True)

    def get(self, request, args):
        user = request.user
        if args["context"] == "edit" and not can_manage_terms(user, self.noun, "change"):
            raise ApiError(
                "rest_forbidden_context",
                "Sorry, you are not allowed to edit terms in this taxonomy.",
                auth_status(user),
            )
        qs = with_counts(self.model.objects.all())
        if args.get("post") is not None:
            post = Post.objects.filter(pk=args["post"]).first()
            if post is None:
                raise ApiError("rest_post_invalid_id", "Invalid post ID.", 400)
            if not can_read_post(user, post):
                raise forbidden(user)
            qs = qs.filter(posts=post)
        if args.get("search"):
            qs = qs.filter(name__icontains=args["search"])
        if args.get("slug"):
            qs = qs.filter(slug__in=args["slug"])
        if args["include"]:
            qs = qs.filter(pk__in=args["include"])
        if args["exclude"]:
            qs = qs.exclude(pk__in=args["exclude"])
        if "parent" in args:
            qs = qs.filter(parent_id=args["parent"] or None)
        if args["hide_empty"]:
            qs = qs.filter(post_count__gt=0)
        page = paginate(self.order(qs, args), args)
        ctx = Ctx(request, args["context"])
        return Reply([serialize_term(term, ctx) for term in page.items], page=page)

    def order(self, qs, args):
        orderby, sign = args["orderby"], "-" if args["order"] == "desc" else ""
        if orderby in ("include", "include_slugs", "term_group"):
            orderby = "id" if orderby != "include_slugs" else "slug"
        return qs.order_by(sign + SORTS[orderby], sign + "id")

    def create(self, request, args):
        user = request.user
        if not can_manage_terms(user, self.noun, "add"):
            raise forbidden(
                user, "rest_cannot_create", "Sorry, you are not allowed to create terms in this taxonomy."
            )
        same = self.model.objects.filter(name=args["name"].strip())
        if self.model is Category:
            same = same.filter(parent_id=args.get("parent") or None)
        existing = same.first()
        if existing is not None:
            raise ApiError(
                "term_exists",
                "A term with the name provided already exists in this taxonomy.",
                400,
                term_id=existing.pk,
            )
        term = save(self.model(), args)
        return Reply(
            serialize_term(with_counts(self.model.objects.filter(pk=term.pk)).get(), Ctx(request, "edit")),
            status=201,
            headers={"Location": request.build_absolute_uri(f"{request.path.rstrip('/')}/{term.pk}")},
        )


class TagsEndpoint(TermsEndpoint):
    route = "/wp/v2/tags"
    model, noun = Tag, "tag"
    read_args = read_args(False)
    create_args = write_args(False, creating=True)


def save(term, args: dict):
    """services.save_term with the request's fields; its refusals as rest_invalid_param."""
    if args.get("meta"):
        raise invalid_params(
            {"meta": ("rest_invalid_param", "Byline keeps no term meta; meta must be empty.")}
        )
    check_lengths(type(term), [(n, n, args.get(n)) for n in ("name", "slug")])
    fields = {name: args[name] for name in ("name", "slug", "description") if name in args}
    if "parent" in args:
        parent = None
        if args["parent"]:
            parent = Category.objects.filter(pk=args["parent"]).first()
            if parent is None:
                raise ApiError("rest_term_invalid", "Parent term does not exist.", 400)
        fields["parent"] = parent
    try:
        return services.save_term(term, **fields)
    except ValidationError as exc:
        raise invalid_params(
            {name: ("rest_invalid_param", "; ".join(errs)) for name, errs in exc.message_dict.items()}
        ) from None


class TermEndpoint(Endpoint):
    route = "/wp/v2/categories/(?P<id>[\\d]+)"
    model, noun = Category, "category"
    read_args = {"id": ID, "context": CONTEXT}
    update_args = {**write_args(True, creating=False), "id": ID}
    delete_args = {
        "id": ID,
        "force": Arg("boolean", "Required to be true, as terms do not support trashing.", default=False),
    }

    def fetch(self, pk: int):
        term = with_counts(self.model.objects.filter(pk=pk)).first()
        if term is None:
            raise ApiError("rest_term_invalid", "Term does not exist.", 404)
        return term

    def get(self, request, args, id):
        term = self.fetch(id)
        if args["context"] == "edit" and not can_manage_terms(request.user, self.noun, "change"):
            raise ApiError(
                "rest_forbidden_context",
                "Sorry, you are not allowed to edit this term.",
                auth_status(request.user),
            )
        return Reply(serialize_term(term, Ctx(request, args["context"])))

    def update(self, request, args, id):
        term = self.fetch(id)
        if not can_manage_terms(request.user, self.noun, "change"):
            raise forbidden(
                request.user, "rest_cannot_update", "Sorry, you are not allowed to edit this term."
            )
        save(term, args)
        return Reply(serialize_term(self.fetch(id), Ctx(request, "edit")))

    def delete(self, request, args, id):
        term = self.fetch(id)
        if not can_manage_terms(request.user, self.noun, "delete"):
            raise forbidden(
                request.user, "rest_cannot_delete", "Sorry, you are not allowed to delete this term."
            )
        require_force(args, "Terms do not support trashing.")
        previous = serialize_term(term, Ctx(request, "edit"))
        services.delete_term(term)
        return Reply({"deleted": True, "previous": previous})


class TagEndpoint(TermEndpoint):
    route = "/wp/v2/tags/(?P<id>[\\d]+)"
    model, noun = Tag, "tag"
    update_args = {**write_args(False, creating=False), "id": ID}
