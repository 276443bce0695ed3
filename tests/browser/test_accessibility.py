"""axe-core (the npm package, installed by `make test` with `npm ci` in tests/browser/node) finds
no serious or critical problem on any page type; the page has a skip link and its headings in order."""

import subprocess
from pathlib import Path

import pytest

from byline.comments.models import Comment
from byline.comments.services import import_comment
from byline.options.store import set_option

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NODE_DIR = Path(__file__).parent / "node"
AXE = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"

PAGES = {
    "home": "/",
    "post": "/2025/09/the-cranes-come-down/",
    "archive": "/category/harbour/",
    "search": "/?s=tide",
    "404": "/nothing-lives-here/",
    "page": "/about/",
}


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE.exists():  # `make test` runs `npm ci` first; a bare pytest run does it here
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True, timeout=300)
    return AXE


@pytest.fixture
def site(demo):
    """The demo site with a short thread of comments under the reference post."""
    set_option("captcha_min_seconds", "0")
    first = import_comment(
        demo,
        author_name="Ada Reader",
        content="<p>Which crane is kept?</p>",
        status="approved",
        created_at=demo.published_at,
    )
    import_comment(
        demo,
        author_name="Mara Lindqvist",
        content="<p>The middle one, if the council agrees.</p>",
        status="approved",
        created_at=demo.published_at,
        parent=first,
    )
    return demo


def violations(page) -> list[str]:
    """Serious and critical problems, and any about landmarks or the order of headings.

    axe is loaded with page.add_init_script: not an inline script, so no CSP needs to allow it.
    """
    return page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return result.violations
            .filter(v => ['serious', 'critical'].includes(v.impact)
                         || ['heading-order', 'page-has-heading-one', 'skip-link', 'region'].includes(v.id))
            .map(v => v.id + ' (' + v.impact + '): '
                       + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
        }"""
    )


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_nothing_serious(live_server, site, page, axe_source, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.add_init_script(path=str(axe_source))
    page.goto(live_server.url + PAGES[name])
    assert page.title()
    if name == "post":
        assert page.locator(".comment-list .children .comment").count() == 1
        assert page.locator("#commentform").count() == 1
    assert violations(page) == []


def test_axe_finds_nothing_serious_in_a_refused_comment(live_server, site, page, axe_source):
    page.add_init_script(path=str(axe_source))
    page.goto(live_server.url + PAGES["post"])
    page.fill("#comment", "No name, no email.")
    page.evaluate("document.getElementById('commentform').noValidate = true")
    page.click("#submit")
    page.wait_for_load_state("load")
    assert page.locator("#comment-error").is_visible()
    assert violations(page) == []
    assert Comment.objects.count() == 2  # nothing was saved


@pytest.mark.parametrize("name", sorted(PAGES))
def test_skip_link_and_headings_in_order(live_server, site, page, name):
    page.goto(live_server.url + PAGES[name])
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to content"
    assert skip.is_visible()  # shown when it takes focus
    skip.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
    assert levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels  # never skip a level going down
