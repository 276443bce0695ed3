"""The desk in real Chromium: sign in by the labels, moderate in one click, upload two photos at
once; axe-core finds no serious or critical violation; no sideways scroll at 390 px."""

import base64
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from byline.comments.models import Comment, CommentStatus
from byline.content.models import Media, Status
from byline.content.services import create_user
from byline.options.store import set_option
from tests.factories import make_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "tidewater-lantern-42"  # noqa: S105 - a test account's password
NODE_DIR = Path(__file__).parent / "node"
SHOTS = Path(__file__).parents[1] / ".artifacts" / "desk"
DESK_PAGES = [
    "/wp-admin/",
    "/wp-admin/edit.php",
    "/wp-admin/edit.php?post_type=page",
    "/wp-admin/upload.php",
    "/wp-admin/edit-comments.php",
    "/wp-admin/profile.php",
    "/wp-admin/import.php",
    "/wp-admin/tasks.php",
]


def axe_source() -> str:
    """axe-core from the committed package-lock.json (`npm ci`, as `make node-deps` does) the first time."""
    script = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        if shutil.which("npm") is None:
            pytest.fail("npm is needed to install axe-core: apt-get install npm, then `make node-deps`")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True, timeout=300)
    return script.read_text()


@pytest.fixture
def newsroom(db):
    set_option("blogname", "The Harbour Ledger")
    chief = create_user("chief", email="chief@example.org", role="administrator", password=PASSWORD)
    post = make_post("The cranes come down", author=chief)
    make_post("Half a thought", author=chief, status=Status.DRAFT)
    for i in range(3):
        Comment.objects.create(
            post=post,
            author_name="Ann",
            author_email="ann@example.org",
            content=f"<p>Earlier {i}</p>",
            status=CommentStatus.APPROVED,
        )
    held = Comment.objects.create(
        post=post,
        author_name="Ann",
        author_email="ann@example.org",
        content="<p>Casino on the quay?</p>",
        status=CommentStatus.PENDING,
        reason="held: contains the moderation word “casino”",
    )
    return {"chief": chief, "post": post, "held": held}


def sign_in(page, base, user="chief", password=PASSWORD):
    page.goto(base + "/wp-login.php")
    page.get_by_label("Username", exact=True).fill(user)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log In").click()
    page.wait_for_url(base + "/wp-admin/")


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_sign_in_by_the_labels_and_approve_a_comment_in_one_click(live_server, newsroom, page):
    sign_in(page, live_server.url)
    assert page.title() == "Dashboard ‹ The Harbour Ledger"
    page.get_by_role("link", name="1 comment awaiting moderation").click()
    row = page.locator(f"#comment-{newsroom['held'].pk}")
    assert "3 approved before" in row.inner_text() and "moderation word “casino”" in row.inner_text()
    assert page.locator(".desk-nav .count").inner_text() == "1"
    page.evaluate("window.stillHere = true")  # gone if the page reloads
    row.get_by_role("button", name="Approve").click()  # the one click
    row.wait_for(state="detached")
    assert page.evaluate("window.stillHere") is True, "approving reloaded the page"
    assert page.locator(".desk-nav .count").inner_text() == "0"
    newsroom["held"].refresh_from_db()
    assert newsroom["held"].status == CommentStatus.APPROVED
    assert page.outside_requests == []


def test_keyboard_shortcuts_moderate_the_focused_row(live_server, newsroom, page):
    second = Comment.objects.create(
        post=newsroom["post"],
        author_name="Bo",
        author_email="bo@example.org",
        content="<p>Cheap pills</p>",
        status=CommentStatus.PENDING,
    )
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/wp-admin/edit-comments.php")
    page.locator(f"#comment-{second.pk}").focus()
    page.keyboard.press("s")
    page.locator(f"#comment-{second.pk}").wait_for(state="detached")
    # Focus moved to the next row; "r" opens its reply box.
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == f"reply-{newsroom['held'].pk}"
    second.refresh_from_db()
    assert second.status == CommentStatus.SPAM


def _jpeg_b64(colour) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(buf, "JPEG")
    return base64.b64encode(buf.getvalue()).decode()


def test_two_photos_upload_at_once_with_a_progress_bar(live_server, newsroom, page, tmp_path):
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/wp-admin/upload.php")
    files = []
    for name, colour in (("quay.jpg", "#d98c5f"), ("ferry.jpg", "#5f8cd9")):
        path = tmp_path / name
        path.write_bytes(base64.b64decode(_jpeg_b64(colour)))
        files.append(str(path))
    page.get_by_label("Choose photos").set_input_files(files)  # one click and one choice in the file dialog
    page.get_by_text("2 of 2 uploaded.").wait_for()
    assert page.locator("#upload-progress").get_attribute("value") == "100"
    assert page.locator("#media-grid .media-tile").count() == 2
    # Dropped files take the same way: a drop and no click.
    page.evaluate(
        """([a, b]) => {
            const dt = new DataTransfer();
            for (const [name, data] of [["drop-a.jpg", a], ["drop-b.jpg", b]]) {
                const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
                dt.items.add(new File([bytes], name, {type: "image/jpeg"}));
            }
            const drop = new DragEvent("drop", {dataTransfer: dt, bubbles: true});
            document.getElementById("dropzone").dispatchEvent(drop);
        }""",
        [_jpeg_b64("#222222"), _jpeg_b64("#eeeeee")],
    )
    page.get_by_text("2 of 2 uploaded.").wait_for()
    # Locators and evaluate, not wait_for_function: polling a string needs eval, which the CSP refuses.
    page.locator("#media-grid .media-tile").nth(3).wait_for()
    assert page.locator("#media-grid .media-tile").count() == 4
    assert sorted(Media.objects.values_list("title", flat=True)) == ["drop-a", "drop-b", "ferry", "quay"]
    _photos_loaded(page)
    shoot(page, "media-1280")


@pytest.mark.parametrize("width", [390, 1280])
def test_desk_pages_pass_axe_and_fit_the_screen(live_server, newsroom, browser, width):
    axe = axe_source()
    # axe is injected as an inline script, which the desk's CSP (rightly) refuses.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/wp-login.php")
        _no_serious_violations(page, axe, "login")
        shoot(page, f"login-{width}")
        sign_in(page, live_server.url)
        for path in DESK_PAGES:
            page.goto(live_server.url + path)
            name = (
                path.replace("/wp-admin/", "").replace(".php", "").replace("?post_type=", "-") or "dashboard"
            )
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{path} scrolls sideways at {width}px ({scroll}px)"
            _no_serious_violations(page, axe, path)
            shoot(page, f"{name}-{width}")
        page.goto(live_server.url + "/admin/")
        assert "Django administration" not in page.content()
        assert page.locator("#site-name a").inner_text() == "The Harbour Ledger"
        shoot(page, f"admin-{width}")
        page.goto(live_server.url + "/wp-admin/edit-comments.php")
        if width == 390:
            menu = page.get_by_role("link", name="Posts", exact=True)
            assert not menu.is_visible()  # the menu is collapsed on a phone
            page.get_by_role("button", name="Menu").focus()
            page.keyboard.press("Enter")  # and opens from the keyboard
            assert menu.is_visible()
            shoot(page, "menu-open-390")
    finally:
        context.close()


def _no_serious_violations(page, axe, where):
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=axe)
    result = page.evaluate("async () => (await axe.run(document)).violations")
    if os.environ.get("BYLINE_AXE_REPORT"):  # every finding, minor ones too, for a person to read
        print(where, [(v["id"], v["impact"], len(v["nodes"])) for v in result])
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"axe on {where}: {bad}"


@pytest.fixture
def illustrated(newsroom):
    """A published post with two figures (alt, caption, credit), a clipping and an edited correction,
    and a photo in the library."""
    from byline.content import services
    from byline.desk.editor.bodies import clipping_html

    chief = newsroom["chief"]
    photos = []
    for name, colour in (("quay.jpg", "#d98c5f"), ("ferry.jpg", "#5f8cd9")):
        photos.append(
            services.create_media(
                base64.b64decode(_jpeg_b64(colour)),
                name,
                alt=f"The {name[:-4]} at dusk",
                caption=f"The {name[:-4]} seen from the pier.",
                credit="Ingrid Solberg",
                uploaded_by=chief,
            )
        )
    clipping = clipping_html(
        {
            "url": "https://courier.example.org/2025/09/13/quay",
            "publication": "The Riverton Courier",
            "headline": "Council told quay sale is final",
            "byline": "Ana Ruiz",
            "date": "2025-09-13",
            "dateline": "RIVERTON",
            "text": "The council heard on Friday that the sale cannot be undone.",
        }
    )
    body = (
        f"<h2>The sale</h2><p>First section.</p>[media id={photos[0].pk}]{clipping}"
        f"<h2>The ferry</h2><p>Second section.</p>[media id={photos[1].pk}]"
    )
    post = make_post("The quay is sold", author=chief, body=body)
    correction = services.add_correction(post, "An earlier version misnamed the pier.")
    services.update_correction(correction, text="An earlier version misnamed the north pier.", by=chief)
    return post


@pytest.mark.parametrize("width", [390, 1280])
def test_the_editor_and_media_library_pass_axe(live_server, illustrated, browser, width):
    """axe-core on the editor (new post; a published post with figures, a clipping and a corrected
    correction, its forms open) and on the media library: no serious or critical violation."""
    axe = axe_source()
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, live_server.url)
        page.goto(live_server.url + "/wp-admin/post-new.php")
        page.get_by_role("textbox", name="Post body").wait_for()
        _fits(page, width, "post-new")
        _no_serious_violations(page, axe, "post-new.php")
        shoot(page, f"editor-new-{width}")

        page.goto(f"{live_server.url}/wp-admin/post.php?post={illustrated.pk}&action=edit")
        page.get_by_label("Alt text").first.wait_for()
        assert page.get_by_label("Alt text").count() == 2
        assert page.get_by_label("Quoted text").count() == 1
        _fits(page, width, "post.php")
        _no_serious_violations(page, axe, "post.php (published, figures, clipping)")
        shoot(page, f"editor-edit-{width}")
        # With the correction form open (editing one) and its history unfolded.
        page.locator("#ed-corrections").get_by_role("button", name=re.compile("^Edit correction of")).click()
        page.get_by_text("Earlier versions (1)").click()
        _no_serious_violations(page, axe, "post.php (correction form)")
        page.locator("#ed-corrections").screenshot(path=str(SHOTS / f"editor-corrections-{width}.png"))
        # The media picker inside the editor.
        page.get_by_role("button", name="Media library").click()
        page.locator("#ed-library-grid li").first.wait_for()
        _no_serious_violations(page, axe, "post.php (media picker)")
        shoot(page, f"editor-picker-{width}")

        page.goto(live_server.url + "/wp-admin/upload.php")
        _photos_loaded(page)
        _fits(page, width, "upload.php")
        _no_serious_violations(page, axe, "upload.php")
        shoot(page, f"media-library-{width}")
        page.goto(f"{live_server.url}/wp-admin/upload.php?item={Media.objects.first().pk}")
        _no_serious_violations(page, axe, "upload.php?item=")
        shoot(page, f"media-edit-{width}")
    finally:
        context.close()


def _fits(page, width, where):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{where} scrolls sideways at {width}px ({scroll}px)"


def _photos_loaded(page):
    """Every thumbnail of the grid decoded (a broken one rejects, failing the test)."""
    page.evaluate("Promise.all([...document.querySelectorAll('#media-grid img')].map(i => i.decode()))")
