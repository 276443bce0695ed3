"""/wp/v2/users: readers see only the authors of published posts, and never an email."""

import pytest

from byline.content.models import Status
from byline.content.services import create_user
from tests.api.api_helpers import assert_wp_error
from tests.factories import make_post


@pytest.fixture
def people(db):
    mara = create_user(
        "mara",
        email="mara@example.org",
        role="author",
        display_name="Mara Lindqvist",
        website="https://example.org/mara",
        bio="<p>Writes about ports.</p>",
    )
    quiet = create_user("quiet", email="quiet@example.org", role="author")
    reader = create_user("reader", email="reader@example.org", role="subscriber")
    make_post("Published", author=mara)
    make_post("Only a draft", author=quiet, status=Status.DRAFT)
    return {"mara": mara, "quiet": quiet, "reader": reader}


def test_readers_see_authors_of_published_posts_only(api, people):
    response = api.get("users")
    assert [u["slug"] for u in response.json()] == ["mara"]
    assert response["X-WP-Total"] == "1"
    mara = response.json()[0]
    assert mara["name"] == "Mara Lindqvist" and mara["url"] == "https://example.org/mara"
    assert mara["link"] == "http://testserver/author/mara/"
    assert "example.org" not in mara["avatar_urls"]["96"]
    text = response.content.decode()
    assert "mara@example.org" not in text and "quiet" not in text
    # Someone without a published post is not found, rather than forbidden: no account probing.
    assert_wp_error(api.get(f"users/{people['quiet'].pk}"), 404, "rest_user_invalid_id")
    assert_wp_error(api.get(f"users/{people['reader'].pk}"), 404, "rest_user_invalid_id")
    assert_wp_error(api.get("users/999999"), 404, "rest_user_invalid_id")
    assert_wp_error(api.get("users", {"context": "edit"}), 401, "rest_forbidden_context")
    assert_wp_error(api.get("users/me"), 401, "rest_not_logged_in")
    assert_wp_error(api.get("users", {"roles": "author"}), 401, "rest_user_cannot_view")


def test_editors_see_the_same_as_readers(editor_api, people):
    assert {u["slug"] for u in editor_api.get("users").json()} == {"mara", "eddie"}
    me = editor_api.get("users/me", {"context": "edit"}).json()
    assert me["email"] == "eddie@example.org" and me["roles"] == ["editor"]


def test_administrators_list_everyone(admin_api, people):
    body = admin_api.get("users", {"context": "edit", "per_page": 100}).json()
    assert {u["slug"] for u in body} == {"ada", "mara", "quiet", "reader"}
    assert {u["slug"] for u in admin_api.get("users", {"roles": "subscriber"}).json()} == {"reader"}
    assert {u["slug"] for u in admin_api.get("users", {"has_published_posts": "true"}).json()} == {"mara"}
    assert_wp_error(admin_api.get("users", {"roles": "pirate"}), 400, "rest_invalid_param")
    assert_wp_error(admin_api.post("users", {"username": "new"}), 404, "rest_no_route")
