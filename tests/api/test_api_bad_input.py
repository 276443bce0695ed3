"""Bad input to the REST API gets WordPress's 400 and changes nothing, never a 500.

Each case was a server error before: dates that leave Python's range once moved to UTC,
integers no database column holds, JSON nested past the parser's stack, lone surrogates,
control characters, a form body in another charset than UTF-8. They run on PostgreSQL too
when BYLINE_TEST_DATABASE_URL is set (a NUL in a query reached PostgreSQL as an error).
"""

import json

import pytest

from byline.comments.models import Comment
from byline.content.models import Post
from tests.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "route,param,value,code",
    [
        ("posts", "after", "9999-12-31T23:59:59-14:00", "rest_invalid_date"),
        ("posts", "before", "0001-01-01T00:00:00+14:00", "rest_invalid_date"),
        ("posts", "modified_after", "9999-12-31T23:59:59-14:00", "rest_invalid_date"),
        ("posts", "modified_before", "0001-01-01T00:00:00+14:00", "rest_invalid_date"),
        ("comments", "after", "9999-12-31T23:59:59-14:00", "rest_invalid_date"),
        ("comments", "before", "0001-01-01T00:00:00+14:00", "rest_invalid_date"),
        ("media", "after", "9999-12-31T23:59:59-14:00", "rest_invalid_date"),
        ("posts", "search", "a\x00b", "rest_invalid_param"),
        ("posts", "slug", "\x00", "rest_invalid_param"),
        ("categories", "slug", "x\x00", "rest_invalid_param"),
        ("tags", "search", "\x00", "rest_invalid_param"),
        ("users", "search", "\x00", "rest_invalid_param"),
        ("posts", "categories", str(10**30), "rest_invalid_type"),
        ("posts", "author", str(10**30), "rest_invalid_type"),
    ],
)
def test_a_bad_query_parameter_is_a_400_naming_it(api, route, param, value, code):
    make_post("Kept")
    r = api.get(route, {param: value})
    assert r.status_code == 400, r.content[:300]
    body = r.json()
    assert body["code"] == "rest_invalid_param"
    assert body["data"]["details"][param]["code"] == code


def test_a_json_array_100000_deep_is_invalid_json(admin_api):
    r = admin_api.post("posts", "[" * 100_000 + "]" * 100_000)
    assert r.status_code == 400
    assert r.json()["code"] == "rest_invalid_json"
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "body,param,says",
    [
        ({"title": "Big", "categories": [10**30]}, "categories", "must be between"),
        ({"title": "Old", "date_gmt": "0001-01-01T00:00:00+14:00"}, "date_gmt", "Invalid date."),
        ({"title": "New", "date": "9999-12-31T23:59:59"}, "date", "Invalid date."),
        ({"title": "a\x00b"}, "title", "not allowed (U+0000)"),
        ({"title": "Bell", "content": "ring\x07"}, "content", "not allowed (U+0007)"),
        ({"title": "Odd", "slug": "odd\ufffe"}, "slug", "not allowed (U+FFFE)"),
        ({"title": "Meta", "meta": {"k": "\x1b[2J"}}, "meta", "not allowed (U+001B)"),
    ],
)
def test_a_bad_value_in_a_new_post_is_a_400_and_saves_nothing(admin_api, body, param, says):
    r = admin_api.post("posts", body)
    assert r.status_code == 400, r.content[:300]
    assert r.json()["code"] == "rest_invalid_param"
    assert says in r.json()["data"]["params"][param]
    assert not Post.objects.exists()


def test_a_lone_surrogate_in_json_is_refused_as_php_refuses_it(admin_api):
    r = admin_api.post("posts", '{"title": "\\ud800"}')
    assert r.status_code == 400
    assert r.json()["code"] == "rest_invalid_json"
    assert r.json()["data"]["json_error_message"] == "Single unpaired UTF-16 surrogate in unicode escape"
    assert not Post.objects.exists()


def test_a_surrogate_pair_is_a_character_like_any_other(admin_api):
    r = admin_api.post("posts", json.dumps({"title": "Harbour \U0001f6a2"}))  # escaped as a pair
    assert r.status_code == 201
    assert Post.objects.get().title == "Harbour \U0001f6a2"


def test_crlf_in_a_body_is_stored_as_newlines(admin_api):
    r = admin_api.post("posts", {"title": "Lines", "content": "one\r\ntwo\rthree"})
    assert r.status_code == 201
    assert Post.objects.get().body == "one\ntwo\nthree"


def test_a_form_body_in_another_charset_is_a_400(admin_api):
    r = admin_api.client.generic(
        "POST",
        "/wp-json/wp/v2/posts",
        b"title=caf\xe9",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
        **admin_api.headers(),
    )
    assert r.status_code == 400
    assert r.json()["code"] == "rest_invalid_param"
    assert not Post.objects.exists()


def test_a_comment_with_a_control_character_is_refused(subscriber_api):
    post = make_post("Open", comment_status="open")
    r = subscriber_api.post("comments", {"post": post.pk, "author_name": "\x07", "content": "Hi"})
    assert r.status_code == 400
    assert not Comment.objects.exists()


def test_a_nul_in_a_route_is_no_route(api):
    r = api.get("/wp-json/wp/v2/posts/%00")
    assert r.status_code == 404
    assert r.json()["code"] == "rest_no_route"
