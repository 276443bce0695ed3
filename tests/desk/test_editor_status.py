"""The editor and the REST API decide a post's status in one place (services.save_post): the same
request gives the same status and date through either."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from byline.api.passwords import create_app_password
from byline.content.models import Post
from byline.content.permalinks import local
from byline.content.services import create_user
from tests.api.api_helpers import Api

pytestmark = pytest.mark.django_db

FUTURE = (timezone.now() + timedelta(days=400)).replace(second=0, microsecond=0)
PAST = (timezone.now() - timedelta(days=40)).replace(second=0, microsecond=0)


def _writer(role: str):
    """One person, signed in to the desk and holding an application password for the REST API."""
    user = create_user(f"{role}1", email=f"{role}1@example.org", role=role, password="Quay-Lantern-93!")
    desk = Client()
    desk.force_login(user)
    _record, password = create_app_password(user, "tests")
    return user, desk, Api(Client(), user, password)


def _editor_save(desk, asked: str, when, post_id=None, version=None):
    """The editor's buttons: Publish (Private visibility for "private"), Submit for review, Save draft."""
    action = {"publish": "publish", "private": "publish", "pending": "pending", "draft": "draft"}[asked]
    data = {
        "action": "update" if post_id and asked == "publish" else action,
        "title": "Tide tables",
        "body": "<p>High water at noon.</p>",
        "visibility": "private" if asked == "private" else "public",
    }
    if when is not None:
        data["date"] = f"{local(when):%Y-%m-%dT%H:%M}"
    if post_id:
        data.update(id=post_id, version=version)
    return desk.post("/wp-admin/post.php", json.dumps(data), content_type="application/json")


def _rest_save(api, asked: str, when, post_id=None):
    body = {"title": "Tide tables", "content": "<p>High water at noon.</p>", "status": asked}
    if when is not None:
        body["date"] = f"{local(when):%Y-%m-%dT%H:%M:%S}"
    return api.post(f"posts/{post_id}" if post_id else "posts", body)


def _shape(post: Post, asked_at):
    """Status, and the date: the one asked for, or (floating) about the moment of the save."""
    dated = abs(post.published_at - asked_at) < timedelta(seconds=60)
    return post.status, dated


@pytest.mark.parametrize(
    ("role", "asked", "when"),
    [
        ("author", "publish", None),
        ("author", "publish", FUTURE),
        ("author", "publish", PAST),
        ("author", "private", None),
        ("author", "draft", None),
        ("author", "draft", FUTURE),
        ("author", "pending", None),
        ("contributor", "pending", None),
        ("contributor", "draft", FUTURE),
    ],
)
def test_a_new_post_gets_the_same_status_from_the_editor_and_the_rest_api(role, asked, when):
    _user, desk, api = _writer(role)
    through_desk = _editor_save(desk, asked, when)
    assert through_desk.status_code == 200, through_desk.content
    through_rest = _rest_save(api, asked, when)
    assert through_rest.status_code == 201, through_rest.content
    desk_post = Post.objects.get(pk=through_desk.json()["id"])
    rest_post = Post.objects.get(pk=through_rest.json()["id"])
    expected_at = when or timezone.now()
    assert desk_post.status == rest_post.status
    assert _shape(desk_post, expected_at) == _shape(rest_post, expected_at)
    if asked == "publish":  # the rule itself, so that "the same" is not "the same mistake"
        assert desk_post.status == ("future" if when == FUTURE else "publish")


def test_a_contributors_publish_is_refused_by_both():
    _user, desk, api = _writer("contributor")
    assert _editor_save(desk, "publish", None).status_code == 403
    assert _rest_save(api, "publish", None).status_code == 403
    assert not Post.objects.exists()


@pytest.mark.parametrize("when", [FUTURE, PAST])
def test_updating_a_published_post_with_a_new_date_gives_the_same_status(when):
    _user, desk, api = _writer("editor")
    first = _editor_save(desk, "publish", None).json()
    desk_id, version = first["id"], first["version"]
    rest_id = _rest_save(api, "publish", None).json()["id"]
    assert _editor_save(desk, "publish", when, desk_id, version).status_code == 200
    assert _rest_save(api, "publish", when, rest_id).status_code == 200
    desk_post, rest_post = Post.objects.get(pk=desk_id), Post.objects.get(pk=rest_id)
    assert desk_post.status == rest_post.status == ("future" if when == FUTURE else "publish")
    assert desk_post.published_at == rest_post.published_at == when
