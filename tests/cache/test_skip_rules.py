"""Who never gets a stored page, and what is never stored."""

import pytest
from django.test import Client

from byline.content import services
from byline.site.pagecache import HEADER
from tests.cache.pages import text_of, warm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_writer_gets_their_own_page(client, post, url):
    warm(Client(), url)
    writer = UserFactory(username="editorial")
    client.force_login(writer)
    page = client.get(url)
    assert page[HEADER] == "bypass"
    assert "Logged in as" in text_of(page)
    assert page["Cache-Control"] == "private, no-store"
    assert "Logged in as" not in text_of(Client().get(url))


def test_an_anonymous_session_cookie_is_still_served_from_the_cache(post, url):
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["something"] = "not a user"
    session.save()
    warm(Client(), url)
    reader = Client()
    reader.cookies["sessionid"] = session.session_key
    assert reader.get(url)[HEADER] == "hit"


def test_a_commenter_with_a_held_comment_sees_it_and_nobody_else_does(post, url):
    from byline.comments import captcha
    from tests.cache.test_comment_form import form_of

    warm(Client(), url)
    commenter = Client()
    form = form_of(commenter.get(url))
    form.pop("question")
    form.update(
        author="New Reader",
        email="new@example.net",
        comment="Held for moderation, mine",
        captcha_answer=str(captcha.challenge_from_token(form["captcha_token"]).answer),
    )
    assert commenter.post("/wp-comments-post.php", form).status_code == 303
    mine = commenter.get(url)
    assert mine[HEADER] == "bypass" and "Held for moderation, mine" in text_of(mine)
    assert "awaiting moderation" in text_of(mine)
    other = Client().get(url)
    assert other[HEADER] == "hit" and "Held for moderation, mine" not in text_of(other)


def test_a_remembered_commenter_gets_their_name_in_the_form_not_a_stored_page(post, url):
    warm(Client(), url)
    reader = Client()
    reader.cookies["comment_author"] = "Remembered Name"
    page = reader.get(url)
    assert page[HEADER] == "bypass" and 'value="Remembered Name"' in text_of(page)
    assert "Remembered Name" not in text_of(Client().get(url))


def test_a_protected_post_unlocked_is_never_stored_or_shown_to_others(post, url):
    post.password = "harbour"
    services.save_post(post)
    locked = [Client().get(url) for _ in range(2)]
    assert [p[HEADER] for p in locked] != ["miss", "hit"]
    reader = Client()
    reader.post(f"/postpass/{post.pk}/", {"post_password": "harbour"})
    unlocked = reader.get(url)
    assert unlocked[HEADER] == "bypass" and "The text of Talk of the town" in text_of(unlocked)
    assert "The text of Talk of the town" not in text_of(Client().get(url))


def test_posts_errors_and_admin_pages_are_never_stored(client, post):
    for _ in range(2):
        assert client.get("/no-such-page/").status_code == 404
    assert client.get("/no-such-page/")[HEADER] == "bypass"
    assert client.post("/wp-comments-post.php", {}).get(HEADER) == "bypass"
    assert client.get("/wp-admin/").get(HEADER) == "bypass"


def test_a_rest_request_with_credentials_is_not_served_from_the_cache(client, post):
    warm(client, "/wp-json/wp/v2/posts")
    assert client.get("/wp-json/wp/v2/posts", HTTP_AUTHORIZATION="Basic eDp5")[HEADER] == "bypass"


def test_page_cache_setting_off_serves_every_request_fresh(client, post, settings):
    settings.BYLINE_PAGE_CACHE = False
    for _ in range(3):
        page = client.get("/")
        assert HEADER not in page and "ETag" not in page


def test_a_cache_hit_reads_nothing_from_the_database(client, post, url, django_assert_num_queries):
    for address in (
        url,
        "/",
        "/feed/",
        "/sitemap.xml",
        "/sitemap-posts-1.xml",
        "/robots.txt",
        "/wp-json/wp/v2/posts",
    ):
        warm(client, address)
        with django_assert_num_queries(0):
            assert client.get(address)[HEADER] == "hit"
