"""What every fuzz test shares: a small site, hostile seeds, and the checks of a good refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from byline.api.passwords import create_app_password
from byline.comments.models import Comment, CommentStatus
from byline.content.models import Category, Media, Post, Tag
from byline.content.services import create_user
from byline.options.models import Option
from byline.options.store import set_option
from tests.api.api_helpers import Api
from tests.factories import CategoryFactory, TagFactory, make_post

# Text that broke Byline once, or breaks parsers and databases elsewhere (issue 8's list first).
HOSTILE_TEXT = [
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "Ctl\x1b[2J",
    "\x07",
    "\ufffe",
    "\ud800",
    "a\x00b",
    "\x00",
    str(10**30),
    "-1",
    "0",
    "1e309",
    "NaN",
    "pässwörd",
    "javascript:alert(1)",
    '<a title="[media id=1]">x</a>',
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "%00",
    "%ff%fe",
    "[]",
    "{}",
    "x" * 3000,
    "\r\n\r\n",
    "'; DROP TABLE byline_option; --",
]


def fingerprint() -> tuple:
    """Everything a rejected request must leave as it was: rows, their text, the options."""
    return (
        tuple(
            Post.objects.order_by("pk").values_list(
                "pk", "title", "status", "body", "slug", "modified_at", "password"
            )
        ),
        tuple(Comment.objects.order_by("pk").values_list("pk", "status", "content", "author_name")),
        tuple(Category.objects.order_by("pk").values_list("pk", "name", "slug", "parent_id")),
        tuple(Tag.objects.order_by("pk").values_list("pk", "name", "slug")),
        tuple(Media.objects.order_by("pk").values_list("pk", "title", "alt", "caption")),
        tuple(Option.objects.order_by("name").values_list("name", "value")),
    )


def assert_handled(response, *, api: bool = False) -> None:
    """No server error, no traceback; an API refusal has WordPress's shape."""
    assert response.status_code < 500 or response.status_code == 501, response.content[:300]
    assert b"Traceback" not in response.content
    if api and response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
        body = response.json()
        assert set(body) >= {"code", "message", "data"}, body
        assert body["data"]["status"] == response.status_code


@pytest.fixture
def small_site(db, client):
    """A post with a comment, a page, a category, a tag, a photo record and an administrator."""
    set_option("captcha_min_seconds", "0")
    set_option("comment_flood_interval", "0")
    set_option("siteurl", "http://testserver")  # else the first page served records it
    admin = create_user("ada", email="ada@example.org", role="administrator", display_name="Ada")
    _record, password = create_app_password(admin, "fuzz")
    category, tag = CategoryFactory(slug="news"), TagFactory(slug="cranes")
    post = make_post(
        "Harbour",
        categories=[category],
        tags=[tag],
        author=admin,
        comment_status="open",
        published_at=timezone.now() - timedelta(days=2),
    )
    page = make_post("About", post_type="page", author=admin, published_at=timezone.now() - timedelta(days=3))
    comment = Comment.objects.create(
        post=post, author_name="Reader", content="<p>Fine.</p>", status=CommentStatus.APPROVED
    )
    media = Media.objects.create(title="Cranes", original_url="https://example.org/c.jpg")
    return {
        "post": post,
        "page": page,
        "comment": comment,
        "category": category,
        "tag": tag,
        "media": media,
        "admin": admin,
        "api": Api(client, admin, password),
        "anonymous": Api(client),
    }
