"""Junk addresses and forms from anyone: a 404 or a 400 with a message, never a 500.

On PostgreSQL (BYLINE_TEST_DATABASE_URL) a NUL reaching a query was a server error; the
same tests run there.
"""

import pytest
from django.test import Client

from byline.comments.models import Comment
from byline.content.permalinks import permalink_for
from byline.options.store import set_option
from tests.factories import CategoryFactory, TagFactory, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    post = make_post("Harbour", comment_status="open", categories=[CategoryFactory(slug="news")])
    post.tags.add(TagFactory(slug="cranes"))
    return post


@pytest.mark.parametrize(
    "path",
    [
        "/9999/12/31/",
        "/9999/12/",
        "/9999/",
        "/0000/",
        "/0001/01/01/",
        "/media/%00",
        "/media/a%00.jpg",
        "/%00/",
        "/2025/09/%00/",
        "/harbour%00/",
        "/tag/%00/",
        "/tag/cranes%00/",
        "/category/news%00/",
        "/author/%00/",
        "/tag/%00/feed/",
        "/category/%00/feed/atom/",
        "/postpass/1%00/",
        "/%ff%fe/",
    ],
)
def test_a_junk_address_is_a_404(client, site, path):
    r = client.get(path)
    assert r.status_code == 404
    assert b"Traceback" not in r.content


def test_the_first_day_east_of_greenwich_is_a_404(client, site):
    set_option("timezone_string", "Pacific/Kiritimati")  # UTC+14: 0001-01-01 has no UTC time
    assert client.get("/0001/01/01/").status_code == 404


@pytest.mark.parametrize("query", ["s=%00", "s=a%00b", "p=%00", "page_id=%00", "cat=%00", "s=%1b%5b2J"])
def test_junk_in_a_query_string_is_dropped(client, site, query):
    r = client.get("/?" + query)
    assert r.status_code in (200, 404)
    assert b"\x00" not in r.content and b"\x1b" not in r.content


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "cp1252", "iso-8859-15"])
def test_a_comment_form_in_another_charset_is_a_400_with_a_csrf_cookie(site, charset):
    set_option("comment_flood_interval", "0")
    client = Client(enforce_csrf_checks=True)
    client.get(permalink_for(site))  # the form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    body = f"csrfmiddlewaretoken={token}&comment=caf\xe9&comment_post_ID={site.pk}".encode(charset)
    r = client.generic(
        "POST",
        "/wp-comments-post.php",
        body,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert r.status_code == 400
    assert "UTF-8" in r.content.decode()
    assert not Comment.objects.exists()
