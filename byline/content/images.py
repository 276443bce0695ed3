"""Reading an uploaded image safely, and its thumbnails: the checks every upload path shares.

The size is read from the file's header and refused *before* any pixel is decoded: Pillow's
own guard (`Image.MAX_IMAGE_PIXELS`) only raises at twice its limit and merely warns below
that, so a 64-megapixel PNG would otherwise be decoded in full against a 40-megapixel limit.
"""

from __future__ import annotations

import io
import os
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

THUMBNAIL_WIDTHS = (320, 640, 1024, 1600)
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
NOT_AN_IMAGE = "The file is not an image Byline can read (JPEG, PNG, GIF or WebP)."


def set_pillow_limit() -> None:
    """Pillow's own bomb guard, a backstop behind `open_checked`'s header check, set once when
    the app starts (it is process-wide) rather than on every upload."""
    Image.MAX_IMAGE_PIXELS = settings.BYLINE_MAX_IMAGE_PIXELS


def too_large(width: int, height: int, limit: int) -> str:
    return (
        f"The image is too large: {width:,} × {height:,} pixels is "
        f"{width * height / 1e6:.1f} megapixels, and Byline accepts at most {limit / 1e6:g}."
    )


def open_checked(data: bytes) -> Image.Image:
    """The decoded image, or ValidationError with a message for the uploader.

    Width × height is checked from the header first; only an image within
    `BYLINE_MAX_IMAGE_PIXELS` is verified and decoded.
    """
    limit = settings.BYLINE_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow warns between its limit and twice it; our own check below refuses those.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            header = Image.open(io.BytesIO(data))
        width, height = header.size
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            f"The image is too large: Byline accepts at most {limit / 1e6:g} megapixels."
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(NOT_AN_IMAGE) from exc
    if width * height > limit:
        raise ValidationError(too_large(width, height, limit))
    if header.format not in IMAGE_FORMATS:
        raise ValidationError(NOT_AN_IMAGE)
    try:
        header.verify()  # catches truncated and corrupt files before any decoding work
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(NOT_AN_IMAGE) from exc
    return image


def make_thumbnails(image: Image.Image, stored_name: str, saved: list[str]) -> list[dict]:
    """Smaller copies for srcset, in the original's format, next to the original.

    Each stored name is appended to `saved` as soon as it is written, so that the caller can
    remove them all if anything later fails. A very wide image (10,799 × 1) keeps at least
    one pixel of height.
    """
    root, ext = os.path.splitext(stored_name)
    out = []
    for width in THUMBNAIL_WIDTHS:
        if width >= image.width:
            break
        height = max(1, round(image.height * width / image.width))
        thumb = image
        if thumb.mode not in ("RGB", "RGBA", "L") or (image.format == "JPEG" and thumb.mode != "RGB"):
            thumb = thumb.convert("RGB")
        thumb = thumb.resize((width, height), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        fmt = image.format if image.format in ("JPEG", "PNG", "WEBP") else "PNG"
        thumb.save(buf, format=fmt, **({"quality": 85, "optimize": True} if fmt == "JPEG" else {}))
        name = default_storage.save(
            f"{root}-{width}w{ext if fmt == image.format else '.png'}", ContentFile(buf.getvalue())
        )
        saved.append(name)
        out.append({"width": thumb.width, "height": thumb.height, "name": name})
    return out
