"""The sitemap as a crawler reads it: an index of pages of at most BYLINE_SITEMAP_PAGE_SIZE
addresses (WordPress's 2,000; three here, so that a handful of posts makes several pages)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.content import services
from byline.content.models import Post, PostType, Status
from byline.options.store import set_option
from tests.factories import CategoryFactory, UserFactory, make_post
from tests.sitemaps import sitemap_locations, sitemap_pages

pytestmark = pytest.mark.django_db

PERMALINK = re.compile(r"^http://testserver/\d{4}/\d{2}/[^/]+/$")


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.BYLINE_SITEMAP_PAGE_SIZE = 3


def make_posts(n: int, **fields) -> list[Post]:
    start = datetime(2025, 1, 1, 10, tzinfo=UTC)
    return [
        make_post(f"Harbour note {i}", published_at=start + timedelta(days=i), **fields) for i in range(n)
    ]


def test_the_index_names_a_page_for_every_three_posts_and_each_post_is_listed_once(client):
    posts = make_posts(8)
    make_post("Hidden draft", status=Status.DRAFT)
    make_post("Private memo", status=Status.PRIVATE)

    pages = sitemap_pages(client)
    assert [p for p in pages if p.startswith("/sitemap-posts-")] == [
        "/sitemap-posts-1.xml",
        "/sitemap-posts-2.xml",
        "/sitemap-posts-3.xml",
    ]
    assert all(p.endswith(".xml") for p in pages)  # what crawlers (and the acceptance check) follow
    listed = [loc for loc in sitemap_locations(client) if PERMALINK.match(loc)]
    assert sorted(listed) == sorted(f"http://testserver/2025/01/harbour-note-{i}/" for i in range(8))
    assert len(posts) == len(set(listed))
    everything = " ".join(sitemap_locations(client))
    assert "hidden-draft" not in everything and "private-memo" not in everything


def test_wp_sitemap_xml_is_the_same_index(client):
    make_posts(4)
    assert sitemap_pages(client, "/wp-sitemap.xml") == sitemap_pages(client)


def test_a_page_costs_the_same_queries_however_many_posts_and_categories_it_lists(client):
    # The costliest permalinks: a nested category and the author in every address.
    set_option("permalink_structure", "/%category%/%author%/%postname%/")
    parent = CategoryFactory(slug="harbour")
    nested = CategoryFactory(slug="ferries", parent=parent)
    for i in range(4):
        make_post(f"Crossing {i}", categories=[nested], author=UserFactory(username=f"writer{i}"))

    def queries_for(address):
        client.get(address)  # options and counts remembered, as on a live site
        with CaptureQueriesContext(connection) as seen:
            response = client.get(address)
        assert response.status_code == 200
        return len(seen), response.content.decode()

    full, first = queries_for("/sitemap-posts-1.xml")  # three posts
    single, second = queries_for("/sitemap-posts-2.xml")  # one post
    assert first.count("<url>") == 3 and second.count("<url>") == 1
    assert "/harbour/ferries/writer0/crossing-0/" in first
    assert full == single <= 5


def test_pages_with_parents_are_listed_at_their_full_address(client):
    author = UserFactory()
    about = services.save_post(
        Post(post_type=PostType.PAGE, title="About", status=Status.PUBLISH, author=author)
    )
    services.save_post(
        Post(post_type=PostType.PAGE, title="Staff", status=Status.PUBLISH, author=author, parent=about)
    )
    assert "http://testserver/about/staff/" in sitemap_locations(client)


@pytest.mark.parametrize(
    "address",
    [
        "/sitemap-posts-0.xml",
        "/sitemap-posts-3.xml",  # two posts make one page
        "/sitemap-posts-999999999.xml",
        "/sitemap-posts-01.xml",
        "/sitemap-posts-x.xml",
        "/sitemap-posts--1.xml",
        "/sitemap-recipes-1.xml",
        "/sitemap-pages-1.xml",  # a section with nothing in it
    ],
)
def test_a_page_that_does_not_exist_is_not_found(client, address):
    make_posts(2)
    assert client.get(address).status_code == 404


def test_a_site_with_no_posts_still_has_an_index(client):
    assert sitemap_pages(client) == ["/sitemap-home-1.xml"]
    assert sitemap_locations(client) == ["http://testserver/"]
