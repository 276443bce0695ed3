"""Behind a reverse proxy, flood checks and the privacy tools see the reader's address, not the proxy's."""

import pytest
from django.test import override_settings

from byline.comments.models import Comment
from byline.options.store import set_option
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def post_comment(client, post, **headers):
    set_option("captcha_enabled", "0")
    set_option("comment_flood_interval", "0")
    return client.post(
        "/wp-comments-post.php",
        {
            "comment_post_ID": post.pk,
            "comment_parent": "0",
            "author": "Ana",
            "email": "ana@example.org",
            "comment": "Hello from behind nginx.",
        },
        **headers,
    )


@pytest.mark.parametrize(
    "trusted,remote,forwarded,expected",
    [
        ([], "127.0.0.1", "203.0.113.5", "127.0.0.1"),  # no trusted proxy: the header is ignored
        (["127.0.0.1"], "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        (["127.0.0.1"], "127.0.0.1", "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the nearest hop
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "203.0.113.5, 10.1.2.3", "203.0.113.5"),
        (["127.0.0.1"], "192.0.2.9", "203.0.113.5", "192.0.2.9"),  # not from the proxy: not believed
        (["127.0.0.1"], "127.0.0.1", "not-an-address", "127.0.0.1"),
    ],
)
def test_the_readers_address(client, trusted, remote, forwarded, expected):
    post = make_post("Proxy", comment_status="open")
    with override_settings(BYLINE_TRUSTED_PROXIES=trusted):
        r = post_comment(client, post, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert r.status_code == 303
    assert Comment.objects.get().author_ip == expected
