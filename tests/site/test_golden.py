"""Golden output of the default theme's key pages on the demo site.

A change to the theme shows up here as a diff to review. After a deliberate change:
`make golden` (pytest tests/site/test_golden.py --update-golden) and commit the new files.
"""

import difflib
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parents[1] / "golden"
PAGES = {
    "post": "/2025/09/the-cranes-come-down/",
    "home": "/",
    "category": "/category/harbour/",
    "page": "/about/",
}


def normalise(page: str) -> str:
    """Database ids differ between SQLite and PostgreSQL runs; everything else must not."""
    page = re.sub(r"((?:post|page|media|correction|comment)-)\d+", r"\1N", page)
    page = re.sub(r"(/postpass/|\?p=)\d+", r"\1N", page)
    page = re.sub(r'(name="comment_post_ID" value=")\d+', r"\1N", page)
    # Each form gets a fresh CSRF token and a fresh random sum.
    page = re.sub(r'(name="(?:csrfmiddlewaretoken|captcha_token)" value=")[^"]*', r"\1TOKEN", page)
    page = re.sub(r'(<span class="captcha-question">)[^<]*', r"\1SUM", page)
    return page


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_golden_page(client, demo, request, name):
    page = normalise(client.get(PAGES[name]).content.decode())
    path = GOLDEN / f"{name}.html"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(page)
    assert path.exists(), f"no golden file {path}: run `make golden`"
    expected = path.read_text()
    if page != expected:
        diff = "".join(
            difflib.unified_diff(expected.splitlines(True), page.splitlines(True), "golden", "now")
        )
        pytest.fail(f"{name} differs from {path} (run `make golden` if the change is meant):\n{diff[:4000]}")
