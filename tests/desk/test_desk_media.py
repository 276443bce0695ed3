"""The media library: the grid, uploads (JSON for scripts, a plain post without), edits and deletes."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html
from PIL import Image

from byline.content import services
from byline.content.models import Media
from tests.factories import make_post

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def jpeg(name="harbour.jpg", size=(800, 500), colour="#d98c5f") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def photo(user, **fields) -> Media:
    return services.create_media(jpeg().read(), "quay.jpg", uploaded_by=user, **fields)


def test_uploading_two_photos_answers_json_the_editor_can_use(signed_in):
    client, user = signed_in("author", "ola")
    r = client.post("/wp-admin/async-upload.php", {"async-upload": [jpeg("a.jpg"), jpeg("b.jpg")]}, **JSON)
    assert r.status_code == 201
    photos = r.json()["photos"]
    assert [set(p) >= {"id", "thumbnail", "alt", "caption", "credit", "url"} for p in photos] == [True, True]
    assert photos[0]["thumbnail"].startswith("/media/") and "-320w" in photos[0]["thumbnail"]
    assert Media.objects.count() == 2
    listed = client.get("/wp-admin/media-library.json?s=a").json()["photos"]
    assert [p["title"] for p in listed] == ["a"]


def test_upload_without_javascript_returns_to_the_grid(signed_in):
    client, _ = signed_in("author", "ola")
    r = client.post("/wp-admin/async-upload.php", {"async-upload": jpeg("a.jpg")})
    assert r["Location"] == "/wp-admin/upload.php?updated=uploaded"
    grid = html.fromstring(client.get(r["Location"]).content.decode())
    assert len(grid.xpath("//ul[@id='media-grid']/li[@class='media-tile']")) == 1


@pytest.mark.parametrize(
    ("files", "status", "message"),
    [
        ({}, 400, "No file was sent"),
        ({"async-upload": SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg")}, 400, "not an image"),
    ],
)
def test_bad_uploads_are_told_and_store_nothing(signed_in, files, status, message):
    client, _ = signed_in("author", "ola")
    r = client.post("/wp-admin/async-upload.php", files, **JSON)
    assert r.status_code == status and message in r.json()["error"]
    assert Media.objects.count() == 0


def test_an_oversized_file_is_refused_by_size_before_it_is_read(signed_in):
    client, _ = signed_in("author", "ola")
    big = SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"\0" * (25 * 1024 * 1024), "image/jpeg")
    r = client.post("/wp-admin/async-upload.php", {"async-upload": big}, **JSON)
    assert r.status_code == 400
    assert r.json()["error"] == "huge.jpg: The file is larger than 25 MB."
    assert Media.objects.count() == 0


def test_the_editor_and_the_media_page_share_one_upload_endpoint(signed_in):
    """The editor's old endpoints are gone: nothing outside the desk's own script used them."""
    client, _ = signed_in("author", "ola")
    assert client.post("/wp-admin/editor/upload", {"file": jpeg()}).status_code == 404
    assert client.get("/wp-admin/editor/media").status_code == 404
    assert Media.objects.count() == 0
    # A photo sent from the media page is offered the caption it carries, as in the editor.
    exif = Image.Exif()
    exif[0x010E] = "Ferry at the pier"
    buf = io.BytesIO()
    Image.new("RGB", (64, 40), "#336699").save(buf, "JPEG", exif=exif)
    r = client.post(
        "/wp-admin/async-upload.php", {"async-upload": SimpleUploadedFile("f.jpg", buf.getvalue())}
    )
    assert r.status_code == 302
    assert Media.objects.get().caption == "Ferry at the pier"


def test_a_decompression_bomb_is_refused(signed_in, settings):
    settings.BYLINE_MAX_IMAGE_PIXELS = 1000
    client, _ = signed_in("author", "ola")
    r = client.post("/wp-admin/async-upload.php", {"async-upload": jpeg(size=(100, 100))}, **JSON)
    assert r.status_code == 400 and "too large" in r.json()["error"]


def test_a_contributor_may_not_upload(signed_in):
    client, _ = signed_in("contributor", "cora")
    r = client.post("/wp-admin/async-upload.php", {"async-upload": jpeg()}, **JSON)
    assert r.status_code == 403 and Media.objects.count() == 0
    assert client.get("/wp-admin/async-upload.php", **JSON).status_code == 405


def test_search_the_grid(signed_in):
    client, user = signed_in("author", "ola")
    photo(user, title="cranes", caption="The North Quay cranes")
    photo(user, title="ferry", credit="Harbour Photo Agency")
    page = html.fromstring(client.get("/wp-admin/upload.php?s=agency").content.decode())
    assert [" ".join(t.text_content().split()) for t in page.xpath("//li[@class='media-tile']")] == [
        "Edit “ferry”"
    ]


def test_editing_alt_caption_credit_shows_in_the_posts(signed_in, client):
    editor, user = signed_in("editor", "eda")
    media = photo(user, title="cranes")
    post = make_post("Cranes", body=f"<p>Intro</p>[media id={media.pk}]")
    r = editor.post(
        f"/wp-admin/upload.php?item={media.pk}",
        {"alt": "Three cranes", "caption": "At dusk", "credit": "Ingrid Solberg"},
    )
    assert r["Location"] == "/wp-admin/upload.php?updated=saved"
    public = client.get("/2025/09/cranes/").content.decode()
    assert "Ingrid Solberg" in public and 'alt="Three cranes"' in public
    assert post.pk


def test_deleting_a_photo_a_post_shows_asks_first_and_names_the_posts(signed_in, client):
    editor, user = signed_in("editor", "eda")
    media = photo(user)
    make_post("Cranes at dusk", body=f"[media id={media.pk}]")
    r = editor.get(f"/wp-admin/upload.php?delete={media.pk}")
    ask = html.fromstring(r.content.decode())
    assert ask.xpath("//ul[@class='shown-in']//a/text()") == ["Cranes at dusk"]
    assert Media.objects.filter(pk=media.pk).exists()
    r = editor.post(f"/wp-admin/upload.php?delete={media.pk}")
    assert r["Location"] == "/wp-admin/upload.php?updated=deleted"
    assert not Media.objects.filter(pk=media.pk).exists()
    assert "<figure" not in client.get("/2025/09/cranes-at-dusk/").content.decode()


def test_an_author_cannot_edit_or_delete_someone_elses_photo(signed_in, make_user):
    client, _ = signed_in("author", "ola")
    media = photo(make_user("author", "per"))
    assert client.post(f"/wp-admin/upload.php?item={media.pk}", {"alt": "x"}).status_code == 403
    assert client.post(f"/wp-admin/upload.php?delete={media.pk}").status_code == 403
    assert Media.objects.get(pk=media.pk).alt == ""
    assert client.get("/wp-admin/upload.php?item=999999").status_code == 404
    assert client.get("/wp-admin/upload.php?item=abc").status_code == 404
