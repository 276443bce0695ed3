"""Options, the menu, the category tree and the next scheduled post are read once per change of
the site, not once per page, and every change (from this process or another) is seen at once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from byline import sitewide
from byline.content import services
from byline.content.models import Category, Post, PostType, Status
from byline.options.models import Option
from byline.options.store import set_option
from byline.site import pagecache
from tests.factories import CategoryFactory, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def remembering(settings):
    settings.BYLINE_SITEWIDE_MEMO = True
    sitewide.forget()
    pagecache.bump("a new test")  # the database was rolled back behind the generation's back
    yield
    sitewide.forget()


def statements(client, url="/") -> list[str]:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in seen.captured_queries]


@pytest.mark.parametrize("url", ["/", "/2025/09/a-post/", "/category/essays/"])
def test_a_page_asks_the_database_nothing_site_wide_until_the_site_changes(client, settings, url):
    set_option("siteurl", "http://testserver")
    make_post("A post", categories=[CategoryFactory(name="Essays", slug="essays")])
    settings.BYLINE_SITEWIDE_MEMO = False
    statements(client, url)  # a list's length is remembered anyway (site/counts.py)
    each_time = statements(client, url)
    assert any("byline_option" in sql for sql in each_time)
    settings.BYLINE_SITEWIDE_MEMO = True
    statements(client, url)
    again = statements(client, url)
    assert not any("byline_option" in sql for sql in again)
    # Options, the next scheduled post, the menu's pages (and an archive's category tree).
    assert len(again) == len(each_time) - (4 if "category" in url else 3)


def test_an_option_set_by_another_process_is_seen_on_the_next_request(client):
    set_option("blogname", "The Harbour Ledger")
    assert "The Harbour Ledger" in client.get("/").content.decode()
    # What `byline option set` in another process does: the row, then site_changed, which
    # replaces the generation every process reads (here the file in the data dir).
    Option.objects.filter(name="blogname").update(value="Changed Elsewhere")
    assert "The Harbour Ledger" in client.get("/").content.decode()  # no change announced yet
    pagecache.bump("option blogname")
    assert "Changed Elsewhere" in client.get("/").content.decode()


def test_a_page_published_shows_in_the_menu_at_once(client):
    make_post("About us", post_type=PostType.PAGE, status=Status.DRAFT)
    assert "About us" not in client.get("/").content.decode()
    page = Post.objects.get(title="About us")
    page.status = Status.PUBLISH
    services.save_post(page)
    assert "About us" in client.get("/").content.decode()


def test_a_new_subcategory_counts_in_its_parents_archive(client):
    essays = CategoryFactory(name="Essays", slug="essays")
    make_post("In essays", categories=[essays])
    assert "In essays" in client.get("/category/essays/").content.decode()
    short = services.save_term(Category(name="Short"), slug="short", parent=essays)
    make_post("In short", categories=[short])
    assert "In short" in client.get("/category/essays/").content.decode()


def test_a_scheduled_post_goes_live_when_its_time_comes(client, monkeypatch):
    soon = timezone.now() + timedelta(hours=1)
    make_post("Tomorrow's news", status=Status.FUTURE, published_at=soon)
    assert "Tomorrow&#x27;s news" not in client.get("/").content.decode()
    assert "Tomorrow" not in client.get("/").content.decode()  # remembered: still not due
    later = soon + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Tomorrow" in client.get("/").content.decode()
    assert Post.objects.get(title="Tomorrow's news").status == Status.PUBLISH
