"""What a photo and a news page say about themselves: credits for figures, fields for clippings.

Photos from agencies carry their caption and credit in IPTC, XMP or EXIF fields (WordPress reads
them into metadata and shows them nowhere); the desk prefills the figure's fields with them.
A clipping's page is fetched by the server through a guard against requests into the site's own
network (SSRF): only http(s), only public addresses (every address a name resolves to is checked,
and the connection goes to the checked address: no second lookup to rebind), bounded in time and size.
"""

from __future__ import annotations

import io
import ipaddress
import json
import re
import socket
from collections.abc import Callable
from html import unescape
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
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


Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system's resolver gives for a host (a literal address gives itself)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused(f"The address {host} could not be found.") from exc
    return [info[4][0] for info in infos]


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_loopback: bool) -> bool:
    """Whether an address is outside the public internet (private, loopback, link-local, reserved…).

    An IPv6 address that carries an IPv4 one (IPv4-mapped ::ffff:a.b.c.d, 6to4, Teredo) is
    judged by the IPv4 address it reaches.
    """
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if inner is not None:
            return _refused(inner, allow_loopback)
    if address.is_loopback:
        return not allow_loopback
    return (
        not address.is_global
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def checked_address(host: str, port: int, resolve: Resolver = system_resolver) -> str:
    """Resolve a host once and check every address it has; the first, to connect to, or FetchRefused.

    One bad address refuses the host: a name that answers both a public and a private address
    is how DNS rebinding reaches inside.
    """
    allow_loopback = getattr(settings, "BYLINE_CLIPPING_ALLOW_LOOPBACK", False)
    addresses = resolve(host, port)
    if not addresses:
        raise FetchRefused(f"The address {host} could not be found.")
    for text in addresses:
        try:
            address = ipaddress.ip_address(text.split("%")[0])
        except ValueError as exc:
            raise FetchRefused(f"The address {host} could not be found.") from exc
        if _refused(address, allow_loopback):
            raise FetchRefused(f"{host} is a private or local address; Byline fetches only public pages.")
    return addresses[0].split("%")[0]


def _pool(scheme: str, host: str, address: str, port: int) -> urllib3.HTTPConnectionPool:
    """A connection to the checked address itself; TLS still names (SNI) and verifies the host."""
    timeout = urllib3.Timeout(connect=FETCH_TIMEOUT, read=FETCH_TIMEOUT)
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=host,
            assert_hostname=host,
        )
    return urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)


def fetch_page(url: str, *, resolve: Resolver = system_resolver) -> tuple[str, str]:
    """GET a public page (following up to 3 redirects, each checked): its final URL and HTML text.

    Each hop resolves its host once (`resolve`), checks every address, and connects to the
    checked address, never resolving again: a name that changes its answer between the check
    and the connection (DNS rebinding) cannot send the request inside.
    """
    for _ in range(4):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchRefused("Only http and https addresses can be fetched.")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise FetchRefused("The address has a port that is not a number.") from exc
        host = parts.hostname
        address = checked_address(host, port, resolve)
        default_port = port == (443 if parts.scheme == "https" else 80)
        shown_host = f"[{host}]" if ":" in host else host
        headers = {
            "Host": shown_host if default_port else f"{shown_host}:{port}",
            "User-Agent": "Byline clipping fetcher",
            "Accept": "text/html",
        }
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        pool = _pool(parts.scheme, host, address, port)
        try:
            response = pool.urlopen(
                "GET", target, headers=headers, redirect=False, preload_content=False, retries=False
            )
        except (TimeoutError, urllib3.exceptions.TimeoutError) as exc:
            raise FetchRefused("The page took too long to answer.") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise FetchRefused("The page could not be fetched.") from exc
        try:
            location = response.headers.get("location")
            if response.status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchRefused(f"The page answered {response.status}.")
            return url, _read_body(response)
        finally:
            response.release_conn()
            pool.close()
    raise FetchRefused("The page redirects too many times.")


def _read_body(response) -> str:
    """At most MAX_PAGE_BYTES, within FETCH_TIMEOUT in all (a slow drip counts)."""
    try:
        if int(response.headers.get("content-length") or 0) > MAX_PAGE_BYTES:
            raise FetchRefused("The page is too large to read.")
    except ValueError:
        pass
    body, started = b"", _now()
    try:
        for chunk in response.stream(64 * 1024):
            body += chunk
            if len(body) > MAX_PAGE_BYTES:
                raise FetchRefused("The page is too large to read.")
            if _now() - started > FETCH_TIMEOUT:
                raise FetchRefused("The page took too long to answer.")
    except (TimeoutError, urllib3.exceptions.TimeoutError) as exc:
        raise FetchRefused("The page took too long to answer.") from exc
    except urllib3.exceptions.HTTPError as exc:
        raise FetchRefused("The page could not be fetched.") from exc
    charset = re.search(r"charset=([\w-]+)", response.headers.get("content-type", ""))
    try:
        return body.decode(charset.group(1) if charset else "utf-8", "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


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
