"""A writer uses the desk's editor in a real browser: write, illustrate, clip, publish, correct,
schedule, preview, recover, and what a contributor may not do."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from lxml import html as lhtml
from PIL import Image

from byline.content import services
from byline.content.models import Post, Revision, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).parents[1] / ".artifacts" / "editor"


def photo(tmp_path, name, colour):
    path = tmp_path / name
    Image.new("RGB", (1200, 800), colour).save(path, "JPEG")
    return str(path)


def signed_in(browser, live_server, username, width=1280):
    client = Client()
    client.force_login(services.User.objects.get(username=username))
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


@pytest.fixture
def writers(db):
    services.create_user(
        "ed", email="ed@example.org", role="editor", password="x-Pass-93!", display_name="Ed Itor"
    )
    services.create_user("cora", email="c@example.org", role="contributor", password="x-Pass-93!")


def add_photo(page, path, alt, caption, credit):
    page.get_by_label("Upload photo").set_input_files(path)
    page.get_by_label("Alt text").last.fill(alt)
    page.get_by_label("Caption").last.fill(caption)
    page.get_by_label("Credit").last.fill(credit)


def test_writer_publishes_a_clipping_post_with_two_photos_then_corrects_it(
    browser, live_server, writers, tmp_path
):
    context = signed_in(browser, live_server, "ed")
    page = context.new_page()
    clicks = 0
    page.goto(live_server.url + "/wp-admin/post-new.php")
    page.get_by_label("Title", exact=True).fill("The cranes come down")
    assert page.locator("#ed-slug").input_value() == "the-cranes-come-down"  # the address before any save
    body = page.get_by_role("textbox", name="Post body")
    body.click()
    clicks += 1
    page.keyboard.type("Three stories, read together.")
    page.keyboard.press("Enter")
    page.keyboard.type("## Cranes that outlived their ships")
    page.keyboard.press("Enter")
    page.keyboard.type("The last of the cranes will be taken down in **October** .")
    page.keyboard.press("Enter")
    add_photo(
        page, photo(tmp_path, "a.jpg", "#d98c5f"), "Three cranes at dusk", "North Quay", "Ingrid Solberg/HPA"
    )
    clicks += 2  # the file input and its file
    page.keyboard.press("Control+End")
    body.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("## What the council was told")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Add clipping").click()
    clicks += 1
    for label, value in (
        ("Source URL", "https://courier.example.org/2025/09/13/quay"),
        ("Publication", "The Riverton Courier"),
        ("Headline", "Council told the quay is worth more as housing"),
        ("Byline", "Ana Ruiz"),
        ("Publication date", "2025-09-13"),
        ("Dateline", "Riverton"),
        ("Quoted text", "Councillors were told in a closed briefing."),
    ):
        page.get_by_label(label, exact=True).fill(value)
    add_photo(
        page,
        photo(tmp_path, "b.jpg", "#5f8cd9"),
        "Stacked containers",
        "Timber and scrap",
        "Tomas Varga/Courier",
    )
    clicks += 2
    page.screenshot(path=str(SHOTS / "editor-1280.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.get_by_role("button", name="Publish", exact=True).click()
    clicks += 1
    view = page.get_by_role("link", name="View post")
    view.wait_for()
    public = Client().get(view.get_attribute("href"))
    doc = lhtml.fromstring(public.content)
    assert [h.text_content() for h in doc.xpath("//h2")][:2] == [
        "Cranes that outlived their ships",
        "What the council was told",
    ]
    assert doc.xpath("//strong/text()") == ["October"]
    credits = [c.text_content() for c in doc.xpath("//figure//*[@class='credit']")]
    assert credits == ["Credit: Ingrid Solberg/HPA", "Credit: Tomas Varga/Courier"]
    assert [i.get("alt") for i in doc.xpath("//figure//img")] == [
        "Three cranes at dusk",
        "Stacked containers",
    ]
    cite = doc.xpath("//blockquote[contains(@class,'h-cite')]")[0]
    assert cite.xpath(".//*[@class='clipping-source']")[0].text_content() == (
        "Ana Ruiz, The Riverton Courier, September 13, 2025"
    )
    assert cite.xpath(".//*[contains(@class,'e-content')]/p")[0].text_content() == (
        "RIVERTON — Councillors were told in a closed briefing."
    )
    assert (
        cite.xpath(".//*[contains(@class,'p-name')]")[0].text_content()
        == "Council told the quay is worth more as housing"
    )
    assert cite.xpath(".//a[contains(@class,'u-url') and contains(@class,'p-name')]/@href") == [
        "https://courier.example.org/2025/09/13/quay"
    ]
    ld = json.loads(doc.xpath("//script[@type='application/ld+json']/text()")[0])
    assert ld["citation"][0]["publisher"]["name"] == "The Riverton Courier"
    assert clicks <= 8

    # A correction in one step: the button, the text, the save (the date defaults to now).
    page.get_by_role("button", name="Add correction").click()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", page.get_by_label("Correction date").input_value())
    page.get_by_label("Correction text").fill("An earlier version misnamed the quay.")
    page.get_by_role("button", name="Save correction").click()
    page.get_by_text("Correction added.").wait_for()
    assert (
        "An earlier version misnamed the quay." in Client().get(view.get_attribute("href")).content.decode()
    )
    context.close()


def test_scheduling_reads_the_date_in_the_site_zone(browser, live_server, writers):
    from byline.options.store import set_option

    set_option("timezone_string", "Europe/Oslo")
    context = signed_in(browser, live_server, "ed")
    page = context.new_page()
    page.goto(live_server.url + "/wp-admin/post-new.php")
    page.get_by_label("Title", exact=True).fill("Next week")
    page.get_by_label("Publish date and time").fill("2036-12-03T09:00")
    button = page.get_by_role("button", name="Schedule for 3 Dec 2036 09:00 (Europe/Oslo)")
    button.click()
    page.get_by_text("Scheduled for 03 Dec 2036 09:00.").wait_for()
    post = Post.objects.get(title="Next week")
    assert post.status == Status.FUTURE
    assert post.published_at.isoformat() == "2036-12-03T08:00:00+00:00"
    context.close()


def test_an_autosave_is_offered_after_a_reload_and_a_draft_previews_signed_out(browser, live_server, writers):
    context = signed_in(browser, live_server, "ed")
    page = context.new_page()
    page.goto(live_server.url + "/wp-admin/post-new.php")
    page.get_by_label("Title", exact=True).fill("Kept")
    page.get_by_role("textbox", name="Post body").click()
    page.keyboard.type("First words.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    page.get_by_role("textbox", name="Post body").press("End")
    page.keyboard.type(" Words typed later.")
    page.get_by_text(re.compile("Autosaved at")).wait_for(timeout=15000)
    assert Post.objects.get(title="Kept").body == "<p>First words.</p>"  # the draft itself untouched
    page.reload()
    page.get_by_role("button", name="Restore the autosave").click()
    assert "Words typed later." in page.get_by_role("textbox", name="Post body").inner_text()

    with context.expect_page() as popup:
        page.get_by_role("button", name="Preview").click()
    preview = popup.value
    preview.wait_for_load_state("load")
    anonymous = browser.new_context()
    stranger = anonymous.new_page()
    stranger.goto(preview.url)
    assert stranger.get_by_text("Preview — not published").is_visible()
    stranger.screenshot(path=str(SHOTS / "preview-signed-out.png"))
    assert "Words typed later." in stranger.content()
    anonymous.close()
    assert Revision.objects.filter(post__title="Kept", kind="revision").count() == 1
    context.close()


def test_a_contributor_submits_for_review_on_a_phone(browser, live_server, writers):
    context = signed_in(browser, live_server, "cora", width=390)
    page = context.new_page()
    page.goto(live_server.url + "/wp-admin/post-new.php")
    page.get_by_label("Title", exact=True).fill("From the field")
    assert page.get_by_role("button", name=re.compile("^Publish")).count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "editor-390.png"), full_page=True)
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review.").wait_for()
    assert Post.objects.get(title="From the field").status == Status.PENDING
    context.close()


def test_hostile_paste_arrives_cleaned(browser, live_server, writers):
    context = signed_in(browser, live_server, "ed")
    page = context.new_page()
    page.goto(live_server.url + "/wp-admin/post-new.php")
    page.get_by_label("Title", exact=True).fill("Pasted")
    body = page.get_by_role("textbox", name="Post body")
    body.click()
    hostile = (
        '<p style="color:red" onclick="alert(1)">Hello <b>there</b><script>alert(2)</script>'
        '<img src=x onerror="alert(3)"><a href="javascript:alert(4)">link</a></p><iframe src="https://evil"></iframe>'
    )
    page.evaluate(
        """html => { const dt = new DataTransfer(); dt.setData('text/html', html);
        dt.setData('text/plain', 'x');
        document.querySelector('.ed-prose').dispatchEvent(
          new ClipboardEvent('paste', {clipboardData: dt, bubbles: true})); }""",
        hostile,
    )
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    stored = Post.objects.get(title="Pasted").body
    assert "Hello <strong>there</strong>" in stored
    for bad in ("onclick", "script", "onerror", "javascript:", "iframe", "style="):
        assert bad not in stored
    context.close()


def test_reopening_a_post_brings_back_its_clipping_and_figure_fields(browser, live_server, writers, tmp_path):
    from byline.desk.editor.bodies import clipping_html

    ed = services.User.objects.get(username="ed")
    media = services.create_media(
        Path(photo(tmp_path, "c.jpg", "#888")).read_bytes(), "c.jpg", alt="Grey", credit="Me"
    )
    post = Post(title="Again", author=ed, status=Status.PUBLISH)
    post.body = f"<p>[media id={media.pk} size=wide]</p>" + clipping_html(
        {
            "url": "https://x.example/a",
            "publication": "The Courier",
            "headline": "H",
            "byline": "Ana Ruiz",
            "date": "2025-09-13",
            "dateline": "Riverton",
            "text": "Quoted.",
        }
    )
    services.save_post(post)
    context = signed_in(browser, live_server, "ed")
    page = context.new_page()
    page.goto(f"{live_server.url}/wp-admin/post.php?post={post.pk}&action=edit")
    assert page.get_by_label("Publication", exact=True).input_value() == "The Courier"
    assert page.get_by_label("Byline", exact=True).input_value() == "Ana Ruiz"
    assert page.get_by_label("Publication date", exact=True).input_value() == "2025-09-13"
    assert page.get_by_label("Dateline", exact=True).input_value() == "RIVERTON"
    assert page.get_by_label("Quoted text", exact=True).input_value() == "Quoted."
    assert page.get_by_label("Alt text").input_value() == "Grey"
    assert page.get_by_label("Size").input_value() == "wide"
    assert page.get_by_role("button", name="Update").is_visible()
    assert not page.get_by_role(
        "button", name="Save draft"
    ).is_visible()  # a live post is updated, not drafted
    context.close()


def test_a_pasted_address_fills_the_clipping_from_the_page(browser, live_server, writers, settings):
    settings.BYLINE_CLIPPING_ALLOW_LOOPBACK = True
    story = Post(title="Council told", author=services.User.objects.get(username="ed"), status=Status.PUBLISH)
    story.body = "<p>Councillors were told.</p>"
    services.save_post(story)
    from byline.content.permalinks import permalink_for

    context = signed_in(browser, live_server, "ed")
    page = context.new_page()
    page.goto(live_server.url + "/wp-admin/post-new.php")
    page.get_by_role("textbox", name="Post body").click()
    page.get_by_role("button", name="Add clipping").click()
    page.get_by_label("Source URL").fill(live_server.url + permalink_for(story))
    page.get_by_role("button", name="Fill the fields from this page").click()
    page.get_by_text("Filled in the empty fields; check them.").wait_for()
    assert page.get_by_label("Headline", exact=True).input_value() == "Council told"
    from byline.options.store import get_option

    assert page.get_by_label("Publication", exact=True).input_value() == get_option("blogname")
    page.get_by_label("Headline", exact=True).fill("Edited by hand")
    assert page.get_by_label("Headline", exact=True).input_value() == "Edited by hand"
    context.close()


def test_publishing_a_photo_without_alt_text_warns_first(browser, live_server, writers, tmp_path):
    context = signed_in(browser, live_server, "ed")
    page = context.new_page()
    page.goto(live_server.url + "/wp-admin/post-new.php")
    page.get_by_label("Title", exact=True).fill("No alt")
    page.get_by_role("textbox", name="Post body").click()
    page.get_by_label("Upload photo").set_input_files(photo(tmp_path, "d.jpg", "#123456"))
    page.get_by_role("button", name="Publish", exact=True).click()
    assert page.get_by_text("1 photo has no alt text").is_visible()
    assert not Post.objects.filter(title="No alt").exists()
    page.get_by_role("button", name="Add alt text first").click()
    assert page.evaluate("document.activeElement.closest('label').textContent").startswith("Alt text")
    page.keyboard.type("A dark square")
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_role("link", name="View post").wait_for()
    assert Post.objects.get(title="No alt").status == Status.PUBLISH
    context.close()


def test_an_expired_session_keeps_the_text_and_saves_after_signing_in_again(browser, live_server, writers):
    context = signed_in(browser, live_server, "ed")
    page = context.new_page()
    page.goto(live_server.url + "/wp-admin/post-new.php")
    cookies = context.cookies()  # the session and the CSRF cookie, as signing in again would give
    page.get_by_label("Title", exact=True).fill("Long afternoon")
    page.get_by_role("textbox", name="Post body").click()
    page.keyboard.type("Words written while the session ran out.")
    context.clear_cookies()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text(re.compile("Your session has expired")).wait_for()
    assert (
        "Words written while the session ran out."
        in page.get_by_role("textbox", name="Post body").inner_text()
    )
    context.add_cookies(cookies)
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    assert Post.objects.get(title="Long afternoon").body == "<p>Words written while the session ran out.</p>"
    context.close()


def test_a_writer_can_work_with_the_keyboard_alone(browser, live_server, writers):
    context = signed_in(browser, live_server, "ed")
    page = context.new_page()
    page.goto(live_server.url + "/wp-admin/post-new.php")
    page.keyboard.type("Typed headline")  # the title has the focus on a new post
    page.keyboard.press("Tab")
    page.keyboard.type("A dek")
    page.keyboard.press("Tab")  # the address
    assert page.evaluate("document.activeElement.id") == "ed-slug"
    page.keyboard.press("Tab")  # the toolbar: one stop, arrows move along it
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Bold"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Italic"
    page.keyboard.press("Tab")  # the body
    page.keyboard.type("## Section")
    page.keyboard.press("Enter")
    page.keyboard.type("> A quote")
    page.keyboard.press("Control+s")
    page.get_by_text("Draft saved.").wait_for()
    post = Post.objects.get(title="Typed headline")
    assert (post.subtitle, post.body) == ("A dek", "<h2>Section</h2><blockquote><p>A quote</p></blockquote>")
    context.close()


def test_side_panel_terms_library_pull_quote_and_html_block(browser, live_server, writers, tmp_path):
    from byline.content.models import Tag

    Tag.objects.create(name="Harbour works", slug="harbour-works")
    ed = services.User.objects.get(username="ed")
    services.create_media(
        Path(photo(tmp_path, "lib.jpg", "#444")).read_bytes(), "lib.jpg", alt="Old crane", uploaded_by=ed
    )
    context = signed_in(browser, live_server, "ed")
    page = context.new_page()
    page.goto(live_server.url + "/wp-admin/post-new.php")
    page.get_by_label("Title", exact=True).fill("Panel")
    page.get_by_label("Add new category").fill("Harbour")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_role("checkbox", name="Harbour").wait_for()
    assert page.get_by_role("checkbox", name="Harbour").is_checked()
    tag_input = page.get_by_label("Add tag")
    tag_input.fill("Harb")
    # A locator, not wait_for_function: polling a string needs eval, which the desk's CSP refuses.
    page.locator("#ed-tag-options option").first.wait_for(state="attached")
    assert page.evaluate("document.querySelector('#ed-tag-options option').value") == "Harbour works"
    tag_input.fill("Harbour works")
    tag_input.press("Enter")
    tag_input.fill("Brand new tag")
    tag_input.press("Enter")
    body = page.get_by_role("textbox", name="Post body")
    body.click()
    page.keyboard.type("A line worth pulling out.")
    page.get_by_role("button", name="Pull quote").click()
    page.keyboard.press("Control+End")
    page.get_by_role("button", name="Media library").click()
    page.get_by_label("Search photos").fill("crane")
    page.get_by_role("button", name="Old crane").click()
    assert page.get_by_label("Alt text").input_value() == "Old crane"
    page.get_by_role("button", name="HTML block").click()
    page.get_by_role("textbox", name=re.compile("^HTML block")).fill(
        '<p class="embed">Map<script>alert(1)</script></p>'
    )
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    post = Post.objects.get(title="Panel")
    assert [c.name for c in post.categories.all()] == ["Harbour"]
    assert sorted(t.name for t in post.tags.all()) == ["Brand new tag", "Harbour works"]
    assert '<blockquote class="pullquote"><p>A line worth pulling out.</p></blockquote>' in post.body
    assert "[media id=" in post.body
    assert '<div class="html-block"><p class="embed">Map</p></div>' in post.body
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_post_is_published_privately_from_the_side_panel(browser, live_server, writers, width):
    context = signed_in(browser, live_server, "ed", width=width)
    page = context.new_page()
    page.goto(live_server.url + "/wp-admin/post-new.php")
    page.get_by_label("Title", exact=True).fill("Staff rota")
    page.get_by_text("Discussion and visibility").click()
    page.get_by_label("Private", exact=True).check()
    panel = page.locator("details.ed-panel", has_text="Discussion and visibility")
    panel.screenshot(path=str(SHOTS / f"editor-visibility-{width}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Published privately.").wait_for()
    assert Post.objects.get(title="Staff rota").status == Status.PRIVATE
    context.close()
