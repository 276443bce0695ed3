"""The editor's endpoints through Django's client: roles, saving rules and bad input."""

import http.server
import io
import json
import threading
import time

import pytest
from django.core import signing
from PIL import Image

from byline.content import services
from byline.content.models import Media, Post, Revision, Status
from byline.content.permalinks import permalink_for
from byline.desk.editor.metadata import clipping_fields, photo_metadata

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = services.create_user("ed", email="ed@example.org", role="editor", password="x-Pass-93!")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def contributor_client(client):
    user = services.create_user("cora", email="c@example.org", role="contributor", password="x-Pass-93!")
    client.force_login(user)
    client.user = user
    return client


def send(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def upload(client, file):
    """The one upload endpoint, as the editor's script calls it."""
    return client.post("/wp-admin/async-upload.php", {"async-upload": file}, HTTP_ACCEPT="application/json")


def jpeg(**info) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 40), "#336699").save(buf, "JPEG", **info)
    return buf.getvalue()


def test_signed_out_writers_are_sent_to_sign_in_and_json_gets_401(client):
    assert client.get("/wp-admin/post-new.php")["Location"].startswith("/wp-login.php?redirect_to=")
    answer = send(client, "/wp-admin/post.php", {"action": "draft", "title": "x"})
    assert answer.status_code == 401
    assert "session has expired" in answer.json()["message"]


def test_a_contributor_cannot_publish_through_the_editor(contributor_client):
    answer = send(
        contributor_client, "/wp-admin/post.php", {"action": "publish", "title": "Mine", "body": "<p>x</p>"}
    )
    assert answer.status_code == 403
    assert answer.json()["message"] == "Your account cannot publish; use Submit for review."
    assert not Post.objects.exists()
    answer = send(
        contributor_client, "/wp-admin/post.php", {"action": "pending", "title": "Mine", "body": "<p>x</p>"}
    )
    assert answer.json()["status"] == Status.PENDING
    page = contributor_client.get("/wp-admin/post-new.php").content.decode()
    assert "Submit for review" in page


def test_save_stores_figures_as_shortcodes_and_photo_fields_on_the_photo(editor_client):
    media = services.create_media(jpeg(), "a.jpg", uploaded_by=editor_client.user)
    body = (
        f'<p>Intro</p><figure data-media-id="{media.pk}" data-size="wide" data-align="center" '
        'data-alt="A quay" '
        'data-caption="At dusk" data-credit="Jo/Agency"><img src="x"></figure>'
    )
    answer = send(editor_client, "/wp-admin/post.php", {"action": "publish", "title": "Quay", "body": body})
    assert answer.status_code == 200, answer.content
    post = Post.objects.get()
    assert post.body == f"<p>Intro</p><p>[media id={media.pk} size=wide]</p>"
    assert 'class="wp-caption size-wide"' in post.content_html
    assert '<span class="credit">Credit: Jo/Agency</span>' in post.content_html
    media.refresh_from_db()
    assert (media.alt, media.caption, media.credit) == ("A quay", "At dusk", "Jo/Agency")
    assert Revision.objects.filter(post=post, kind="revision").count() == 1


def test_a_second_save_from_a_stale_editor_is_refused(editor_client):
    first = send(
        editor_client, "/wp-admin/post.php", {"action": "draft", "title": "One", "body": "<p>a</p>"}
    ).json()
    send(
        editor_client,
        "/wp-admin/post.php",
        {"action": "draft", "id": first["id"], "version": first["version"], "title": "Two"},
    )
    stale = send(
        editor_client,
        "/wp-admin/post.php",
        {"action": "draft", "id": first["id"], "version": first["version"], "title": "Three"},
    )
    assert stale.status_code == 409
    assert "Nothing was overwritten" in stale.json()["message"]
    assert Post.objects.get().title == "Two"


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        (b"not json", 400, "not JSON"),
        (json.dumps({"action": "draft", "title": "x", "body": "a" * 2_000_001}).encode(), 400, "too long"),
        (json.dumps({"action": "fly", "title": "x"}).encode(), 400, "Unknown action"),
        (json.dumps({"action": "draft", "title": "x", "date": "tomorrow"}).encode(), 400, "not a date"),
        (json.dumps({"action": "draft", "title": " "}).encode(), 400, "needs a title"),
    ],
)
def test_bad_saves_get_400_and_change_nothing(editor_client, payload, status, message):
    answer = editor_client.post("/wp-admin/post.php", payload, content_type="application/json")
    assert answer.status_code == status
    assert message in answer.json()["message"]
    assert not Post.objects.exists()


def test_an_upload_that_is_not_an_image_is_refused(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = upload(editor_client, SimpleUploadedFile("x.jpg", b"<?php echo 1;"))
    assert answer.status_code == 400
    assert "not an image" in answer.json()["error"]
    assert not Media.objects.exists()


def test_an_upload_reads_caption_and_credit_from_the_photo(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exif = Image.Exif()
    exif[0x010E] = "Cranes at dusk"
    exif[0x013B] = "Ingrid Solberg"
    answer = upload(editor_client, SimpleUploadedFile("c.jpg", jpeg(exif=exif)))
    assert answer.status_code == 201
    photo = answer.json()["photos"][0]
    assert (photo["caption"], photo["credit"]) == ("Cranes at dusk", "Ingrid Solberg")


def test_photo_metadata_of_a_plain_photo_is_empty():
    assert photo_metadata(jpeg()) == {"caption": "", "credit": ""}


def test_a_correction_needs_a_published_post(editor_client):
    draft = send(
        editor_client, "/wp-admin/post.php", {"action": "draft", "title": "D", "body": "<p>a</p>"}
    ).json()
    answer = send(editor_client, "/wp-admin/editor/correction", {"id": draft["id"], "text": "Fixed."})
    assert answer.status_code == 400
    live = send(
        editor_client, "/wp-admin/post.php", {"action": "publish", "title": "L", "body": "<p>a</p>"}
    ).json()
    answer = send(
        editor_client, "/wp-admin/editor/correction", {"id": live["id"], "text": "Fixed <script>x</script>."}
    )
    assert answer.status_code == 201
    assert Post.objects.get(pk=live["id"]).corrections.get().text == "Fixed ."


def test_a_preview_link_works_signed_out_and_expires(editor_client, client, settings):
    draft = send(
        editor_client,
        "/wp-admin/post.php",
        {"action": "draft", "title": "Quiet", "body": "<p>Secret words</p>"},
    ).json()
    answer = editor_client.post(
        "/wp-admin/editor/preview",
        {"state": json.dumps({"id": draft["id"], "title": "Quiet", "body": "<p>Newer words</p>"})},
    )
    url = answer["Location"]
    editor_client.logout()
    page = editor_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Preview — not published" in text and "Newer words" in text
    assert Post.objects.get().body == "<p>Secret words</p>"  # the draft itself untouched
    assert editor_client.get(url.replace("token=", "token=x")).status_code == 404
    old = signing.TimestampSigner(salt="byline.desk.preview")
    assert old  # tokens older than three days answer 410
    expired = signing.dumps({"post": draft["id"], "user": 1}, salt="byline.desk.preview")
    time_travel = time.time() + 4 * 24 * 3600
    import unittest.mock as _m  # noqa: PLC0415 - only the clock is replaced, to age the link

    with _m.patch("time.time", return_value=time_travel):
        assert editor_client.get("/wp-admin/preview.php", {"token": expired}).status_code == 410


def test_clipping_lookup_refuses_private_addresses(editor_client):
    for url in (
        "http://127.0.0.1:1/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/",
        "file:///etc/passwd",
    ):
        answer = editor_client.get("/wp-admin/editor/clipping", {"url": url})
        assert answer.status_code == 422, url
        assert answer.json()["ok"] is False


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/slow":
            self.send_response(200)
            self.end_headers()
            for _ in range(7):
                try:
                    self.wfile.write(b"<p>" + b"x" * 10 + b"</p>")
                    self.wfile.flush()
                except OSError:  # the fetcher gave up, as it should
                    return
                time.sleep(1)
            return
        if self.path == "/huge":
            self.send_response(200)
            self.end_headers()
            for _ in range(100):
                try:
                    self.wfile.write(b"x" * 64 * 1024)
                except OSError:
                    return
            return
        page = (
            '<html><head><meta property="og:title" content="Quay sold">'
            '<meta property="og:site_name" content="The Riverton Courier">'
            '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Council told",'
            '"author":{"@type":"Person","name":"Ana Ruiz"},'
            '"datePublished":"2025-09-13T08:00:00+02:00"}</script>'
            "</head></html>"
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(page.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def news_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()  # joins the handler threads, closing their sockets


def test_clipping_lookup_fills_fields_from_a_local_page_when_loopback_is_allowed(
    editor_client, news_site, settings
):
    settings.BYLINE_CLIPPING_ALLOW_LOOPBACK = True
    answer = editor_client.get("/wp-admin/editor/clipping", {"url": news_site + "/story"}).json()
    assert answer["fields"]["headline"] == "Council told"
    assert answer["fields"]["byline"] == "Ana Ruiz"
    assert answer["fields"]["publication"] == "The Riverton Courier"
    assert answer["fields"]["date"] == "2025-09-13"
    slow = editor_client.get("/wp-admin/editor/clipping", {"url": news_site + "/slow"})
    assert (slow.status_code, slow.json()["message"]) == (422, "The page took too long to answer.")
    huge = editor_client.get("/wp-admin/editor/clipping", {"url": news_site + "/huge"})
    assert (huge.status_code, huge.json()["message"]) == (422, "The page is too large to read.")


def test_clipping_fields_fall_back_to_opengraph():
    fields = clipping_fields("https://x.example/a", '<meta property="og:title" content="T &amp; U">')
    assert fields["headline"] == "T & U"
    assert fields["url"] == "https://x.example/a"


def test_a_decompression_bomb_is_refused(editor_client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.BYLINE_MAX_IMAGE_PIXELS = 1000
    buf = io.BytesIO()
    Image.new("L", (2000, 2000)).save(buf, "PNG")
    answer = upload(editor_client, SimpleUploadedFile("bomb.png", buf.getvalue()))
    assert answer.status_code == 400
    assert answer.json()["error"] == (
        "bomb.png: The image is too large: 2,000 × 2,000 pixels is 4.0 megapixels, "
        "and Byline accepts at most 0.001."
    )
    assert not Media.objects.exists()


def test_a_scheduled_post_then_shows_update(editor_client):
    answer = send(
        editor_client,
        "/wp-admin/post.php",
        {"action": "publish", "title": "Later", "date": "2036-01-01T09:00"},
    )
    assert answer.json()["message"] == "Scheduled for 01 Jan 2036 09:00."
    page = editor_client.get(
        "/wp-admin/post.php", {"post": answer.json()["id"], "action": "edit"}
    ).content.decode()
    assert 'class="ed-primary">Update</button>' in page


def test_private_visibility_keeps_a_published_post_from_the_public(editor_client):
    from django.test import Client
    from lxml import html

    page = html.fromstring(editor_client.get("/wp-admin/post-new.php").content.decode())
    labels = page.xpath("//fieldset[legend='Visibility']//label")
    assert [label.text_content().strip() for label in labels] == [
        "Public",
        "Password protected",
        "Private",
    ]
    answer = send(
        editor_client,
        "/wp-admin/post.php",
        {"action": "publish", "title": "Staff rota", "body": "<p>x</p>", "visibility": "private"},
    )
    assert answer.status_code == 200, answer.content
    post = Post.objects.get()
    assert post.status == Status.PRIVATE
    post.status = Status.PUBLISH  # the address it would have if public
    address = permalink_for(post)
    assert Client().get(address).status_code == 404
    reopened = html.fromstring(
        editor_client.get(f"/wp-admin/post.php?post={post.pk}&action=edit").content.decode()
    )
    assert reopened.xpath("//input[@name='visibility'][@checked]/@value") == ["private"]
    # Back to public: the update publishes it.
    send(
        editor_client,
        "/wp-admin/post.php",
        {
            "action": "update",
            "id": post.pk,
            "title": "Staff rota",
            "body": "<p>x</p>",
            "visibility": "public",
            "version": Post.objects.get().modified_at.isoformat(),
        },
    )
    assert Post.objects.get().status == Status.PUBLISH
    assert Client().get(address).status_code == 200


def test_a_contributor_cannot_make_a_post_private(contributor_client):
    from lxml import html

    page = html.fromstring(contributor_client.get("/wp-admin/post-new.php").content.decode())
    assert page.xpath("//input[@name='visibility'][@value='private']/@disabled") == ["disabled"]
    answer = send(
        contributor_client,
        "/wp-admin/post.php",
        {"action": "pending", "title": "Mine", "body": "<p>x</p>", "visibility": "private"},
    )
    assert answer.status_code == 403
    assert answer.json()["message"] == "Only someone who may publish can make a post private."
    assert not Post.objects.exists()
    bad = send(
        contributor_client, "/wp-admin/post.php", {"action": "pending", "title": "M", "visibility": "x"}
    )
    assert bad.status_code == 400 and bad.json()["message"] == "Visibility is public, password or private."
    assert not Post.objects.exists()


def iptc_jpeg(records: dict[tuple[int, int], str]) -> bytes:
    """A real JPEG with an IPTC block, written as Photoshop writes it: an APP13 "Photoshop 3.0"
    segment holding an 8BIM resource 0x0404 of IPTC-IIM datasets."""
    iim = b"".join(
        b"\x1c" + bytes([rec, ds]) + len(v.encode()).to_bytes(2, "big") + v.encode()
        for (rec, ds), v in records.items()
    )
    resource = b"8BIM\x04\x04\x00\x00" + len(iim).to_bytes(4, "big") + iim + (b"\x00" * (len(iim) % 2))
    payload = b"Photoshop 3.0\x00" + resource
    data = jpeg()
    return data[:2] + b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload + data[2:]


XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="Courier">'
    '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Cranes on North Quay at dusk</rdf:li>'
    "</rdf:Alt></dc:description>"
    "<dc:creator><rdf:Seq><rdf:li>Ingrid Solberg</rdf:li></rdf:Seq></dc:creator>"
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def test_iptc_caption_and_credit_prefill_a_photo():
    data = iptc_jpeg({(2, 120): "Cranes on North Quay at dusk", (2, 80): "Ingrid Solberg", (2, 110): "HPA"})
    assert photo_metadata(data) == {"caption": "Cranes on North Quay at dusk", "credit": "Ingrid Solberg/HPA"}


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_xmp_caption_and_credit_prefill_a_photo(fmt):
    from PIL.PngImagePlugin import PngInfo

    buf = io.BytesIO()
    if fmt == "PNG":  # as Photoshop and exiftool write it: an iTXt chunk named XML:com.adobe.xmp
        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", XMP)
        Image.new("RGB", (64, 40), "#336699").save(buf, fmt, pnginfo=info)
    else:
        Image.new("RGB", (64, 40), "#336699").save(buf, fmt, xmp=XMP.encode())
    assert photo_metadata(buf.getvalue()) == {
        "caption": "Cranes on North Quay at dusk",
        "credit": "Ingrid Solberg/Courier",
    }


def test_an_uploaded_photo_with_iptc_is_offered_its_caption(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = iptc_jpeg({(2, 120): "Ferry at the pier", (2, 110): "Courier"})
    answer = upload(editor_client, SimpleUploadedFile("f.jpg", data))
    assert answer.status_code in (200, 201), answer.content
    media = Media.objects.get()
    assert (media.caption, media.credit) == ("Ferry at the pier", "Courier")
