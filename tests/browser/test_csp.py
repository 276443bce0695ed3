"""The Content-Security-Policy breaks nothing a reader or an editor uses: no violation on the
theme's pages or the admin's, and a refused sign-in says when to try again."""

import pytest

from byline.content.services import create_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__cspViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


def violations(page) -> list:
    return page.evaluate("window.__cspViolations")


def test_no_page_of_the_theme_or_the_admin_violates_the_policy(live_server, demo, page):
    create_user("boss", email="boss@example.org", role="administrator", password="a long pass phrase")
    page.add_init_script(WATCH)
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    seen = {}
    for path in ["/", "/2025/09/the-cranes-come-down/", "/category/harbour/", "/?s=cranes", "/no-such-page/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        seen[path] = violations(page)

    page.goto(live_server.url + "/admin/login/?next=/admin/")  # the desk's /wp-login.php
    page.fill("#user_login", "boss")
    page.fill("#user_pass", "a long pass phrase")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    for path in [
        "/admin/",
        "/admin/content/post/",
        f"/admin/content/post/{demo.pk}/change/",
        "/admin/content/post/add/",
        "/admin/content/media/",
        "/wp-admin/",
        "/wp-admin/edit.php",
        "/wp-admin/upload.php",
        "/wp-admin/edit-comments.php",
        "/wp-admin/profile.php",
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        seen[path] = violations(page)
    # The admin's own scripts run: a category's slug is filled from its name as it is typed.
    page.goto(live_server.url + "/admin/content/category/add/")
    page.locator("#id_name").press_sequentially("Fresh words")
    assert page.input_value("#id_slug") == "fresh-words"
    seen["/admin/content/category/add/"] = violations(page)
    assert {path: found for path, found in seen.items() if found} == {}
    assert console == []


def test_a_refused_sign_in_says_when_to_try_again(live_server, db, browser, tmp_path):
    create_user("boss", email="boss@example.org", role="administrator", password="a long pass phrase")
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for password in ["nope"] * 5 + ["a long pass phrase"]:
            page.goto(live_server.url + "/wp-login.php")
            page.fill("#user_login", "boss")
            page.fill("#user_pass", password)
            page.click("button[type=submit]")
            page.wait_for_load_state("load")
        note = page.locator("#login-error").inner_text()
        assert note == "Too many failed sign-ins from your address. Please try again in 15 minutes."
        assert "/wp-login.php" in page.url  # not signed in
        page.screenshot(path=str(tmp_path / f"login-refused-{width}.png"))  # looked at by eye
        context.close()
        from axes.models import AccessAttempt

        AccessAttempt.objects.all().delete()  # the next width starts afresh
