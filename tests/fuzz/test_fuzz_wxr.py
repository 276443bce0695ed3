"""The WXR importer under junk and mutated exports: it imports, or refuses the file with
WXRError and writes nothing; it never fails otherwise."""

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from byline.comments.models import Comment
from byline.content.models import Post
from byline.text import is_clean, safe_url
from byline.wxr.loader import import_wxr
from byline.wxr.records import WXRError
from tests.fuzz.conftest import fingerprint

pytestmark = pytest.mark.django_db

SAMPLE = (
    Path(__file__).resolve().parents[1] / "data/wxr/wordpress-importer/wxr-with-sub-data.xml"
).read_bytes()
JUNK = st.one_of(
    st.binary(max_size=40),
    st.sampled_from(
        [
            b"\x00",
            b"\x1b[2J",
            "\ufffe".encode(),
            b"\xff\xfe",
            b"&#0;",
            b"&#x1b;",
            b"&#xFFFE;",
            b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
            b"<![CDATA[",
            b"]]>",
            b"</item>",
            b"<wp:comment_author_url>javascript:alert(1)</wp:comment_author_url>",
            b"<wp:post_date_gmt>9999-12-31 23:59:59</wp:post_date_gmt>",
            b"<wp:post_id>1000000000000000000000000000000</wp:post_id>",
        ]
    ),
)
mutation = st.tuples(st.sampled_from(["insert", "delete", "replace"]), st.integers(0, len(SAMPLE)), JUNK)


def mutate(data: bytes, mutations) -> bytes:
    for op, at, junk in mutations:
        if op == "insert":
            data = data[:at] + junk + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + len(junk) + 1 :]
        else:
            data = data[:at] + junk + data[at + len(junk) :]
    return data


def import_or_refuse(data: bytes) -> None:
    before = fingerprint()
    try:
        import_wxr(io.BytesIO(data), name="fuzz.xml")
    except WXRError as exc:
        assert str(exc)  # a message the owner can act on
        assert fingerprint() == before
        return
    for comment in Comment.objects.all():
        assert is_clean(comment.author_name) and is_clean(comment.content)
        assert safe_url(comment.author_url) == comment.author_url
    for post in Post.objects.all():
        assert is_clean(post.title) and is_clean(post.body)


FUZZ = settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@FUZZ
@given(st.lists(mutation, min_size=1, max_size=4))
@example(
    [("insert", SAMPLE.index(b"<wp:comment_content>"), b"<wp:comment_author>Ctl\x1b[2J</wp:comment_author>")]
)
@example([("replace", SAMPLE.index(b"<title>") + 7, "\ufffe\ufdd0\u0085".encode())])
def test_a_mutated_export_imports_or_is_refused_whole(db, mutations):
    import_or_refuse(mutate(SAMPLE, mutations))


@FUZZ
@given(st.binary(max_size=300))
@example(b"")
@example(b"<rss/>")
@example(b"<?xml version='1.0' encoding='utf-16'?><rss/>")
@example(b"\xef\xbb\xbf<rss><channel><item>" * 50)
def test_junk_bytes_are_refused_with_a_message(db, data):
    import_or_refuse(data)
