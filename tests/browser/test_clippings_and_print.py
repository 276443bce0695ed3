"""What the writer quoted looks quoted, and an article prints cleanly."""

from datetime import UTC, datetime

import pytest

from byline.content.permalinks import permalink_for
from byline.options.store import set_option
from tests.factories import make_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STYLE = "(el, p) => getComputedStyle(el)[p]"

STRUCTURED = (
    "<p>My note before the clipping.</p>"
    '<blockquote class="clipping h-cite" cite="https://example.org/courier">'
    "<p>RIVERTON — The cranes come down in October.</p>"
    '<footer class="clipping-source">By Jonas Berg, <cite>The Riverton Courier</cite>,'
    " September 12, 2025</footer>"
    "</blockquote><p>My note after it.</p>"
)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_clipped_story_is_set_apart_from_the_writers_text(live_server, demo, page, width):
    structured = make_post("Clipped", body=STRUCTURED, published_at=datetime(2025, 9, 20, tzinfo=UTC))
    page.set_viewport_size({"width": width, "height": 900})
    for address, source_text in (
        (permalink_for(demo), "By Jonas Berg, September 12, 2025"),  # today's shape: <blockquote>…<footer>
        (permalink_for(structured), "By Jonas Berg, The Riverton Courier, September 12, 2025"),
    ):
        page.goto(live_server.url + address)
        own = page.locator(".entry-content > p").first
        clip = page.locator(".entry-content blockquote", has=page.locator("footer")).first
        quoted = clip.locator("p").first
        source = clip.locator("footer")
        assert source.inner_text() == source_text

        # The quotation: another face, a tinted panel and a rule down its side.
        assert quoted.evaluate(STYLE, "fontFamily") != own.evaluate(STYLE, "fontFamily")
        assert clip.evaluate(STYLE, "backgroundColor") not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
        assert float(clip.evaluate(STYLE, "borderLeftWidth").rstrip("px")) >= 3
        # Its source line: on a line of its own under a rule, smaller, after the quoted text.
        assert source.evaluate(STYLE, "display") == "block"
        assert float(source.evaluate(STYLE, "borderTopWidth").rstrip("px")) >= 1
        assert source.bounding_box()["y"] > quoted.bounding_box()["y"] + quoted.bounding_box()["height"]
        assert float(source.evaluate(STYLE, "fontSize").rstrip("px")) < float(
            quoted.evaluate(STYLE, "fontSize").rstrip("px")
        )
        # The writer's own paragraphs stay outside the panel.
        assert own.evaluate("el => !el.closest('blockquote')")


def test_an_article_prints_without_form_or_navigation(live_server, demo, page):
    for n in range(3):
        make_post(f"Page {n}", post_type="page")
    set_option("blogdescription", "News from the river mouth")
    linked = make_post(
        "Linked",
        body='<p>Read <a href="https://example.org/report">the report</a>'
        ' and <a href="/about/">about us</a>.</p>',
        published_at=datetime(2025, 9, 20, tzinfo=UTC),
    )
    page.goto(live_server.url + permalink_for(linked))
    assert page.locator("#commentform").is_visible()
    assert page.locator(".site-nav").is_visible()
    page.emulate_media(media="print")
    for hidden in ("#commentform", "#comments", ".site-nav", ".search-form", ".site-footer", ".skip-link"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("h1.entry-title").is_visible()
    assert page.locator(".entry-content").is_visible()
    assert page.locator(".author-box").is_visible()
    after = "el => getComputedStyle(el, '::after').content"
    assert (
        page.locator(".entry-content a", has_text="the report").evaluate(after)
        == '" <https://example.org/report>"'
    )
    assert page.locator(".entry-content a", has_text="about us").evaluate(after) == '" </about/>"'
    assert page.pdf(format="A4")[:5] == b"%PDF-"
