"""/wp/v2/users, /wp/v2/users/<id>, /wp/v2/users/me: read only.

Readers (and users who may not list users) see only the authors of published posts,
as WordPress; account fields (user name, email, roles) only in the edit context, to the
user themself or an administrator. Accounts are managed in the admin and the CLI.
"""

from __future__ import annotations

from django.db.models import Q

from byline.content.capabilities import can_list_users, signed_in

from ..errors import ApiError, auth_status, forbidden, invalid_param
from ..pagination import paginate
from ..params import CONTEXT, ID, Arg, collection, order, orderby
from ..serializers import Ctx, serialize_user
from ..serializers.users import users_with_profiles, visible_users
from .base import Endpoint, Reply

SORTS = {
    "id": "id",
    "name": "profile__display_name",
    "registered_date": "date_joined",
    "slug": "username",
    "email": "email",
    "url": "profile__website",
    "include": "id",
    "include_slugs": "username",
}
ROLES = ("administrator", "editor", "author", "contributor", "subscriber")


def _context(request, args, user=None) -> str:
    context = args["context"]
    me = user is not None and request.user.is_authenticated and user.pk == request.user.pk
    if context == "edit" and not (me or can_list_users(request.user)):
        raise ApiError(
            "rest_forbidden_context", "Sorry, you are not allowed to list users.", auth_status(request.user)
        )
    return context


class UsersEndpoint(Endpoint):
    route = "/wp/v2/users"
    read_args = collection(
        offset=Arg("integer", "Offset the result set by a specific number of items.", minimum=0),
        order=order("asc"),
        orderby=orderby("name", *SORTS),
        slug=Arg("array", "Limit result set to users with one or more specific slugs.", items="string"),
        roles=Arg(
            "array", "Limit result set to users matching at least one specific role provided.", items="string"
        ),
        capabilities=Arg(
            "array",
            "Limit result set to users matching at least one specific capability provided.",
            items="string",
        ),
        who=Arg("string", "Limit result set to users who are considered authors.", enum=("authors",)),
        has_published_posts=Arg("boolean", "Limit result set to users who have published posts."),
    )

    def get(self, request, args):
        user = request.user
        context = _context(request, args)
        if args.get("roles") and not can_list_users(user):
            raise forbidden(
                user, "rest_user_cannot_view", "Sorry, you are not allowed to filter users by role."
            )
        if args.get("capabilities"):
            raise invalid_param("capabilities", "Byline does not filter users by capability; use roles.")
        if args.get("who") and not signed_in(user):
            raise forbidden(
                user, "rest_forbidden_who", "Sorry, you are not allowed to query users by this parameter."
            )
        qs = visible_users(user)
        if args.get("has_published_posts"):
            qs = qs.filter(pk__in=visible_users().values("pk"))
        if args.get("search"):
            term = args["search"].strip("*")
            qs = qs.filter(
                Q(username__icontains=term)
                | Q(profile__display_name__icontains=term)
                | Q(profile__website__icontains=term)
            )
        if args.get("slug"):
            qs = qs.filter(username__in=args["slug"])
        if args["include"]:
            qs = qs.filter(pk__in=args["include"])
        if args["exclude"]:
            qs = qs.exclude(pk__in=args["exclude"])
        if args.get("roles"):
            unknown = [r for r in args["roles"] if r not in ROLES]
            if unknown:
                raise invalid_param("roles", f"roles holds unknown roles: {', '.join(unknown)}.")
            qs = qs.filter(profile__role__in=args["roles"])
        if args.get("who") == "authors":
            qs = qs.exclude(profile__role="subscriber")
        sign = "-" if args["order"] == "desc" else ""
        qs = qs.order_by(sign + SORTS[args["orderby"]], sign + "id")
        page = paginate(qs, args)
        ctx = Ctx(request, context)
        return Reply([serialize_user(u, ctx) for u in page.items], page=page)


class UserEndpoint(Endpoint):
    route = "/wp/v2/users/(?P<id>[\\d]+)"
    read_args = {"id": ID, "context": CONTEXT}

    def get(self, request, args, id):
        # Someone with no published post is "no such user" to readers, not "forbidden":
        # the API does not confirm that an account exists (WordPress answers 401 there).
        target = visible_users(request.user).filter(pk=id).first()
        if target is None:
            raise ApiError("rest_user_invalid_id", "Invalid user ID.", 404)
        return Reply(serialize_user(target, Ctx(request, _context(request, args, target))))


class MeEndpoint(Endpoint):
    route = "/wp/v2/users/me"
    read_args = {"context": CONTEXT}

    def get(self, request, args):
        if not request.user.is_authenticated:
            raise ApiError("rest_not_logged_in", "You are not currently logged in.", 401)
        me = users_with_profiles().get(pk=request.user.pk)
        return Reply(serialize_user(me, Ctx(request, _context(request, args, me))))
