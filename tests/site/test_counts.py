"""The "Page 1 of N" line stays exact while the count behind it is taken once per change of the site."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from byline.content import services
from byline.content.models import Post, Status
from byline.options.store import set_option
from tests.factories import UserFactory, make_post

pytestmark = pytest.mark.django_db


def page_count(client, url="/") -> str:
    found = html.fromstring(client.get(url).content).xpath("//span[@class='page-count']/text()")
    return found[0] if found else ""


def counts_in(client, url="/") -> int:
    with CaptureQueriesContext(connection) as seen:
        client.get(url)
    return sum("COUNT(" in q["sql"].upper() for q in seen.captured_queries)


def test_the_page_count_follows_every_change_and_is_counted_once(client):
    set_option("posts_per_page", "2")
    editor = UserFactory(username="ed")
    services.apply_role(editor, "editor")
    posts = [make_post(f"Post {n}") for n in range(4)]
    client.get("/")  # the first page served records the site's address: a change of the site
    assert page_count(client) == "Page 1 of 2"
    assert counts_in(client) == 0  # remembered: no COUNT on the next view
    assert counts_in(client, "/page/2/") == 0

    make_post("Post 4")
    assert page_count(client) == "Page 1 of 3"
    services.change_post_status(posts[0], Status.DRAFT, by=editor)
    assert page_count(client) == "Page 1 of 2"
    services.delete_post(posts[1])
    services.delete_post(posts[2])
    assert page_count(client) == ""  # one page: no pagination
    assert client.get("/page/2/").status_code == 404


def test_searches_are_counted_every_time_not_remembered(client):
    # A search is counted from its ranked ids (at most search.CANDIDATES), read on each request.
    make_post("Gulls")
    assert counts_in(client, "/?s=gulls") == 0
    make_post("More gulls", status=Status.DRAFT)
    # Published behind the services' back (no site_changed): nothing remembered may hide it.
    Post.objects.filter(slug="more-gulls").update(status=Status.PUBLISH)
    page = html.fromstring(client.get("/?s=gulls").content)
    assert len(page.xpath("//article//h2/a")) == 2
