"""Users as WordPress's user objects: public fields for readers, account fields in `edit`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from byline.content.capabilities import can_list_users
from byline.content.models import Post
from byline.text import safe_url

from ..embedding import resolver
from ..links import link, site_url, v2
from .common import Ctx, avatar_urls, gmt_date, show_avatars

User = get_user_model()


def users_with_profiles():
    return User.objects.select_related("profile__avatar")


def visible_users(user=None):
    """Who `user` may see: everyone for administrators; otherwise authors of public posts
    (WordPress's `has_published_posts` rule), and oneself. No user: what a reader sees."""
    qs = users_with_profiles()
    if user is not None and can_list_users(user):
        return qs
    published = Exists(Post.objects.public().filter(author=OuterRef("pk")))
    me = Q(pk=user.pk) if user is not None and user.is_authenticated else Q(pk__in=[])
    return qs.filter(published | me)


def display_name(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_full_name() or user.get_username()


def serialize_user(user, ctx: Ctx) -> dict:
    profile = getattr(user, "profile", None)
    name = display_name(user)
    data = {
        "id": user.pk,
        "name": name,
        "url": safe_url(profile.website) if profile else "",
        "description": profile.bio if profile else "",
        "link": site_url(ctx.request, f"/author/{user.get_username()}/"),
        "slug": user.get_username(),
    }
    if show_avatars():
        avatar = profile.avatar if profile and profile.avatar_id else None
        data["avatar_urls"] = avatar_urls(name, avatar.url if avatar else None)
    if ctx.edit:
        role = profile.role if profile else ("administrator" if user.is_superuser else "subscriber")
        data.update(
            username=user.get_username(),
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            locale="en_US",
            nickname=user.get_username(),
            registered_date=gmt_date(user.date_joined) + "+00:00",
            roles=[role],
            capabilities={role: True},
            extra_capabilities={role: True},
        )
    if not ctx.embed:
        data["meta"] = []
    data["_links"] = {
        "self": link(v2(ctx.request, f"users/{user.pk}")),
        "collection": link(v2(ctx.request, "users")),
    }
    return data


@resolver("user")
def _embed_users(request, keys) -> dict:
    ctx = Ctx(request, "embed")
    return {user.pk: serialize_user(user, ctx) for user in visible_users(request.user).filter(pk__in=keys)}
