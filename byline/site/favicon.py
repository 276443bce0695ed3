"""The site's icon: the first letter of its title, drawn white on the theme's blue.

`/favicon.svg` for browsers that take SVG icons and `/favicon.ico` (PNG images in an ICO)
for the rest and for the many clients that ask for that address without reading the page.
Both are made from the `blogname` option when asked for, remembered per title in the
process, and sent with an ETag so that a browser revalidates cheaply.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.html import escape
from django.utils.http import quote_etag
from PIL import Image, ImageDraw, ImageFont

from byline.options.store import get_option

BACKGROUND = "#0b57d0"  # the theme's --accent
FOREGROUND = "#ffffff"
ICO_SIZES = (16, 32, 48)
# A bold face makes a letter legible at 16 px; Pillow's own font is the fallback everywhere.
_BOLD_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/Library/Fonts/Arial Bold.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
)


def initial(title: str) -> str:
    """The letter that stands for the site: the title's first letter or digit, in capitals."""
    for char in title:
        if char.isalnum():
            return char.upper()
    return "B"  # a title with no letter at all: Byline's


def favicon_svg(title: str) -> str:
    letter = escape(initial(title))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="12" fill="{BACKGROUND}"/>'
        f'<text x="32" y="46" text-anchor="middle" fill="{FOREGROUND}" '
        'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, sans-serif" font-size="40" '
        f'font-weight="700">{letter}</text></svg>\n'
    )


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _BOLD_FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _drawn(letter: str, size: int) -> Image.Image:
    scale = 4  # drawn large, then reduced: smooth edges at 16 px
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=BACKGROUND)
    draw.text((big / 2, big / 2), letter, font=_font(round(big * 0.68)), fill=FOREGROUND, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


@lru_cache(maxsize=8)
def favicon_ico(title: str) -> bytes:
    """The icon as an ICO file holding 16, 32 and 48 px images."""
    letter = initial(title)
    largest = _drawn(letter, max(ICO_SIZES))
    buf = io.BytesIO()
    largest.save(buf, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    return buf.getvalue()


def _answer(request, body: bytes | str, content_type: str, title: str) -> HttpResponse:
    tag = quote_etag(hashlib.sha256(f"{content_type}:{title}".encode()).hexdigest()[:20])
    if request.headers.get("If-None-Match") == tag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = tag
    # A day: a renamed site shows its new initial by tomorrow; revalidation is a 304.
    response["Cache-Control"] = "public, max-age=86400"
    return response


def svg_view(request):
    title = get_option("blogname")
    return _answer(request, favicon_svg(title), "image/svg+xml", title)


def ico_view(request):
    title = get_option("blogname")
    return _answer(request, favicon_ico(title), "image/x-icon", title)
