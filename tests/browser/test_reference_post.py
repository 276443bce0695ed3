"""A reader opens the demo's reference post in a real browser (Debian's Chromium)."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The README shows docs/screenshot.png, a copy of this shot taken by hand when the theme changes;
# the test itself writes only under tests/.artifacts so a run leaves the checkout clean.
SCREENSHOT = Path(__file__).parents[1] / ".artifacts" / "reference-post.png"


def test_reader_sees_the_reference_post(live_server, demo, page):
    page.goto(live_server.url + "/")
    page.click("text=The Cranes Come Down")
    page.wait_for_load_state("load")
    assert page.url.endswith("/2025/09/the-cranes-come-down/")
    assert page.title() == "The Cranes Come Down – The Harbour Ledger"
    assert page.locator("h1.entry-title").inner_text() == "The Cranes Come Down"
    assert page.locator(".dek").first.inner_text().startswith("Three stories")

    # Both photos load (their srcset answers) and show caption and credit apart.
    figures = page.locator(".e-content figure")
    assert figures.count() == 2
    for i in range(2):
        img = figures.nth(i).locator("img")
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
        assert figures.nth(i).locator("figcaption .credit").text_content().startswith("Credit: ")

    corrections = page.locator(".correction")
    assert corrections.count() == 2
    assert "September 16, 2025" in corrections.nth(0).inner_text()
    assert page.locator(".author-box h2").inner_text() == "About Mara Lindqvist"
    taxonomy = page.locator(".entry-taxonomy").inner_text()
    assert taxonomy == "This entry was posted in Harbour. Bookmark the permalink."
    assert page.locator("#comments").count() == 1

    # Sections can be linked to.
    page.goto(live_server.url + "/2025/09/the-cranes-come-down/#my-reading")
    assert page.evaluate("document.getElementById('my-reading').tagName") == "H2"

    assert page.outside_requests == []  # nothing asked of any third party

    page.goto(live_server.url + "/2025/09/the-cranes-come-down/")
    page.locator("figure").first.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(200)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)
    assert SCREENSHOT.stat().st_size > 20_000


def test_reader_follows_the_category_and_author_links(live_server, demo, page):
    page.goto(live_server.url + "/2025/09/the-cranes-come-down/")
    page.click(".entry-taxonomy a[rel~='category']")
    assert page.url.endswith("/category/harbour/")
    assert page.locator("h1.archive-title").inner_text() == "Category: Harbour"
    page.go_back()
    page.click(".author-box a.p-name")
    assert page.url.endswith("/author/mara/")
    assert page.locator("article.h-entry").count() == 6


def test_reader_searches(live_server, demo, page):
    page.goto(live_server.url + "/")
    page.fill("input[name=s]", "tide")
    page.press("input[name=s]", "Enter")
    page.wait_for_load_state("load")
    assert "Why the tide tables were wrong in June" in page.content()
