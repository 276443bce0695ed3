"""The default theme holds on every screen: no page scrolls sideways, nothing is cut off.

Every page type (home, a post with figures, a table, a clipping, corrections, comments and the
form, a post with 300 photos, a 500-comment thread ten levels deep, a page, the category, tag,
author and date archives, search and the 404) at 320, 390, 768, 1024 and 1440 px wide, with 0, 3
and 15 pages in the menu, long unbroken words, Arabic, Hebrew and CJK in titles and comments.
"""

import pytest

from byline.comments.display import PAGE_LIMIT
from tests.browser.hostile_site import build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 390, 768, 1024, 1440)

# Visible boxes that reach past the right edge of the window (outside a scrolling table), boxes
# whose text is wider than the box that shows it, and buttons whose label breaks over two lines.
OVERFLOWING = """() => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  const skip = '.screen-reader-text, .skip-link, .comment-form-website-confirm, table, '
             + 'details:not([open]) ul';
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest(skip)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const clips = getComputedStyle(el).overflowX !== 'visible';
    if (r.right > vw + 1 || (clips && el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'TABLE')) {
      out.push(el.tagName.toLowerCase() + '.' + el.className + ' right=' + Math.round(r.right));
    }
    if (el.matches('button, summary, .button')) {  // a control's label never breaks ("Searc / h")
      const range = document.createRange(); range.selectNodeContents(el);
      const lines = new Set([...range.getClientRects()].map(x => Math.round(x.top))).size;
      if (lines > 1) out.push(el.tagName.toLowerCase() + ' label on ' + lines + ' lines');
    }
  }
  return out.slice(0, 5);
}"""


@pytest.mark.parametrize("menu_pages", [0, 3, 15])
def test_no_page_scrolls_sideways(live_server, page, menu_pages):
    urls = build_site(menu_pages)
    seen = []
    for kind, path in urls.items():
        page.set_viewport_size({"width": 1440, "height": 900})
        response = page.goto(live_server.url + path)
        assert response.status == (404 if kind == "404" else 200), kind
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, (
                f"{kind} at {width}px with {menu_pages} menu pages: {scroll_width}px wide"
            )
            assert page.evaluate(OVERFLOWING) == [], f"{kind} at {width}px with {menu_pages} menu pages"
            seen.append((kind, width))
    assert len(seen) == len(urls) * len(WIDTHS)
    assert page.outside_requests == []


def test_user_text_carries_its_own_direction(live_server, page):
    urls = build_site(3)
    shown = deepest = 0
    directions = []
    # 500 comments: no comment page shows more than PAGE_LIMIT, so read every page.
    for number in range(1, -(-500 // PAGE_LIMIT) + 1):
        page.goto(live_server.url + urls["thread"] + f"comment-page-{number}/")
        assert page.locator("h1.entry-title").get_attribute("dir") == "auto"
        shown += page.locator(".comment-content").count()
        assert page.locator(".comment-content:not([dir=auto])").count() == 0
        deepest += page.locator(".depth-10").count()
        # A name written in Arabic reads right to left, the English around it left to right.
        arabic = page.locator(".comment-author .fn bdi", has_text="مريم")
        directions += [
            arabic.nth(i).evaluate("el => getComputedStyle(el).direction") for i in range(arabic.count())
        ]
    assert (shown, deepest) == (500, 50)
    assert directions and set(directions) == {"rtl"}
    page.goto(live_server.url + "/")
    assert page.locator(".post-summary .entry-title a:not([dir=auto])").count() == 0
    assert page.locator(".site-nav a:not([dir=auto])").count() == 0


@pytest.mark.parametrize("menu_pages", [3, 15])
def test_menu_items_keep_to_one_line_at_1280(live_server, page, menu_pages):
    build_site(menu_pages)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    links = page.locator(".site-nav a")
    assert links.count() == min(menu_pages, 12)  # the menu shows at most 12 pages
    for i in range(links.count()):
        assert links.nth(i).is_visible()  # open on a wide screen, no button to press
        lines = links.nth(i).evaluate(
            """a => { const r = document.createRange(); r.selectNodeContents(a);
                      return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }"""
        )
        assert lines == 1, links.nth(i).inner_text()
    assert not page.locator(".menu-disclosure > summary").is_visible()


def test_small_screens_fold_the_menu_and_put_the_tagline_under_the_name(live_server, browser):
    build_site(15)
    context = browser.new_context(viewport={"width": 390, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    summary = page.locator(".menu-disclosure > summary")
    first = page.locator(".site-nav a").first
    assert summary.is_visible() and summary.inner_text() == "Menu"
    assert not first.is_visible()
    assert summary.bounding_box()["height"] >= 44
    summary.click()  # a <details>: opens without any script
    assert first.is_visible()
    assert page.locator(".site-nav a").nth(11).is_visible()
    name = page.locator(".site-title").bounding_box()
    tagline = page.locator(".site-description").bounding_box()
    assert tagline["y"] >= name["y"] + name["height"] - 1  # under the name, not beside it
    assert abs(tagline["x"] - name["x"]) < 1
    assert tagline["height"] < 3 * 24  # at most two lines, not a squeezed column
    context.close()
