"""Feeds read away from the site: absolute addresses, sized images, a page for browsers, WebSub."""

import io
import re

import feedparser
import pytest
from lxml import etree
from PIL import Image

from byline.content import services
from byline.content.models import BodyFormat
from byline.options.store import set_option
from byline.site.feed_content import absolute_urls, add_image_sizes
from tests.factories import make_post

pytestmark = pytest.mark.django_db

FEEDS = ("/feed/", "/feed/atom/", "/comments/feed/", "/comments/feed/atom/")


def photo(name="quay.jpg", width=1800, height=1200):
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buf, "JPEG")
    return services.create_media(buf.getvalue(), name, alt="The quay")


def entry_html(client, path="/feed/"):
    """The newest entry's full text as the feed carries it (feedparser would drop srcset)."""
    raw = client.get(path).content
    assert not feedparser.parse(raw).bozo
    root = etree.fromstring(raw)
    found = root.xpath("(//*[local-name()='encoded' or (local-name()='content' and @type='html')])[1]/text()")
    return found[0]


def urls_in(fragment: str) -> list[str]:
    doc = etree.HTML(f"<div>{fragment}</div>")
    found = []
    for el in doc.iter():
        for name in ("src", "href", "poster", "cite"):
            if el.get(name):
                found.append(el.get(name))
        if el.get("srcset"):
            found += [part.split()[0] for part in el.get("srcset").split(",")]
    return found


@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/"])
def test_every_address_in_a_feed_entry_is_absolute(client, demo, path):
    body = entry_html(client, path)
    urls = urls_in(body)
    assert len(urls) > 5  # the demo post's photos, their sizes and its links
    assert [u for u in urls if not re.match(r"(https?|mailto|tel):", u)] == []
    assert "http://testserver/media/" in body


def test_relative_links_point_at_the_site_and_anchors_at_the_post(client):
    make_post(
        "Linked", body='<p><a href="/about/">About</a> <a href="#notes">notes</a></p><h2 id="notes">N</h2>'
    )
    urls = urls_in(entry_html(client))
    assert "http://testserver/about/" in urls
    assert "http://testserver/2025/09/linked/#notes" in urls


def test_comment_links_in_the_comment_feeds_are_absolute(client, demo):
    from byline.comments.models import Comment

    Comment.objects.create(
        post=demo, author_name="Ana", status="approved", content='See <a href="/about/">the about page</a>.'
    )
    for path in ("/comments/feed/", "/comments/feed/atom/", "/2025/09/the-cranes-come-down/feed/"):
        feed = feedparser.parse(client.get(path).content)
        described = " ".join(e.summary for e in feed.entries)
        assert 'href="http://testserver/about/"' in described, path


def test_images_carry_width_and_height(client):
    media = photo()
    wordpress = (
        f'<img src="/media/{media.file.name}" alt="a">\n\n'
        '<img src="https://old.example/wp-content/uploads/2015/09/cat-300x200.jpg" alt="b">'
    )
    make_post("Sized", body=wordpress, body_format=BodyFormat.WORDPRESS)
    doc = etree.HTML(entry_html(client))
    sizes = [(img.get("width"), img.get("height")) for img in doc.iter("img")]
    assert sizes == [("1800", "1200"), ("300", "200")]


def test_a_browser_opening_the_feed_is_given_a_stylesheet(client, demo):
    for path in FEEDS:
        body = client.get(path).content
        assert b'<?xml-stylesheet href="/static/byline/feed.css" media="screen" type="text/css"?>' in body
        assert not feedparser.parse(body).bozo
    css = client.get("/static/byline/feed.css")
    assert css.status_code == 200
    assert b"This is a feed" in b"".join(css.streaming_content)
    css.close()


@pytest.mark.parametrize("path", FEEDS)
def test_browsers_get_xml_they_style_and_readers_the_feed_type(client, demo, path):
    browser = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9"})
    assert browser["Content-Type"] == "application/xml; charset=utf-8"
    reader = client.get(path, headers={"Accept": "application/rss+xml, application/atom+xml, */*"})
    assert reader["Content-Type"].startswith(("application/rss+xml", "application/atom+xml"))
    # The same feed (an empty feed's <updated> or <lastBuildDate> is the time of the request).
    same = re.compile(rb"<(updated|lastBuildDate)>[^<]*</\1>")
    assert same.sub(b"", browser.content) == same.sub(b"", reader.content)
    assert "Accept" in browser["Vary"]


def test_no_websub_hub_unless_one_is_configured(client, demo):
    for path in FEEDS:
        assert b'rel="hub"' not in client.get(path).content
    set_option("websub_hub", "https://hub.example.org/")
    for path in FEEDS:
        root = etree.fromstring(client.get(path).content)
        hubs = root.xpath("//*[local-name()='link'][@rel='hub']/@href")
        assert hubs == ["https://hub.example.org/"], path


def test_a_hub_that_is_not_a_web_address_is_refused(db):
    from byline.options.registry import InvalidOption

    with pytest.raises(InvalidOption, match="http:// or https://"):
        set_option("websub_hub", "javascript:alert(1)")


def test_absolute_urls_leave_absolute_ones_and_fix_srcset():
    html = (
        '<img src="/a.jpg" srcset="/a-320w.jpg 320w, https://cdn.example/b.jpg 640w">'
        '<a href="mailto:x@y.z">m</a>'
    )
    out = absolute_urls(html, "https://blog.example/2025/09/p/")
    assert out == (
        '<img src="https://blog.example/a.jpg" srcset="https://blog.example/a-320w.jpg 320w, '
        'https://cdn.example/b.jpg 640w"><a href="mailto:x@y.z">m</a>'
    )


def test_an_image_of_unknown_size_is_left_as_it_is():
    assert add_image_sizes('<img src="https://x.example/a.jpg">', {}) == '<img src="https://x.example/a.jpg">'
