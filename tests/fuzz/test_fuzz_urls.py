"""Every public address pattern under junk paths and query strings: a page, a redirect, a
404 or a 4xx, never a 500 or a traceback, and nothing written by a GET."""

from urllib.parse import quote

import pytest
from django.urls import URLResolver, resolve
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from byline import urls
from tests.fuzz.conftest import HOSTILE_TEXT, assert_handled, fingerprint

pytestmark = pytest.mark.django_db

# One address of each pattern in byline/urls.py (the admin and the REST API are fuzzed elsewhere).
STARTS = [
    "/",
    "/page/2/",
    "/wp-admin/x",
    "/wp-login.php",
    "/admin/login/",
    "/robots.txt",
    "/favicon.ico",
    "/favicon.svg",
    "/sitemap.xml",
    "/wp-sitemap.xml",
    "/sitemap-posts-1.xml",
    "/media/2025/09/a.jpg",
    "/postpass/1/",
    "/wp-comments-post.php",
    "/avatar/0123456789abcdef0123.svg",
    "/comments/feed/",
    "/comments/feed/atom/",
    "/feed/",
    "/feed/atom/",
    "/category/news/feed/",
    "/category/news/feed/atom/",
    "/tag/cranes/feed/",
    "/tag/cranes/feed/atom/",
    "/category/news/",
    "/tag/cranes/",
    "/author/ada/",
    "/2025/09/15/",
    "/2025/09/harbour/",
]
QUERY_NAMES = [
    "s",
    "p",
    "page_id",
    "cat",
    "tag",
    "author",
    "paged",
    "feed",
    "replytocom",
    "cpage",
    "preview",
    "zzz",
]

segment = st.one_of(
    st.sampled_from([t for t in HOSTILE_TEXT if "\ud800" not in t]),
    st.text(st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(["9999", "0000", "12", "31", "feed", "atom", "page", "2", "..", ".", "comment-page-2"]),
)


def encoded(text: str) -> str:
    return quote(text.encode("utf-8"), safe="")


junk_path = st.tuples(st.sampled_from(STARTS), st.lists(segment, max_size=3), st.booleans()).map(
    lambda p: p[0] + "/".join(encoded(s) for s in p[1]) + ("/" if p[2] else "")
)
junk_query = st.dictionaries(st.sampled_from(QUERY_NAMES), segment, max_size=3).map(
    lambda q: "&".join(f"{k}={encoded(v)}" for k, v in q.items())
)


def test_every_public_pattern_is_fuzzed():
    public = {str(p.pattern) for p in urls.urlpatterns if not isinstance(p, URLResolver)}
    assert {resolve(path).route for path in STARTS} == public


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=junk_path, query=junk_query, method=st.sampled_from(["get", "head"]))
@example(path="/9999/12/31/", query="", method="get")
@example(path="/media/%00", query="", method="get")
@example(path="/%00/", query="s=%00", method="get")
@example(path="/tag/%00/", query="", method="get")
@example(path="/", query="s=%1b%5b2J", method="get")
def test_junk_addresses_never_fail(client, small_site, path, query, method):
    before = fingerprint()
    r = getattr(client, method)(path + ("?" + query if query else ""))
    assert_handled(r)
    assert fingerprint() == before
