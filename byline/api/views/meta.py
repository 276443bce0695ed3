"""/wp/v2/types, /wp/v2/taxonomies, /wp/v2/statuses: what Byline's content is made of."""

from __future__ import annotations

from byline.content.capabilities import can_write_posts

from ..errors import ApiError, auth_status
from ..links import CURIES, link, v2
from ..params import Arg
from .base import Endpoint, Reply

VIEW_CONTEXT = Arg(
    "string", "Scope under which the request is made.", default="view", enum=("view", "embed", "edit")
)

TYPES = {
    "post": {
        "name": "Posts",
        "hierarchical": False,
        "icon": "dashicons-admin-post",
        "taxonomies": ["category", "post_tag"],
        "rest_base": "posts",
    },
    "page": {
        "name": "Pages",
        "hierarchical": True,
        "icon": "dashicons-admin-page",
        "taxonomies": [],
        "rest_base": "pages",
    },
    "attachment": {
        "name": "Media",
        "hierarchical": False,
        "icon": "dashicons-admin-media",
        "taxonomies": [],
        "rest_base": "media",
    },
}
TAXONOMIES = {
    "category": {"name": "Categories", "hierarchical": True, "rest_base": "categories"},
    "post_tag": {"name": "Tags", "hierarchical": False, "rest_base": "tags"},
}
STATUSES = {
    # slug: (name, public, queryable, date_floating)
    "publish": ("Published", True, True, False),
    "future": ("Scheduled", False, False, False),
    "draft": ("Draft", False, False, True),
    "pending": ("Pending", False, False, True),
    "private": ("Private", False, False, False),
}


def _edit_allowed(request, context: str) -> None:
    if context == "edit" and not can_write_posts(request.user):
        raise ApiError(
            "rest_cannot_view",
            "Sorry, you are not allowed to manage this resource.",
            auth_status(request.user),
        )


def type_data(request, slug: str, context: str) -> dict:
    spec = TYPES[slug]
    data = {
        "description": "",
        "hierarchical": spec["hierarchical"],
        "has_archive": False,
        "name": spec["name"],
        "slug": slug,
        "icon": spec["icon"],
        "taxonomies": spec["taxonomies"],
        "rest_base": spec["rest_base"],
        "rest_namespace": "wp/v2",
        "template": [],
        "template_lock": False,
    }
    if context == "embed":
        data = {
            k: data[k]
            for k in ("description", "hierarchical", "name", "slug", "icon", "rest_base", "rest_namespace")
        }
    if context == "edit":
        data.update(
            viewable=slug != "attachment",
            supports={
                "title": True,
                "editor": slug != "attachment",
                "author": True,
                "thumbnail": slug != "attachment",
                "excerpt": slug == "post",
                "comments": slug != "attachment",
                "page-attributes": slug == "page",
            },
        )
    data["_links"] = {
        "collection": link(v2(request, "types")),
        "wp:items": link(v2(request, spec["rest_base"])),
        "curies": CURIES,
    }
    return data


def taxonomy_data(request, slug: str, context: str) -> dict:
    spec = TAXONOMIES[slug]
    data = {
        "name": spec["name"],
        "slug": slug,
        "description": "",
        "types": ["post"],
        "hierarchical": spec["hierarchical"],
        "rest_base": spec["rest_base"],
        "rest_namespace": "wp/v2",
    }
    if context == "embed":
        data = {k: data[k] for k in ("name", "slug", "rest_base", "rest_namespace")}
    if context == "edit":
        data.update(show_cloud=slug == "post_tag", visibility={"public": True, "show_ui": True})
    data["_links"] = {
        "collection": link(v2(request, "taxonomies")),
        "wp:items": link(v2(request, spec["rest_base"])),
        "curies": CURIES,
    }
    return data


def status_data(request, slug: str, context: str) -> dict:
    name, public, queryable, floating = STATUSES[slug]
    data = {"name": name, "public": public, "queryable": queryable, "slug": slug, "date_floating": floating}
    if context == "edit":
        data.update(
            private=slug == "private", protected=slug in ("future", "draft", "pending"), show_in_list=True
        )
    archive = v2(request, "posts") if slug == "publish" else v2(request, "posts", status=slug)
    data["_links"] = {"archives": link(archive)}
    return data


class TypesEndpoint(Endpoint):
    route = "/wp/v2/types"
    read_args = {"context": VIEW_CONTEXT}

    def get(self, request, args):
        _edit_allowed(request, args["context"])
        return Reply({slug: type_data(request, slug, args["context"]) for slug in TYPES})


class TypeEndpoint(Endpoint):
    route = "/wp/v2/types/(?P<type>[\\w-]+)"
    read_args = {
        "type": Arg("string", "An alphanumeric identifier for the post type."),
        "context": VIEW_CONTEXT,
    }

    def get(self, request, args, type):
        if type not in TYPES:
            raise ApiError("rest_type_invalid", "Invalid post type.", 404)
        _edit_allowed(request, args["context"])
        return Reply(type_data(request, type, args["context"]))


class TaxonomiesEndpoint(Endpoint):
    route = "/wp/v2/taxonomies"
    read_args = {
        "context": VIEW_CONTEXT,
        "type": Arg("string", "Limit results to taxonomies associated with a specific post type."),
    }

    def get(self, request, args):
        _edit_allowed(request, args["context"])
        wanted = [s for s in TAXONOMIES if "type" not in args or args["type"] == "post"]
        return Reply({slug: taxonomy_data(request, slug, args["context"]) for slug in wanted})


class TaxonomyEndpoint(Endpoint):
    route = "/wp/v2/taxonomies/(?P<taxonomy>[\\w-]+)"
    read_args = {
        "taxonomy": Arg("string", "An alphanumeric identifier for the taxonomy."),
        "context": VIEW_CONTEXT,
    }

    def get(self, request, args, taxonomy):
        if taxonomy not in TAXONOMIES:
            raise ApiError("rest_taxonomy_invalid", "Invalid taxonomy.", 404)
        _edit_allowed(request, args["context"])
        return Reply(taxonomy_data(request, taxonomy, args["context"]))


class StatusesEndpoint(Endpoint):
    route = "/wp/v2/statuses"
    read_args = {"context": VIEW_CONTEXT}

    def get(self, request, args):
        _edit_allowed(request, args["context"])
        # Readers learn only of "publish"; the others are for those who write (WordPress).
        shown = STATUSES if can_write_posts(request.user) else {"publish": STATUSES["publish"]}
        return Reply({slug: status_data(request, slug, args["context"]) for slug in shown})


class StatusEndpoint(Endpoint):
    route = "/wp/v2/statuses/(?P<status>[\\w-]+)"
    read_args = {
        "status": Arg("string", "An alphanumeric identifier for the status."),
        "context": VIEW_CONTEXT,
    }

    def get(self, request, args, status):
        if status not in STATUSES:
            raise ApiError("rest_status_invalid", "Invalid status.", 404)
        _edit_allowed(request, args["context"])
        if not STATUSES[status][1] and not can_write_posts(request.user):
            raise ApiError("rest_cannot_read_status", "Cannot view status.", auth_status(request.user))
        return Reply(status_data(request, status, args["context"]))
