"""/wp/v2/media: uploads through services.create_media; anything that is not an image is refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from byline.content.models import Media
from byline.content.services import create_media
from tests.api.api_helpers import assert_wp_error, png_bytes
from tests.factories import make_post


def upload(api, data: bytes, name: str, **fields):
    return api.client.post(
        "/wp-json/wp/v2/media",
        {"file": SimpleUploadedFile(name, data), **fields},
        **api.headers(),
    )


def test_multipart_upload(author_api, settings):
    response = upload(
        author_api, png_bytes(1200, 800), "quay.png", title="The quay", alt_text="Cranes", caption="At dusk"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    media = Media.objects.get()
    assert body["id"] == media.pk and media.uploaded_by == author_api.user
    assert (media.title, media.alt, media.caption) == ("The quay", "Cranes", "At dusk")
    assert body["media_type"] == "image" and body["mime_type"] == "image/png"
    assert body["media_details"]["width"] == 1200
    assert body["media_details"]["sizes"]["medium"]["width"] == 320
    assert body["source_url"].startswith("http://testserver/media/")
    assert body["alt_text"] == "Cranes" and body["caption"]["raw"] == "At dusk"


def test_raw_body_upload(editor_api):
    response = editor_api.client.post(
        "/wp-json/wp/v2/media",
        data=png_bytes(),
        content_type="image/png",
        HTTP_CONTENT_DISPOSITION='attachment; filename="raw.png"',
        **editor_api.headers(),
    )
    assert response.status_code == 201, response.content
    assert Media.objects.get().file.name.endswith("raw.png")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.4 not an image", "report.pdf"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "evil.svg"),
        (png_bytes()[:60], "truncated.png"),
        (b"GIF89a" + b"\x00" * 20, "broken.gif"),
    ],
)
def test_non_images_are_refused_and_nothing_is_stored(author_api, settings, data, name):
    response = upload(author_api, data, name)
    assert_wp_error(response, 400, "rest_upload_sideload_error")
    assert not Media.objects.exists()
    media_root = settings.MEDIA_ROOT
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_upload_refusals(api, contributor_api, author_api):
    assert_wp_error(upload(api, png_bytes(), "x.png"), 401, "rest_cannot_create")
    assert_wp_error(upload(contributor_api, png_bytes(), "x.png"), 403, "rest_cannot_create")
    assert_wp_error(author_api.post("media", {}), 400, "rest_upload_no_data")
    no_name = author_api.client.post(
        "/wp-json/wp/v2/media", data=png_bytes(), content_type="image/png", **author_api.headers()
    )
    assert_wp_error(no_name, 400, "rest_upload_no_content_disposition")
    assert not Media.objects.exists()


def test_edit_and_delete(author_api, editor_api, db):
    photo = create_media(png_bytes(), "photo.png", title="Photo", uploaded_by=author_api.user)
    post = make_post("Shows it", body=f"<p>Look:</p>[media id={photo.pk}]")
    changed = author_api.post(f"media/{photo.pk}", {"caption": "New caption", "alt_text": "Alt"}).json()
    assert changed["caption"]["raw"] == "New caption"
    post.refresh_from_db()
    assert "New caption" in post.content_html  # the services layer rendered the post again
    assert_wp_error(author_api.post(f"media/{photo.pk}", {"description": "More"}), 400, "rest_invalid_param")
    # Byline's authors may not delete photos (ROLE_POWERS); editors may, with force=true.
    assert_wp_error(author_api.delete(f"media/{photo.pk}", "?force=true"), 403, "rest_cannot_delete")
    assert_wp_error(editor_api.delete(f"media/{photo.pk}"), 501, "rest_trash_not_supported")
    others = create_media(png_bytes(), "other.png", uploaded_by=editor_api.user)
    assert_wp_error(author_api.post(f"media/{others.pk}", {"title": "Mine"}), 403, "rest_cannot_edit")
    gone = editor_api.delete(f"media/{photo.pk}", "?force=true").json()
    assert gone["deleted"] is True
    assert not Media.objects.filter(pk=photo.pk).exists()
    post.refresh_from_db()
    assert "New caption" not in post.content_html


def test_reading_media(api, db):
    photo = create_media(png_bytes(), "photo.png", title="Photo", credit="Agency")
    post = make_post("Featured", featured_image=photo)
    item = api.get(f"media/{photo.pk}").json()
    assert item["media_details"]["image_meta"]["credit"] == "Agency"
    assert [m["id"] for m in api.get("media", {"parent": post.pk}).json()] == [photo.pk]
    embedded = api.get(f"posts/{post.pk}", {"_embed": "wp:featuredmedia"}).json()["_embedded"]
    assert embedded["wp:featuredmedia"][0]["source_url"] == item["source_url"]
    assert_wp_error(api.get("media/999999"), 404, "rest_post_invalid_id")
    assert api.get("media", {"media_type": "video"}).json() == []


def image_bytes(width, height, fmt="PNG", mode="1") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (width, height)).save(buf, fmt)
    return buf.getvalue()


def test_the_rest_route_refuses_the_huge_png_and_stores_the_line(author_api, settings):
    refused = upload(author_api, image_bytes(8000, 8000), "huge.png")
    assert_wp_error(refused, 400, "rest_upload_sideload_error")
    assert "64.0 megapixels" in refused.json()["message"]
    assert not Media.objects.exists() and not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))
    stored = upload(author_api, image_bytes(10_799, 1, "GIF", "P"), "line.gif")
    assert stored.status_code == 201, stored.content
    assert stored.json()["media_details"]["width"] == 10_799
