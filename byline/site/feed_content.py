"""A post's HTML made fit to travel in a feed: absolute addresses, images with their size.

Feed readers show an entry away from the site, and many ignore `xml:base`: a `src="/media/…"`
would point at the reader's own host. Every `src`, `href`, `poster`, `cite` and `srcset`
is made absolute against the post's own address, and an `<img>` without width and height
gets them from the site's media (one query per feed) or from a WordPress size in its name
(`photo-300x200.jpg`), so that readers lay the entry out without jumping.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings

from byline.content.models import Media

_TAG = re.compile(r"<(?:img|a|source|video|audio|blockquote|q|del|ins|track)\b[^>]*>", re.I)
_URL_ATTRIBUTE = re.compile(r'(\s(?:src|href|poster|cite)=")([^"]*)(")', re.I)
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")', re.I)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_SRC = re.compile(r'\ssrc="([^"]*)"', re.I)
_WORDPRESS_SIZE = re.compile(r"-(\d{1,5})x(\d{1,5})\.\w+$")


def _absolute(value: str, base: str) -> str:
    """One attribute value (HTML-escaped as it stands in the page) made absolute."""
    url = html.unescape(value).strip()
    return html.escape(urljoin(base, url), quote=True) if url else value


def _absolute_srcset(value: str, base: str) -> str:
    candidates = []
    for candidate in html.unescape(value).split(","):
        parts = candidate.split()
        if parts:
            candidates.append(" ".join([urljoin(base, parts[0]), *parts[1:]]))
    return html.escape(", ".join(candidates), quote=True)


def absolute_urls(content: str, base: str) -> str:
    """Every address in the HTML made absolute against `base` (the post's own URL)."""

    def tag(m: re.Match) -> str:
        text = _URL_ATTRIBUTE.sub(lambda a: a.group(1) + _absolute(a.group(2), base) + a.group(3), m.group(0))
        if "srcset" not in text.lower():  # most tags: a substring test instead of a regex scan
            return text
        return _SRCSET.sub(lambda a: a.group(1) + _absolute_srcset(a.group(2), base) + a.group(3), text)

    return _TAG.sub(tag, content)


def _media_name(src: str) -> str | None:
    """The stored file name of an image served from this site's media, else None."""
    path = unquote(urlsplit(html.unescape(src)).path)
    return path[len(settings.MEDIA_URL) :] if path.startswith(settings.MEDIA_URL) else None


def unsized_media_names(contents: list[str]) -> set[str]:
    """The media files shown by `<img>` tags that have no width or height."""
    names = set()
    for content in contents:
        for img in _IMG.findall(content):
            if " width=" in img and " height=" in img:
                continue
            src = _SRC.search(img)
            name = _media_name(src.group(1)) if src else None
            if name:
                names.add(name)
    return names


def media_sizes(names: set[str]) -> dict[str, tuple[int, int]]:
    """(width, height) of the named media files and of their thumbnails, in one query."""
    if not names:
        return {}
    sizes: dict[str, tuple[int, int]] = {}
    for media in Media.objects.filter(file__in=names).only("file", "width", "height", "sizes"):
        if media.width and media.height:
            sizes[media.file.name] = (media.width, media.height)
        for size in media.sizes or []:
            sizes[size["name"]] = (size["width"], size["height"])
    return sizes


def add_image_sizes(content: str, known: dict[str, tuple[int, int]]) -> str:
    """Give each `<img>` without width and height the size of its file, when it is known."""

    def img(m: re.Match) -> str:
        tag = m.group(0)
        if " width=" in tag and " height=" in tag:
            return tag
        src = _SRC.search(tag)
        if src is None:
            return tag
        name = _media_name(src.group(1))
        size = known.get(name) if name else None
        if size is None:
            wordpress = _WORDPRESS_SIZE.search(urlsplit(html.unescape(src.group(1))).path)
            size = (int(wordpress.group(1)), int(wordpress.group(2))) if wordpress else None
        if size is None:
            return tag
        tag = re.sub(r'\s(?:width|height)="[^"]*"', "", tag)
        return tag[:4] + f' width="{size[0]}" height="{size[1]}"' + tag[4:]

    return _IMG.sub(img, content)
