"""Inside a post every heading is set in one family (the title's), and tables are ruled."""

from datetime import UTC, datetime

import pytest

from byline.content.permalinks import permalink_for
from tests.factories import make_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STYLE = "(el, p) => getComputedStyle(el)[p]"
BODY = (
    "<p>Opening.</p><h1>One</h1><h2>Two</h2><h3>Three</h3><h4>Four</h4><h5>Five</h5><h6>Six</h6>"
    "<table><thead><tr><th>Year</th><th>Containers</th></tr></thead>"
    "<tbody><tr><td>1985</td><td>310,000</td></tr><tr><td>2024</td><td>41,000</td></tr></tbody></table>"
)


def test_headings_share_one_family_and_tables_are_ruled(live_server, page):
    post = make_post("Numbers", body=BODY, published_at=datetime(2025, 9, 20, tzinfo=UTC))
    page.goto(live_server.url + permalink_for(post))
    title_family = page.locator("h1.entry-title").evaluate(STYLE, "fontFamily")
    families = {
        tag: page.locator(f".entry-content {tag}").evaluate(STYLE, "fontFamily")
        for tag in ("h1", "h2", "h3", "h4", "h5", "h6")
    }
    assert set(families.values()) == {title_family}, families
    assert page.locator(".entry-content p").first.evaluate(STYLE, "fontFamily") != title_family

    cell = page.locator(".entry-content td").first
    header = page.locator(".entry-content th").first
    assert cell.evaluate(STYLE, "borderTopStyle") == "solid"
    assert float(cell.evaluate(STYLE, "paddingLeft").rstrip("px")) >= 8
    assert header.evaluate(STYLE, "backgroundColor") not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    assert page.locator(".entry-content table").evaluate(STYLE, "borderCollapse") == "collapse"
