"""Absolute addresses of the site and of API routes, and WordPress's `_links` pieces."""

from __future__ import annotations

from urllib.parse import urlencode

REST_PREFIX = "/wp-json/"
NAMESPACE = "wp/v2"
CURIES = [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}]


def rest_url(request, route: str = "", **query) -> str:
    """`route` ('wp/v2/posts/4') under /wp-json/, absolute, with an optional query string."""
    url = request.build_absolute_uri(REST_PREFIX + route.lstrip("/"))
    if query:
        url += "?" + urlencode(query, doseq=True)
    return url


def v2(request, route: str = "", **query) -> str:
    return rest_url(request, f"{NAMESPACE}/{route}".rstrip("/"), **query)


def site_url(request, path: str = "/") -> str:
    return request.build_absolute_uri(path)


def link(href: str, **attrs) -> list[dict]:
    return [{**attrs, "href": href}]
