"""What every serializer needs: the request's context, WordPress's date shapes, avatars."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote

from django.utils.html import escape

from byline.content.permalinks import local
from byline.options.store import get_option

AVATAR_SIZES = (24, 48, 96)


@dataclass
class Ctx:
    """The request a response is built for, and the context (view, embed or edit) it asked for."""

    request: object
    context: str = "view"
    password: str | None = None  # the `password` argument for a protected post
    excerpt_length: int | None = None  # words in a generated excerpt (the `excerpt_length` argument)
    cache: dict = field(default_factory=dict)

    @property
    def user(self):
        return self.request.user

    @property
    def edit(self) -> bool:
        return self.context == "edit"

    @property
    def embed(self) -> bool:
        return self.context == "embed"

    def as_embed(self) -> Ctx:
        return Ctx(self.request, "embed", cache=self.cache)


def local_date(dt: datetime | None) -> str | None:
    """WordPress's `date`: the site's wall-clock time, without a zone."""
    if dt is None:
        return None
    return local(dt).replace(tzinfo=None).isoformat(timespec="seconds")


def gmt_date(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def rendered(html: str, raw: str | None = None, ctx: Ctx | None = None, **extra) -> dict:
    out = {"rendered": html, **extra}
    if ctx is not None and ctx.edit and raw is not None:
        out = {"raw": raw, **out}
    return out


def text_html(text: str) -> str:
    """Plain text (a title, a caption) as the HTML WordPress would render."""
    return escape(text)


_ROOTED = re.compile(r'(\s(?:src|href|poster)=")/(?!/)')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')


def absolute_html(html: str, request) -> str:
    """Site-relative `src`, `href` and `srcset` addresses made absolute, as WordPress's are:
    the text is shown on other sites and in apps, where `/media/…` means nothing."""
    base = request.build_absolute_uri("/")

    def srcset(m):
        return m.group(1) + re.sub(r"(^|,\s*)/(?!/)", lambda n: n.group(1) + base, m.group(2)) + m.group(3)

    return _SRCSET.sub(srcset, _ROOTED.sub(lambda m: m.group(1) + base, html))


def show_avatars() -> bool:
    return bool(get_option("show_avatars"))


def avatar_urls(name: str, image_url: str | None = None) -> dict:
    """Avatars drawn here (initials on a colour from the name), never a third party's.

    WordPress sends Gravatar addresses, which hand readers' visits (and an email hash) to
    another company; Byline's are `data:` images, or the author's own uploaded photo.
    """
    if image_url:
        return {str(size): image_url for size in AVATAR_SIZES}
    words = [w for w in (name or "?").split() if w]
    initials = "".join(w[0] for w in words[:2]).upper() or "?"
    hue = int(hashlib.sha256((name or "").encode()).hexdigest()[:4], 16) % 360
    out = {}
    for size in AVATAR_SIZES:
        svg = (
            f"<svg xmlns='http://www.w3.org/2000/svg' width='{size}' height='{size}' viewBox='0 0 96 96'>"
            f"<rect width='96' height='96' fill='hsl({hue},45%,45%)'/>"
            "<text x='48' y='62' font-family='sans-serif' font-size='40' text-anchor='middle' "
            f"fill='#fff'>{escape(initials)}</text></svg>"
        )
        out[str(size)] = "data:image/svg+xml," + quote(svg, safe="")
    return out
