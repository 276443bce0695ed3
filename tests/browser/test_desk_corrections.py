"""In real Chromium: a published correction is edited, then withdrawn, from the editor's side panel;
the public page says "Updated" and then shows it struck through with "Withdrawn"; the panel keeps
every earlier text."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from byline.content import services
from byline.content.models import Correction, CorrectionRevision
from byline.content.permalinks import permalink_for
from tests.factories import make_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).parents[1] / ".artifacts" / "desk"


def signed_in_context(browser, live_server, user, width):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    return context


@pytest.mark.parametrize("width", [390, 1280])
def test_a_correction_is_edited_then_withdrawn_visibly(browser, live_server, width):
    editor = services.create_user("edda", email="edda@example.org", role="editor", password="x-Pass-93!")
    post = make_post("Tide tables", author=editor, published_at=datetime(2025, 9, 15, 10, tzinfo=UTC))
    correction = services.add_correction(
        post, "The June table was wrong.", date=datetime(2025, 9, 16, 9, tzinfo=UTC)
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = signed_in_context(browser, live_server, editor, width)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "Withdraw this correction?"
    try:
        page.goto(f"{live_server.url}/wp-admin/post.php?post={post.pk}&action=edit")
        panel = page.locator("#ed-corrections")
        edit = panel.get_by_role("button", name="Edit correction of 16 Sep 2025 09:00")
        edit.click()
        assert page.get_by_label("Correction text").input_value() == "The June table was wrong."
        page.get_by_label("Correction text").fill("The June table was a week late.")
        page.get_by_role("button", name="Save correction").click()
        page.get_by_text("Correction updated; the earlier text is kept in its history.").wait_for()
        item = panel.locator(f"#ed-correction-{correction.pk}")
        assert "The June table was a week late." in item.inner_text()
        assert "Updated" in item.inner_text()
        item.get_by_text("Earlier versions (1)").click()
        assert "The June table was wrong." in item.locator("details").inner_text()
        panel.scroll_into_view_if_needed()
        panel.screenshot(path=str(SHOTS / f"editor-correction-edited-{width}.png"))

        reader = context.new_page()
        reader.goto(live_server.url + permalink_for(post))
        shown = reader.locator(f"#correction-{correction.pk}")
        assert "The June table was a week late." in shown.inner_text()
        assert shown.locator(".correction-note").inner_text().startswith("Updated ")

        item.get_by_role("button", name="Withdraw correction of 16 Sep 2025 09:00").click()
        page.get_by_text("Correction withdrawn; it stays on the post, struck through.").wait_for()
        assert item.locator("del").inner_text().endswith("The June table was a week late.")
        assert item.get_by_role("button").count() == 0  # no Edit or Withdraw on a withdrawn one
        # Focus stays in the list, on the correction just changed (its history's summary).
        assert page.evaluate("document.activeElement.closest('li')?.id") == f"ed-correction-{correction.pk}"
        item.get_by_text("Earlier versions (2)").click()
        panel.screenshot(path=str(SHOTS / f"editor-correction-withdrawn-{width}.png"))

        reader.reload()
        shown = reader.locator(f"#correction-{correction.pk}")
        assert shown.locator("del").inner_text().endswith("The June table was a week late.")
        assert shown.locator(".correction-note").inner_text().startswith("Withdrawn ")
        decoration = shown.locator("del").evaluate("e => getComputedStyle(e).textDecorationLine")
        assert decoration == "line-through"
        assert reader.evaluate("document.documentElement.scrollWidth") <= width
        shown.scroll_into_view_if_needed()
        reader.screenshot(path=str(SHOTS / f"public-correction-withdrawn-{width}.png"))
    finally:
        context.close()
    assert Correction.objects.count() == 1
    assert list(CorrectionRevision.objects.values_list("change", "text")) == [
        ("edited", "The June table was wrong."),
        ("withdrawn", "The June table was a week late."),
    ]
