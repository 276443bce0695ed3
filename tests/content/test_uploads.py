"""Uploads of odd shapes and sizes: refused before decoding, or stored whole; never half-saved.

The services and the admin here; the REST media route in tests/api/test_api_media.py.
The files are real images made here with Pillow.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from byline.content import services
from byline.content.models import Media

pytestmark = pytest.mark.django_db


def image_bytes(width, height, fmt="PNG", mode="1") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (width, height)).save(buf, fmt)
    return buf.getvalue()


@pytest.fixture(scope="module")
def sixty_four_megapixels() -> bytes:
    # 8,000 × 8,000 one-bit pixels: a 64-megapixel PNG of a few kilobytes.
    return image_bytes(8000, 8000)


@pytest.fixture(scope="module")
def a_line() -> bytes:
    return image_bytes(10_799, 1, "GIF", "P")


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_64_megapixel_png_is_refused_from_its_header(sixty_four_megapixels, settings):
    assert settings.BYLINE_MAX_IMAGE_PIXELS == 40_000_000
    with pytest.raises(ValidationError) as refused:
        services.create_media(sixty_four_megapixels, "huge.png")
    assert refused.value.messages == [
        "The image is too large: 8,000 × 8,000 pixels is 64.0 megapixels, and Byline accepts at most 40."
    ]
    assert not Media.objects.exists() and not stored_files(settings)


def test_a_10799_by_1_gif_is_stored_with_one_pixel_high_thumbnails(a_line, settings):
    media = services.create_media(a_line, "line.gif")
    assert (media.width, media.height, media.mime_type) == (10_799, 1, "image/gif")
    assert [(s["width"], s["height"]) for s in media.sizes] == [(320, 1), (640, 1), (1024, 1), (1600, 1)]
    assert len(stored_files(settings)) == 5  # the original and four thumbnails


def test_a_1_by_10799_png_is_stored_without_thumbnails(settings):
    media = services.create_media(image_bytes(1, 10_799), "pole.png")
    assert (media.width, media.height, media.sizes) == (1, 10_799, [])
    assert len(stored_files(settings)) == 1


def test_a_failure_while_making_thumbnails_leaves_no_file(settings, monkeypatch):
    # The disk fills up after the original and one thumbnail were written.
    from django.core.files.storage import default_storage

    real_save, calls = default_storage.save, []

    def filling_up(name, content, **kwargs):
        calls.append(name)
        if len(calls) > 2:
            raise OSError(28, "No space left on device")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(default_storage, "save", filling_up)
    with pytest.raises(ValidationError, match="the media folder .* is unusable, it is full"):
        services.create_media(image_bytes(1800, 1200, mode="RGB"), "quay.png")
    assert len(calls) == 3
    assert not Media.objects.exists() and not stored_files(settings)


def test_the_admin_refuses_the_huge_png_with_its_message(
    admin_client, sixty_four_megapixels, a_line, settings
):
    r = admin_client.post(
        "/admin/content/media/add/",
        {
            "file": SimpleUploadedFile("huge.png", sixty_four_megapixels, content_type="image/png"),
            "title": "x",
        },
    )
    assert r.status_code == 200
    assert "64.0 megapixels, and Byline accepts at most 40" in r.content.decode()
    assert not Media.objects.exists() and not stored_files(settings)
    r = admin_client.post(
        "/admin/content/media/add/",
        {"file": SimpleUploadedFile("line.gif", a_line, content_type="image/gif"), "title": "Line"},
    )
    assert r.status_code == 302
    assert Media.objects.get().width == 10_799
