"""What a photo and a news page say about themselves: credits for figures, fields for clippings.

Photos from agencies carry their caption and credit in IPTC, XMP or EXIF fields (WordPress reads
them into metadata and shows them nowhere); the desk prefills the figure's fields with them.
A clipping's page is fetched by the server through a guard against requests into the site's own
network (SSRF): only http(s), only public addresses, bounded in time and size.
"""

from __future__ import annotations

import io
import ipaddress
import json
import re
import socket
from html import unescape
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from PIL import Image, IptcImagePlugin

# IPTC IIM record 2 datasets (IPTC Photo Metadata Standard): 80 By-line, 110 Credit, 116 Copyright
# Notice, 120 Caption/Abstract.
_IPTC = {(2, 80): "creator", (2, 110): "credit", (2, 116): "copyright", (2, 120): "caption"}
# EXIF 0th IFD tags: 0x010E ImageDescription, 0x013B Artist, 0x8298 Copyright.
_EXIF = {0x010E: "caption", 0x013B: "creator", 0x8298: "copyright"}


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, dict):  # XMP's language alternatives: {"Alt": {"li": ...}}
        for inner in value.values():
            return _text(inner)
        return ""
    return " ".join(str(value or "").split()).strip("\x00 ")


def _xmp_fields(image: Image.Image) -> dict[str, str]:
    try:
        xmp = image.getxmp()
    except Exception:  # noqa: BLE001 - a damaged XMP packet only means no prefill
        return {}
    found: dict[str, str] = {}

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("description", "creator", "rights", "Credit"):
                    name = {
                        "description": "caption",
                        "creator": "creator",
                        "rights": "copyright",
                        "Credit": "credit",
                    }[key]
                    found.setdefault(name, _text(_leaf(value)))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(xmp)
    return {k: v for k, v in found.items() if v}


def _leaf(value):
    while isinstance(value, dict):
        # A language alternative reads {"lang": "x-default", "text": "…"}: the text, not the language.
        value = value["text"] if "text" in value else next(iter(value.values()), "")
    if isinstance(value, list):
        value = value[0] if value else ""
        return _leaf(value)
    return value


def photo_metadata(data: bytes) -> dict[str, str]:
    """Caption and credit a photo carries: {"caption": …, "credit": …} (empty strings when none).

    The credit is the Credit field, else the Creator, with the Copyright notice when it adds a name.
    """
    fields: dict[str, str] = {}
    try:
        image = Image.open(io.BytesIO(data))
        iptc = IptcImagePlugin.getiptcinfo(image) or {}
        for key, name in _IPTC.items():
            if key in iptc and _text(iptc[key]):
                fields.setdefault(name, _text(iptc[key]))
        for name, value in _xmp_fields(image).items():
            fields.setdefault(name, value)
        exif = image.getexif()
        for tag, name in _EXIF.items():
            if exif.get(tag) and _text(exif.get(tag)):
                fields.setdefault(name, _text(exif.get(tag)))
    except Exception:  # noqa: BLE001 - metadata is a courtesy; the upload itself was already checked
        return {"caption": "", "credit": ""}
    credit = fields.get("credit") or fields.get("creator") or fields.get("copyright", "")
    if fields.get("creator") and fields.get("credit") and fields["creator"] not in fields["credit"]:
        credit = f"{fields['creator']}/{fields['credit']}"
    return {"caption": fields.get("caption", "")[:2000], "credit": credit[:250]}


# --- clippings -------------------------------------------------------------------------------------

MAX_PAGE_BYTES = 2 * 1024 * 1024
FETCH_TIMEOUT = 5.0


class FetchRefused(Exception):
    """The address may not or could not be fetched; the message says why, for the writer."""


def _public_address(host: str, port: int) -> str:
    """Resolve a host and refuse private, loopback, link-local and other non-public addresses."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused(f"The address {host} could not be found.") from exc
    allow_loopback = getattr(settings, "BYLINE_CLIPPING_ALLOW_LOOPBACK", False)
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if allow_loopback and address.is_loopback:
            continue
        if not address.is_global or address.is_multicast:
            raise FetchRefused(f"{host} is a private or local address; Byline fetches only public pages.")
    return infos[0][4][0]


def fetch_page(url: str) -> tuple[str, str]:
    """GET a public page (following up to 3 redirects, each checked): its final URL and HTML text."""
    for _ in range(4):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchRefused("Only http and https addresses can be fetched.")
        _public_address(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        try:
            response = requests.get(
                url,
                timeout=(FETCH_TIMEOUT, FETCH_TIMEOUT),
                stream=True,
                allow_redirects=False,
                headers={"User-Agent": "Byline clipping fetcher", "Accept": "text/html"},
            )
        except requests.Timeout as exc:
            raise FetchRefused("The page took too long to answer.") from exc
        except requests.RequestException as exc:
            raise FetchRefused("The page could not be fetched.") from exc
        with response:
            if response.is_redirect and response.headers.get("location"):
                url = urljoin(url, response.headers["location"])
                continue
            if response.status_code != 200:
                raise FetchRefused(f"The page answered {response.status_code}.")
            if int(response.headers.get("content-length") or 0) > MAX_PAGE_BYTES:
                raise FetchRefused("The page is too large to read.")
            body, started = b"", _now()
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_PAGE_BYTES:
                    raise FetchRefused("The page is too large to read.")
                if _now() - started > FETCH_TIMEOUT:
                    raise FetchRefused("The page took too long to answer.")
            return url, body.decode(response.encoding or "utf-8", "replace")
    raise FetchRefused("The page redirects too many times.")


def _now() -> float:
    import time

    return time.monotonic()


_META = re.compile(r"<meta\b[^>]*>", re.I)
_JSONLD = re.compile(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)


def clipping_fields(url: str, html: str) -> dict[str, str]:
    """The clipping's fields from a page's JSON-LD NewsArticle, else its OpenGraph and meta tags.

    The dateline comes only from schema.org's NewsArticle `dateline`; no meta tag carries one.
    """
    fields = {
        "url": url,
        "publication": "",
        "headline": "",
        "byline": "",
        "date": "",
        "dateline": "",
        "text": "",
    }
    meta: dict[str, str] = {}
    for tag in _META.findall(html):
        attrs = {k.lower(): unescape(v) for k, v in re.findall(r'([a-zA-Z:-]+)\s*=\s*"([^"]*)"', tag)}
        key = attrs.get("property") or attrs.get("name")
        if key and "content" in attrs:
            meta.setdefault(key.lower(), attrs["content"].strip())
    for block in _JSONLD.findall(html):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        if isinstance(data, dict):
            data = data.get("@graph", [data])
        for item in data if isinstance(data, list) else []:
            kind = item.get("@type") if isinstance(item, dict) else None
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(k in ("NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting") for k in kinds):
                continue
            fields["headline"] = fields["headline"] or _text(item.get("headline"))
            author = item.get("author")
            authors = author if isinstance(author, list) else [author]
            names = [_text(a.get("name")) if isinstance(a, dict) else _text(a) for a in authors]
            fields["byline"] = fields["byline"] or ", ".join(n for n in names if n)
            publisher = item.get("publisher")
            if isinstance(publisher, dict):
                fields["publication"] = fields["publication"] or _text(publisher.get("name"))
            fields["date"] = fields["date"] or _text(item.get("datePublished"))[:10]
            fields["dateline"] = fields["dateline"] or _text(item.get("dateline"))
            fields["text"] = fields["text"] or _text(item.get("description"))
            fields["url"] = _text(item.get("url")) or fields["url"]
    fields["headline"] = fields["headline"] or meta.get("og:title", "")
    fields["publication"] = fields["publication"] or meta.get("og:site_name", "")
    fields["byline"] = fields["byline"] or meta.get("author", "") or meta.get("article:author", "")
    fields["date"] = fields["date"] or meta.get("article:published_time", "")[:10]
    fields["text"] = fields["text"] or meta.get("og:description", "") or meta.get("description", "")
    if not re.match(r"https?://", fields["url"]):
        fields["url"] = url
    return {k: v[:2000] for k, v in fields.items()}
