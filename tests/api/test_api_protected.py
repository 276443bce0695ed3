"""The REST API and password-protected posts: search does not look into their text, and a new
comment needs the post's `password` (WordPress's check_read_post_permission)."""

import pytest

from byline.comments.models import Comment
from byline.options.store import set_option
from tests.api.api_helpers import assert_wp_error
from tests.factories import make_post


@pytest.fixture
def locked(db):
    set_option("comment_flood_interval", "0")
    set_option("rest_allow_anonymous_comments", "1")
    return make_post(
        "Board minutes",
        password="harbour",
        excerpt="The quarterly figures.",
        body="<p>The marmalade contract goes to Dunmore.</p>",
        comment_status="open",
    )


@pytest.mark.parametrize("word", ["marmalade", "Dunmore", "quarterly"])
def test_rest_searches_do_not_match_words_of_a_protected_text(api, locked, word):
    make_post("Open letter", body="<p>The marmalade, the quarterly and Dunmore.</p>")
    assert [p["title"]["rendered"] for p in api.get("posts", {"search": word}).json()] == ["Open letter"]
    assert [r["title"] for r in api.get("search", {"search": word}).json()] == ["Open letter"]


def test_rest_search_finds_a_protected_post_by_its_title(api, locked):
    assert [p["id"] for p in api.get("posts", {"search": "board minutes"}).json()] == [locked.pk]
    assert [r["id"] for r in api.get("search", {"search": "minutes"}).json()] == [locked.pk]


def comment(locked, **extra):
    return {
        "post": locked.pk,
        "author_name": "Ada",
        "author_email": "ada@example.net",
        "content": "Hi.",
        **extra,
    }


def test_a_rest_comment_on_a_protected_post_needs_its_password(api, locked):
    assert_wp_error(api.post("comments", comment(locked)), 401, "rest_cannot_read_post")
    assert_wp_error(api.post("comments?password=wrong", comment(locked)), 401, "rest_cannot_read_post")
    # The body keeps to WordPress's schema for a new comment, which has no `password`.
    assert_wp_error(api.post("comments", comment(locked, password="harbour")), 400, "rest_invalid_param")
    assert not Comment.objects.exists()
    assert api.post("comments?password=harbour", comment(locked)).status_code == 201
    assert Comment.objects.get().content == "<p>Hi.</p>"


def test_an_editor_comments_on_a_protected_post_without_its_password(editor_api, locked):
    assert editor_api.post("comments", {"post": locked.pk, "content": "Noted."}).status_code == 201
