"""Feeds at WordPress's addresses, read by feedparser as a feed reader would."""

from datetime import UTC, datetime

import feedparser
import pytest

from byline.content import services
from byline.options.store import set_option
from tests.factories import CategoryFactory, TagFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db


def parse(client, path):
    r = client.get(path)
    assert r.status_code == 200, path
    feed = feedparser.parse(r.content)
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    return r, feed


@pytest.mark.parametrize(
    "path,kind", [("/feed/", "rss20"), ("/feed/rss2/", "rss20"), ("/feed/atom/", "atom10")]
)
def test_site_feeds(client, demo, path, kind):
    r, feed = parse(client, path)
    assert feed.version == kind
    assert feed.feed.title == "The Harbour Ledger"
    titles = [e.title for e in feed.entries]
    assert titles[0] == "The Cranes Come Down"  # newest first; sticky has no say in feeds
    assert len(titles) == 6
    entry = feed.entries[0]
    assert entry.link == "http://testserver/2025/09/the-cranes-come-down/"
    assert "Cranes that outlived their ships" in entry.content[0].value  # the full text
    assert entry.author == "Mara Lindqvist"


def test_corrections_update_the_entry(client, demo):
    _, feed = parse(client, "/feed/atom/")
    entry = feed.entries[0]
    assert entry.published.startswith("2025-09-15T10:00")
    assert entry.updated.startswith("2025-09-18T15:05")  # the second correction
    services.add_correction(demo, "A third fix.", date=datetime(2025, 10, 1, 12, tzinfo=UTC))
    _, feed = parse(client, "/feed/atom/")
    assert feed.entries[0].updated.startswith("2025-10-01T12:00")
    assert "A third fix." in feed.entries[0].content[0].value


def test_category_tag_and_author_feeds(client):
    cat = CategoryFactory(name="Tides", slug="tides")
    tag = TagFactory(name="moon", slug="moon")
    make_post("Spring tide", categories=[cat], tags=[tag], author=UserFactory(username="ola"))
    make_post("Unrelated")
    for path in (
        "/category/tides/feed/",
        "/category/tides/feed/atom/",
        "/tag/moon/feed/",
        "/tag/moon/feed/atom/",
        "/author/ola/feed/",
        "/author/ola/feed/atom/",
    ):
        _, feed = parse(client, path)
        assert [e.title for e in feed.entries] == ["Spring tide"], path
    assert client.get("/category/none/feed/").status_code == 404
    assert client.get("/tag/none/feed/").status_code == 404


def test_feed_size_and_excerpt_options(client):
    for i in range(4):
        make_post(f"Item {i}", excerpt=f"Short version {i}.")
    set_option("posts_per_rss", "3")
    set_option("rss_use_excerpt", "1")
    _, feed = parse(client, "/feed/")
    assert len(feed.entries) == 3
    assert "content" not in feed.entries[0]
    assert feed.entries[0].summary.startswith("Short version")


def test_drafts_and_protected_text_stay_out_of_feeds(client):
    make_post("Secret draft", status="draft")
    make_post("Locked", password="pw", body="<p>Hidden words.</p>")
    r, feed = parse(client, "/feed/")
    assert [e.title for e in feed.entries] == ["Locked"]
    assert b"Hidden words" not in r.content


def test_feeds_are_valid_against_the_shared_fixtures(client, demo):
    # The same reader that parses WordPress's own feed (testdata) parses ours with the same fields.
    from pathlib import Path

    wp = feedparser.parse(
        Path(__file__).parents[1].joinpath("data/feeds/wordpress-develop/wordpress-org-news.xml").read_bytes()
    )
    _, ours = parse(client, "/feed/")
    for key in ("title", "link", "published", "author", "content", "tags"):
        assert key in wp.entries[0], key
        assert key in ours.entries[0], key
