"""Home, an archive and a feed as a reader's browser shows them, on a phone and a desktop."""

import pytest

from byline.content.models import BodyFormat
from tests.factories import make_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)
IMPORTED = (
    "<!-- wp:paragraph -->\n<p>"
    + " ".join(f"word{i}" for i in range(70))
    + "</p>\n<!-- /wp:paragraph -->\n[contact-form-7 id='1']"
)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/", "/category/harbour/"])
def test_lists_show_excerpts_and_loaded_thumbnails_without_sideways_scrolling(
    live_server, demo, page, width, path, tmp_path
):
    make_post(
        "An imported post", body=IMPORTED, body_format=BodyFormat.WORDPRESS, categories=demo.categories.all()
    )
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(live_server.url + path)
    thumbs = page.locator(".post-thumbnail img")
    assert thumbs.count() >= 1
    for i in range(thumbs.count()):
        img = thumbs.nth(i)
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
        box = img.bounding_box()
        assert 100 <= box["width"] <= width, box
    imported = page.locator("article", has_text="An imported post").locator(".p-summary").inner_text()
    assert imported.startswith("word0 word1") and imported.endswith("word54…")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if path == "/":
        assert page.locator(".pinned-label").inner_text().strip().lower() == "pinned"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(tmp_path / f"list-{width}.png"))
    assert page.outside_requests == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_browser_opening_the_feed_shows_what_to_do_with_it(live_server, demo, page, width, tmp_path):
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(live_server.url + "/feed/")
    assert page.evaluate("document.contentType") == "application/xml"
    hint = page.evaluate(
        """() => {
        const self = [...document.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'link')]
            .find(l => l.getAttribute('rel') === 'self');
        return getComputedStyle(self, '::before').content + getComputedStyle(self, '::after').content;
    }"""
    )
    assert "This is a feed" in hint and "Copy this address into your feed reader" in hint
    assert live_server.url + "/feed/" in hint
    # The raw HTML of the entries stays hidden; the titles show.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    title = page.evaluate("getComputedStyle(document.querySelector('item > title')).display")
    assert title == "block"
    page.screenshot(path=str(tmp_path / f"feed-{width}.png"))
