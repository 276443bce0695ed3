"""Hostile text and addresses from readers, importers and API clients: every feed still
parses, and no page, feed or API answer carries a `javascript:` link."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree, html

from byline.comments.models import Comment, CommentStatus
from byline.content.permalinks import permalink_for
from byline.content.services import create_user
from byline.options.store import set_option
from tests.api.conftest import _user_api
from tests.comments.test_comment_flow import leave
from tests.factories import make_post

pytestmark = pytest.mark.django_db

COMMENT_FEEDS = ("/comments/feed/", "/comments/feed/atom/")
CONTROL_NAMES = ["Ctl\x1b[2J", "Bell\x07Ringer", "Non\ufffeChar", "Del\x7f"]


@pytest.fixture
def post():
    set_option("captcha_min_seconds", "0")
    set_option("comment_flood_interval", "0")
    set_option("comment_previously_approved", "0")
    set_option("comment_moderation", "0")
    return make_post(
        "Talk of the town", comment_status="open", published_at=timezone.now() - timedelta(days=1)
    )


def feeds_of(post) -> list[str]:
    return [*COMMENT_FEEDS, permalink_for(post) + "feed/", permalink_for(post) + "feed/atom/"]


def strict_xml(content: bytes):
    """A feed as a strict XML parser reads it: any character XML 1.0 forbids is an error."""
    return etree.fromstring(content, etree.XMLParser(recover=False, resolve_entities=False))


@pytest.mark.parametrize("name", CONTROL_NAMES)
def test_a_commenter_name_with_control_characters_breaks_no_feed(client, post, name):
    r = leave(client, permalink_for(post), author=name, text="Hello from a strange name.")
    assert r.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.APPROVED
    # The name is kept minus the characters no XML or JSON document may hold.
    assert comment.author_name == "".join(c for c in name if c.isalnum() or c in "[]")
    for path in feeds_of(post):
        r = client.get(path)
        assert r.status_code == 200, path
        strict_xml(r.content)


def test_a_name_of_control_characters_only_is_no_name(client, post):
    r = leave(client, permalink_for(post), author="\x07")
    assert r.status_code == 400
    assert "Please type your name." in r.content.decode()
    assert not Comment.objects.exists()


def test_a_bad_row_already_stored_breaks_no_feed(client, post):
    """Defence in depth: a row written before the fix, or by hand, still gives valid feeds."""
    Comment.objects.create(
        post=post,
        author_name="Ctl\x1b[2J\ufffe",
        content="<p>hi\x07 there</p>",
        status=CommentStatus.APPROVED,
    )
    for path in feeds_of(post):
        r = client.get(path)
        assert r.status_code == 200, path
        doc = strict_xml(r.content)
        assert "Ctl[2J" in etree.tostring(doc, encoding="unicode")


def test_a_subscriber_cannot_break_the_feeds_through_rest(client, post):
    sue = _user_api(client, "sue", "subscriber")
    for name in [*CONTROL_NAMES, "\x07"]:
        r = sue.post("comments", {"post": post.pk, "author_name": name, "content": "Hi there."})
        assert r.status_code == 400, name
        assert r.json()["code"] == "rest_invalid_param"
        assert "not allowed" in r.json()["data"]["params"]["author_name"]
    # A lone surrogate cannot even be decoded (PHP's json_decode refuses it too).
    r = sue.post("comments", {"post": post.pk, "author_name": "Lone\ud800", "content": "Hi there."})
    assert (r.status_code, r.json()["code"]) == (400, "rest_invalid_json")
    assert not Comment.objects.exists()
    for path in feeds_of(post):
        strict_xml(client.get(path).content)


def test_crlf_from_a_textarea_is_stored_as_newlines(client, post):
    leave(client, permalink_for(post), text="First line.\r\nSecond line.\rThird.")
    assert "\r" not in Comment.objects.get().content


# --- addresses ----------------------------------------------------------------------------------

JAVASCRIPT = "javascript:alert(document.cookie)"


def test_a_javascript_author_url_stored_by_an_old_import_is_never_shown(client, post):
    comment = Comment.objects.create(
        post=post,
        author_name="Mallory",
        content="<p>hi</p>",
        status=CommentStatus.APPROVED,
        author_url=JAVASCRIPT,
    )
    page = client.get(permalink_for(post))
    doc = html.fromstring(page.content)
    name = doc.xpath(f"//*[@id='comment-{comment.pk}']//*[contains(@class, 'fn')]")[0]
    assert name.text_content().strip() == "Mallory"
    assert not name.xpath(".//a")  # the name, without a link
    assert b"javascript:" not in page.content
    r = Client().get(f"/wp-json/wp/v2/comments/{comment.pk}")
    assert r.json()["author_url"] == ""


def test_a_javascript_author_url_in_an_export_is_dropped_on_import(tmp_path, post):
    from byline.wxr.loader import import_wxr

    export = tmp_path / "export.xml"
    export.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old</title><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Imported</title><dc:creator>admin</dc:creator><content:encoded><![CDATA[Body]]></content:encoded>
<wp:post_id>7</wp:post_id>
<wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt><wp:post_name>imported</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Mallory</wp:comment_author>
<wp:comment_author_url>{JAVASCRIPT}</wp:comment_author_url>
<wp:comment_date_gmt>2020-01-02 10:00:00</wp:comment_date_gmt>
<wp:comment_content>Hi</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>
</item></channel></rss>""",
        encoding="utf-8",
    )
    import_wxr(export)
    assert Comment.objects.get(author_name="Mallory").author_url == ""


def test_an_unsafe_author_website_is_refused_and_never_shown(client, post):
    with pytest.raises(Exception, match="http or https"):
        create_user("mallory", email="m@example.org", role="author", website=JAVASCRIPT)
    author = post.author
    author.profile.website = JAVASCRIPT  # as a row written before this check
    author.profile.save()
    page = client.get(permalink_for(post))
    assert page.status_code == 200
    assert b"javascript:" not in page.content
    r = client.get(f"/wp-json/wp/v2/users/{author.pk}")
    assert r.json()["url"] == ""


def test_an_admin_form_keeps_the_text_without_control_characters(admin_client):
    from byline.content.models import Tag

    r = admin_client.post("/admin/content/tag/add/", {"name": "Cranes\x07\x1b[2J", "slug": "cranes\ufffe"})
    assert r.status_code == 302
    tag = Tag.objects.get()
    assert (tag.name, tag.slug) == ("Cranes[2J", "cranes")
    r = admin_client.get("/admin/content/tag/?q=Cranes%00")
    assert r.status_code == 200
