"""/wp-json/ and /wp-json/wp/v2: what the site is and which routes it answers (WordPress's index)."""

from __future__ import annotations

from byline.content.permalinks import local
from byline.options.store import get_option

from ..links import link, rest_url
from ..params import Arg
from .base import Endpoint, Reply

INDEX_CONTEXT = Arg("string", "Scope under which the request is made.", default="view", enum=("view", "help"))


def routes(request, endpoints, namespace: str | None) -> dict:
    out = {}
    for endpoint in endpoints:
        description = endpoint().describe()
        if namespace is not None and description["namespace"] != namespace:
            continue
        route = endpoint.route
        entry = dict(description)
        if "(?P<" not in route:
            entry["_links"] = {"self": link(rest_url(request, route.lstrip("/")))}
        out[route] = entry
    return out


class IndexEndpoint(Endpoint):
    """/wp-json/: the site's name and address, the namespaces, every route with its arguments."""

    route = "/"
    read_args = {"context": INDEX_CONTEXT}
    endpoints: list = []  # filled by urls.py

    def describe(self) -> dict:
        return {
            "namespace": "",
            "methods": ["GET"],
            "endpoints": [{"methods": ["GET"], "args": {"context": self.read_args["context"].schema()}}],
        }

    def get(self, request, args):
        from django.utils import timezone

        offset = local(timezone.now()).utcoffset()
        hours = offset.total_seconds() / 3600 if offset else 0
        home = request.build_absolute_uri("/").rstrip("/")
        return Reply(
            {
                "name": get_option("blogname"),
                "description": get_option("blogdescription"),
                "url": home,
                "home": home,
                "gmt_offset": str(int(hours)) if hours == int(hours) else str(hours),
                "timezone_string": get_option("timezone_string"),
                "namespaces": ["wp/v2"],
                "authentication": {
                    # Passwords are made by `byline app-password create` and listed in the admin.
                    "application-passwords": {
                        "endpoints": {
                            "authorization": request.build_absolute_uri("/admin/api/applicationpassword/")
                        }
                    }
                },
                "routes": {"/": self.describe(), **routes(request, self.endpoints, None)},
                "site_logo": 0,
                "site_icon": 0,
                "site_icon_url": "",
                "_links": {"help": link("https://developer.wordpress.org/rest-api/")},
            }
        )


class NamespaceEndpoint(IndexEndpoint):
    """/wp-json/wp/v2: the routes of the one namespace Byline speaks."""

    route = "/wp/v2"
    read_args = {"namespace": Arg("string", default="wp/v2"), "context": INDEX_CONTEXT}

    def describe(self) -> dict:
        return {
            "namespace": "wp/v2",
            "methods": ["GET"],
            "endpoints": [
                {"methods": ["GET"], "args": {name: arg.schema() for name, arg in self.read_args.items()}}
            ],
        }

    def get(self, request, args):
        return Reply(
            {
                "namespace": "wp/v2",
                "routes": {"/wp/v2": self.describe(), **routes(request, self.endpoints, "wp/v2")},
                "_links": {"up": link(rest_url(request))},
            }
        )
