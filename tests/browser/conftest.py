"""Playwright for Python driving Debian's Chromium (installed by `make test` with apt-get)."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("BYLINE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Headless, and quiet towards the network: this machine's sandbox refuses outside connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright runs its own event loop: Django must allow its ORM from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Debian's chromium is not installed at {CHROMIUM}: run `make test` (it installs it) "
            "or `apt-get install chromium`"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 1400}, device_scale_factor=1)
    page = context.new_page()
    outside = []
    # Any request that leaves the site (Gravatar, fonts, analytics) is recorded and refused.
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://localhost", "http://127.0.0.1"))
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page.outside_requests = outside
    yield page
    context.close()
