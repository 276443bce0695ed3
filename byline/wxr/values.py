"""Small conversions of the importer and exporter: text, and WordPress's two clocks."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta
from html import unescape

from django.utils.html import strip_tags

# XML 1.0 §2.2: characters a document may not hold at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def plain_text(html: str) -> str:
    """Text that WordPress keeps as HTML (titles, term names, captions) as plain text:
    "Fish &amp; <em>chips</em>" -> "Fish & chips". Byline escapes these when it shows them."""
    if "<" in html:
        html = strip_tags(html)
    return unescape(html).strip() if "&" in html else html.strip()


def xml_text(text: str) -> str:
    """Text with the characters XML forbids removed (a control character pasted from a word
    processor would make the whole export unreadable)."""
    return _NOT_XML.sub("", text)


def moment(gmt: datetime | None, local: datetime | None, local_offset: timedelta | None) -> datetime | None:
    """When something happened: its GMT date, else its local date moved by the old site's
    offset from GMT (WordPress writes a draft's GMT date as 0000-00-00 00:00:00), else None."""
    if gmt is not None:
        return gmt
    if local is None:
        return None
    if local_offset is None:
        from byline.content.permalinks import site_zone

        return local.replace(tzinfo=site_zone())  # the zone this site is in now: the best guess
    return (local - local_offset).replace(tzinfo=UTC)


def site_mark() -> str:
    """A stable, unguessable name for this site, in the GUIDs its exports give its own posts
    and media ("byline:<mark>:post:17"): Byline's own GUIDs ("byline:post:17") are the same
    on every Byline site, so two sites' exports must not be told apart by them alone."""
    from django.conf import settings

    digest = hmac.new(settings.SECRET_KEY.encode(), b"byline.wxr.guid", hashlib.sha256).hexdigest()
    return digest[:16]


def own_id(guid: str, kind: str) -> int | None:
    """The id in this site of a post or media item that an export of this very site names."""
    prefix = f"byline:{site_mark()}:{kind}:"
    rest = guid[len(prefix) :] if guid.startswith(prefix) else ""
    return int(rest) if rest.isdigit() and len(rest) < 19 else None
