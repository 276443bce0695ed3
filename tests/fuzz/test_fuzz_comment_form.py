"""The comment form (/wp-comments-post.php) under junk fields: never a 500, and a refused
comment stores nothing."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from byline.comments.models import Comment
from byline.options.store import set_option
from tests.fuzz.conftest import HOSTILE_TEXT, assert_handled

pytestmark = pytest.mark.django_db

FIELDS = [
    "author",
    "email",
    "url",
    "comment",
    "comment_post_ID",
    "comment_parent",
    "captcha_answer",
    "captcha_token",
    "website_confirm",
    "subscribe_replies",
    "wp-comment-cookies-consent",
    "zzz",
]
# Lone surrogates cannot travel in a form: a browser sends UTF-8, and Django decodes it.
value = st.one_of(
    st.sampled_from([t for t in HOSTILE_TEXT if "\ud800" not in t]),
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.integers(-(10**20), 10**20).map(str),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fields=st.dictionaries(st.sampled_from(FIELDS), value, max_size=8), use_post=st.booleans())
@example(fields={"author": "Ctl\x1b[2J", "comment": "Hi", "email": "a@example.org"}, use_post=True)
@example(fields={"author": "\x07", "comment": "Hi", "email": "a@example.org"}, use_post=True)
@example(fields={"author": "Ada", "comment": "x", "url": "javascript:alert(1)"}, use_post=True)
@example(fields={"comment_parent": str(10**30), "comment": "Hi"}, use_post=True)
@example(fields={"comment_post_ID": str(10**30), "comment": "Hi"}, use_post=False)
def test_the_comment_form_never_fails(client, small_site, fields, use_post):
    set_option("captcha_enabled", "0")  # reach the checks after the sum too
    data = dict(fields)
    if use_post:
        data["comment_post_ID"] = str(small_site["post"].pk)
    before = Comment.objects.count()
    r = client.post("/wp-comments-post.php", data)
    assert_handled(r)
    if r.status_code != 303:
        assert Comment.objects.count() == before
    for comment in Comment.objects.all():
        assert "javascript:" not in comment.author_url
        assert "\x1b" not in comment.author_name and "\x07" not in comment.author_name
