"""The full-page cache: anonymous readers get stored bytes, every change outdates them all.

Readers without a personal cookie who GET (or HEAD) a page, an archive, a feed, the sitemap,
robots.txt or a REST route get the bytes stored by the first such request, compressed once
(gzip and brotli) when stored, with a strong ETag, Last-Modified and 304s.

**Exact invalidation by one site-wide generation.** Every entry records the generation it was
rendered under; an entry of another generation is a miss. Every `site_changed` (a post saved,
a comment approved, an option set, an import…) replaces the generation with a new random one,
right away and again after the change's transaction commits. The generation is read *before*
the view reads the database, so a page rendered from data older than a change is stored under
the generation the change replaced and never served. A CDN in front (``page_cache_purge``) is
told by the background worker, after the change, so no writer waits on it. The generation
lives where every server process sees it: in Redis with ``cache_url`` (every node), else in a
file in the data dir (every process of this machine). Tracking which pages show which post
would keep more pages warm, but would have to be right for every list, feed, widget and REST
filter; a counter is right by construction, and a miss costs one render (docs/architecture.md).

**Nothing personal is frozen into a page.** The comment form's CSRF token and CAPTCHA are
stored as placeholders and filled in fresh for each reader, from the stored page (no database
query): a fresh signed sum, and the reader's own CSRF token (a cookie set when they have none).
Such a page is served gzip'd from stored deflate blocks around a small freshly-compressed
fragment, as ``private, no-cache`` (a CDN must not keep it) and without validators.

**Hits are answered before Django's handler.** byline.wsgi wraps Django's application with
`wsgi()`: `answer()` serves a current stored page to a reader with no personal cookie from the
WSGI environ, standing in for the middleware outside this one (the proxy's headers, the
request's text, the security headers, recorded once per process by running that middleware)
and for PageCacheMiddleware's own hit. Anything else (a miss, a session cookie, a refusal
due) goes to Django, which decides as before. A hit costs a fraction of the handler's.

Skipped: signed-in readers (a session with a user), a commenter who has a held comment to see,
one who asked to be remembered, password-unlocked posts, flash messages, anything but
GET/HEAD, responses that set cookies, say ``private``/``no-store``, or are not 200.
Unknown query parameters bypass the cache (tracking ones such as ``utm_source`` are
ignored), and the key is a fixed-length hash: odd requests cannot fill the store.
A store that cannot be reached (Redis stopped) means every request renders: slower, no error.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import secrets
import struct
import threading
import time
import urllib.request
import zlib
from collections import OrderedDict
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import brotli
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified, parse_cookie
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CsrfViewMiddleware,
    InvalidTokenFormat,
)
from django.test.signals import setting_changed
from django.utils.crypto import salted_hmac
from django.utils.http import http_date, parse_http_date_safe
from django.utils.module_loading import import_string
from markupsafe import escape

from byline.comments.display import HELD_COOKIE
from byline.proxy import believe_proxy, trusted_networks
from byline.signals import site_changed, site_changed_later
from byline.text import API_PREFIX, clean_header, clean_query, is_clean

log = logging.getLogger("byline.pagecache")

GENERATION_KEY = "byline:pagecache:generation"
HEADER = "X-Byline-Cache"  # hit, miss or bypass: for people and tests reading a response

# Query parameters a theme page or feed reads (WordPress's public query vars Byline knows).
PAGE_PARAMETERS = frozenset(
    "s paged page cpage replytocom p page_id cat tag author m year monthnum day feed post_type name".split()
)
# The REST API's GET arguments (byline.api's declarations, WordPress's names).
REST_PARAMETERS = frozenset(
    (
        "rest_route context page per_page search search_columns after before modified_after "
        "modified_before author author_exclude exclude include offset order orderby slug status "
        "categories categories_exclude tags tags_exclude sticky post parent parent_exclude "
        "hide_empty type subtype media_type mime_type who roles _fields _embed _envelope password "
        "tax_relation karma author_email"
    ).split()
)
# Links shared on a viral day carry these; no page reads them, so they are left out of the key.
TRACKING_PARAMETERS = frozenset("fbclid gclid dclid msclkid mc_cid mc_eid igshid _ga ref_src".split())
MAX_QUERY = 1024  # characters of query string; beyond, a request is not cached
MAX_VALUE = 256
MAX_PARAMETERS = 16
MAX_PATH = 1024
NEVER = (
    "/wp-admin",
    "/admin/",
    "/wp-login.php",
    "/wp-comments-post.php",
    "/postpass/",
    "/media/",
    "/static/",
)
# The remembered commenter, a post password, a held comment, flash messages.
PERSONAL_COOKIES = ("comment_author", "wp-postpass_", HELD_COOKIE, "messages")
CACHEABLE_TYPES = ("text/html", "application/json", "application/xml", "text/xml", "text/plain",
                   "application/rss+xml", "application/atom+xml", "image/svg+xml")  # fmt: skip
DROPPED_HEADERS = {"set-cookie", "content-length", "content-encoding", "etag", "last-modified"}


def enabled() -> bool:
    return bool(getattr(settings, "BYLINE_PAGE_CACHE", False))


# --- the generation -----------------------------------------------------------------------


def _store():
    return caches["pages"]


def _shared_generation() -> bool:
    """With Redis (``cache_url``) the generation lives beside the pages; else in a file."""
    return bool(getattr(settings, "BYLINE_CACHE_URL", ""))


def _generation_file() -> Path:
    return Path(settings.DATA_DIR) / "page-cache.generation"


def _read_file_generation() -> str | None:
    # Read on every hit, so with the plain system calls: pathlib's read_text costs three times more.
    path = os.path.join(settings.DATA_DIR, "page-cache.generation")
    try:
        return _read_small(path)
    except FileNotFoundError:
        _write_file_generation()
        return _read_small(path)
    except OSError:
        return None


def _read_small(path: str) -> str | None:
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, 256).decode() or None
    finally:
        os.close(fd)


def _write_file_generation() -> None:
    path = _generation_file()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    tmp.write_text(secrets.token_hex(8))
    os.replace(tmp, path)  # atomic: a reader sees the old or the new generation, never half


def bump(reason: str = "") -> None:
    """Outdate every stored page, on every process and node."""
    try:
        if _shared_generation():
            _store().set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        else:
            _write_file_generation()
    except Exception:  # the change itself succeeded; pages must not make it fail
        log.exception("could not outdate the page cache (%s)", reason)


def _lookup(key: str) -> tuple[str | None, dict | None]:
    """The current generation and the entry stored under ``key`` (one round trip to Redis)."""
    if not _shared_generation():
        generation = _read_file_generation()
        if not generation:
            return generation, None
        entry = _decoded_entry(key, generation)
        if entry is None:
            entry = _store().get(key)
            if entry and entry.get("generation") == generation:
                entry = _keep_decoded(key, entry)
        return generation, entry
    found = _store().get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        return _start_generation(), None
    return generation, found.get(key)


def _start_generation() -> str | None:
    """A new (or emptied) Redis: start a generation, or take the one another process just started."""
    fresh = secrets.token_hex(8)
    if _store().add(GENERATION_KEY, fresh, timeout=None):
        return fresh
    return _store().get(GENERATION_KEY)


def current_generation() -> str | None:
    """The generation every process and node reads the same, or None when it cannot be read
    (byline.sitewide remembers site-wide answers under it, cache on or off)."""
    try:
        if not _shared_generation():
            return _read_file_generation()
        return _store().get(GENERATION_KEY) or _start_generation()
    except Exception:  # an unreachable Redis: nothing is remembered, pages are still served
        return None


# Entries kept decoded in this process, most recently served last: the per-process store
# pickles what it keeps, and unpickling a 300 KB page costs more than the rest of a hit.
# Keyed by the entry's key; served only while the entry's generation is the current one
# (read on every hit, as before) and no later than the store itself would have expired it.
# At most DECODED_BYTES of page bytes per process, least recently served dropped first.
DECODED_BYTES = 16 * 1024 * 1024
MEMO = "wsgi-memo"  # in a decoded entry: what `answer()` worked out once (headers by request kind)
_decoded: OrderedDict = OrderedDict()  # key → (generation, entry, until, size)
_decoded_lock = threading.Lock()
_decoded_size = [0]


def _decoded_entry(key: str, generation: str) -> dict | None:
    held = _decoded.get(key)
    if held is None or held[0] != generation or time.time() >= held[2]:
        return None
    with _decoded_lock:
        if key in _decoded:
            _decoded.move_to_end(key)
    return held[1]


def _entry_size(entry: dict) -> int:
    size = 0
    for value in entry.values():
        if isinstance(value, bytes):
            size += len(value)
        elif isinstance(value, list):
            size += sum(len(v) for v in value if isinstance(v, bytes))
    return size


def _keep_decoded(key: str, entry: dict) -> dict:
    """Keep a current entry just read from the store decoded; the kept copy, with a memo."""
    size = _entry_size(entry)
    if size > DECODED_BYTES // 4:
        return entry
    entry = {**entry, MEMO: {}}
    until = entry["stored_at"] + settings.BYLINE_PAGE_CACHE_SECONDS  # the store keeps it no longer
    with _decoded_lock:
        old = _decoded.pop(key, None)
        if old is not None:
            _decoded_size[0] -= old[3]
        _decoded[key] = (entry["generation"], entry, until, size)
        _decoded_size[0] += size
        while _decoded_size[0] > DECODED_BYTES:
            _decoded_size[0] -= _decoded.popitem(last=False)[1][3]
    return entry


def forget_decoded() -> None:
    """Drop every entry this process keeps decoded (the store itself is untouched)."""
    with _decoded_lock:
        _decoded.clear()
        _decoded_size[0] = 0


def _on_site_changed(sender=None, reason: str = "", **kwargs) -> None:
    bump(reason)
    if transaction.get_connection().in_atomic_block:
        # Readers between now and the commit may still render the old rows under the new
        # generation: outdate them once more when the change is visible to everyone.
        transaction.on_commit(lambda: bump(reason))


def connect() -> None:
    site_changed.connect(_on_site_changed, dispatch_uid="byline.pagecache")
    if getattr(settings, "BYLINE_PAGE_CACHE_PURGE", ""):
        connect_cdn()


def connect_cdn() -> None:
    """A CDN is told in the background: the worker sends `site_changed_later` after changes
    (coalesced: a burst of changes is one purge), so no writer waits on the CDN's answer."""
    site_changed_later.connect(_purge_cdn, dispatch_uid="byline.pagecache.cdn")


def disconnect_cdn() -> None:
    site_changed_later.disconnect(dispatch_uid="byline.pagecache.cdn")


def _purge_cdn(sender=None, reason: str = "", **kwargs) -> None:
    """Tell a CDN in front that every page changed: `page_cache_purge` names a callable or a URL."""
    target = getattr(settings, "BYLINE_PAGE_CACHE_PURGE", "")
    if not target:
        return
    try:
        if target.startswith(("http://", "https://")):
            body = json.dumps({"purge": "all", "reason": reason}).encode()
            req = urllib.request.Request(target, data=body, headers={"Content-Type": "application/json"})  # noqa: S310 - http(s) only, checked above
            urllib.request.urlopen(req, timeout=10).close()  # noqa: S310 - the owner's own address
        else:
            import_string(target)(reason=reason)
    except Exception as exc:
        # The purge task fails and is retried with backoff (the desk's Tasks page shows it).
        log.warning("the CDN purge hook %s failed (%s): %s", target, reason, exc)
        raise


# --- what a request may be served ---------------------------------------------------------


def _personal(request) -> bool:
    """Whether this reader may see something no other reader sees (no query without a cookie)."""
    cookies = request.COOKIES
    if not cookies:
        return False
    if any(name.startswith(PERSONAL_COOKIES) for name in cookies):
        return True
    session_key = cookies.get(settings.SESSION_COOKIE_NAME)
    if session_key:
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
        try:
            return bool(store.get(SESSION_KEY))
        except Exception:  # a session store that cannot answer: treat the reader as personal
            return True
    return False


def cache_key(request) -> str | None:
    """The key of this request's page, or None when it must not come from the cache."""
    if request.method not in ("GET", "HEAD"):
        return None
    path = request.path_info
    if len(path) > MAX_PATH or path.startswith(NEVER):
        return None
    if "HTTP_AUTHORIZATION" in request.META or "HTTP_X_WP_NONCE" in request.META:
        return None
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY:
        return None
    # No query string, no parameters: most hits, which need not build request.GET.
    rest = path.startswith("/wp-json") or (bool(query) and "rest_route" in request.GET)
    known = REST_PARAMETERS if rest else PAGE_PARAMETERS
    params = []
    for name, values in request.GET.lists() if query else ():
        if name in TRACKING_PARAMETERS or name.startswith("utm_"):
            continue
        if name not in known or len(values) > 4 or any(len(v) > MAX_VALUE for v in values):
            return None
        params.append((name, values))
    if len(params) > MAX_PARAMETERS:
        return None
    try:
        host = request.get_host()
    except Exception:  # a Host not in ALLOWED_HOSTS: Django answers it, uncached
        return None
    accept = request.META.get("HTTP_ACCEPT", "")
    # Feeds answer browsers (text/html in Accept) and feed readers differently (Vary: Accept).
    variant = "html" if "text/html" in accept else ""
    raw = json.dumps([request.scheme, host, path, variant, sorted(params)], ensure_ascii=True)
    return "page:" + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


# --- placeholders for what each reader must get fresh ------------------------------------


def _sentinel(name: str) -> str:
    # Keyed on the site's secret so that no comment or post can contain one on purpose.
    return "byline-fragment-" + salted_hmac("byline.pagecache", name).hexdigest()[:24]


def placeholders(request) -> bool:
    return bool(getattr(request, "page_cache_placeholders", False))


def csrf_placeholder(request) -> str:
    """The comment form's CSRF value: a placeholder when the page may be stored, else ''."""
    return _sentinel("csrf") if placeholders(request) else ""


def captcha_placeholder(request, post_id: int) -> str:
    """The CAPTCHA paragraph of a stored page: a placeholder, with the options it depends on."""
    if not placeholders(request):
        return ""
    from byline.comments.forms import captcha_operations
    from byline.options.store import get_option

    request.page_cache_captcha = {
        "operations": captcha_operations(),
        "style": get_option("captcha_number_style"),
    }
    return f"{_sentinel('captcha')}:{int(post_id)}:"


def outdated_at(request, when) -> None:
    """This page changes by itself at ``when`` (comments close on an old post): a miss from then."""
    if when is None:
        return
    moment = when.timestamp()
    current = getattr(request, "page_cache_until", None)
    request.page_cache_until = moment if current is None else min(current, moment)


def _split(body: bytes) -> list:
    """The body cut at its placeholders: bytes, ("csrf",), ("captcha", post_id), bytes…"""
    csrf, captcha_mark = _sentinel("csrf").encode(), _sentinel("captcha").encode()
    parts: list = []
    rest = body
    while True:
        i, j = rest.find(csrf), rest.find(captcha_mark)
        if i < 0 and j < 0:
            parts.append(rest)
            return parts
        if i >= 0 and (j < 0 or i < j):
            parts += [rest[:i], ("csrf",)]
            rest = rest[i + len(csrf) :]
        else:
            head, _, tail = rest[j + len(captcha_mark) + 1 :].partition(b":")
            parts += [rest[:j], ("captcha", int(head))]
            rest = tail


_csrf = CsrfViewMiddleware(lambda request: None)


def _csrf_token(request) -> str:
    """The reader's masked CSRF token, as Django's `get_token` gives it (the cookie's secret,
    or a new one; renewed in the response), drawn from one read of the system's random
    source: `get_random_string` reads it once per character, 64 times for a new reader."""
    meta = request.META
    if "CSRF_COOKIE" not in meta:
        try:
            secret = _csrf._get_secret(request)  # the reader's cookie, checked as Django checks it
        except InvalidTokenFormat:
            secret = None
        meta["CSRF_COOKIE"] = secret or _random_csrf_string()
    meta["CSRF_COOKIE_NEEDS_UPDATE"] = True
    secret, mask = meta["CSRF_COOKIE"], _random_csrf_string()
    pairs = zip(secret, mask, strict=True)
    return mask + "".join(map(_CSRF_ADD.__getitem__, pairs))  # Django's _mask_cipher_secret


# (secret character, mask character) → their sum in the alphabet, as _mask_cipher_secret adds them.
_CSRF_ADD = {
    (x, y): CSRF_ALLOWED_CHARS[(i + j) % len(CSRF_ALLOWED_CHARS)]
    for i, x in enumerate(CSRF_ALLOWED_CHARS)
    for j, y in enumerate(CSRF_ALLOWED_CHARS)
}
# Bytes below 248 (= 4 × 62) map uniformly onto the alphabet; the rest are skipped.
_CSRF_BYTES = bytes(ord(CSRF_ALLOWED_CHARS[b % 62]) for b in range(256))
_CSRF_SKIPPED = bytes(range(4 * 62, 256))


def _random_csrf_string() -> str:
    """32 characters drawn uniformly from Django's CSRF alphabet (62 letters and digits)."""
    chars = b""
    while len(chars) < CSRF_SECRET_LENGTH:
        chars += os.urandom(48).translate(_CSRF_BYTES, _CSRF_SKIPPED)
    return chars[:CSRF_SECRET_LENGTH].decode()


_cookie_forms: dict = {}  # per process: secure → the CSRF cookie's Set-Cookie value around its secret
_expires: list = [None, ""]  # the cookie's expiry (Unix seconds), and as written (one per second)


def csrf_cookie(secret: str, *, secure: bool) -> str:
    """The Set-Cookie value Django's CsrfViewMiddleware sends with this secret (``secure``: with
    the Secure flag whatever CSRF_COOKIE_SECURE says, as `answer()` adds it behind https).

    Written by CsrfViewMiddleware itself once per process around a placeholder, and filled in
    here: the secret, and the expiry (now + CSRF_COOKIE_AGE, in seconds, as Django writes it).
    """
    form = _cookie_forms.get(secure)
    if form is None:
        form = _cookie_forms[secure] = _csrf_cookie_form(secure)
    head, middle, tail = form
    if middle is None:
        return head + secret + tail
    when = int(time.time()) + settings.CSRF_COOKIE_AGE
    written = _expires
    if written[0] != when:
        written = _expires[:] = [when, http_date(when)]
    return head + secret + middle + written[1] + tail


def _csrf_cookie_form(secure: bool) -> tuple[str, str | None, str]:
    mark = "bylinecsrfsecret" + secrets.token_hex(8)
    response = HttpResponse()
    _csrf.process_response(
        SimpleNamespace(META={"CSRF_COOKIE": mark, "CSRF_COOKIE_NEEDS_UPDATE": True}), response
    )
    morsel = response.cookies[settings.CSRF_COOKIE_NAME]
    if secure:
        morsel["secure"] = True
    head, _, rest = morsel.OutputString().partition(mark)
    dated = re.fullmatch(r"(.*?; expires=)[^;]+(.*)", rest)
    return (head, dated[1], dated[2]) if dated else (head, None, rest)


_CAPTCHA_FIELDS = ("question", "before", "after", "token")


def _captcha_markup() -> tuple[str, ...] | None:
    """partials/captcha.html rendered once, with a placeholder in each field of the sum: the
    markup between them and, in every other place, the field that goes there. None if the
    template does anything with a field that filling it in by concatenation would not (then
    each reader's paragraph is rendered from the template, as before). Stored with the page.
    """
    from django.template.loader import get_template

    from byline.comments import captcha
    from byline.comments.forms import captcha_context

    template = get_template("partials/captcha.html")
    marks = {f"bylinecaptcha{name}{secrets.token_hex(6)}": name for name in _CAPTCHA_FIELDS}
    html = template.render({"captcha": {name: mark for mark, name in marks.items()}, "invalid_attrs": ""})
    pieces: list[str] = []
    start = 0
    for found in re.finditer("|".join(marks), html):
        pieces += [html[start : found.start()], marks[found[0]]]
        start = found.end()
    pieces.append(html[start:])
    markup = tuple(pieces)
    # The same paragraph as the template's own, for a real sum, or not used at all.
    challenge = captcha.new_challenge(operations=("+", "-", "×", "÷"), style="mixed")
    token = captcha.issue_token(challenge, post_id=0)
    rendered = template.render({"captcha": captcha_context(challenge, token), "invalid_attrs": ""})
    return markup if _fill_captcha(markup, challenge, token) == rendered else None


def _fill_captcha(markup: tuple[str, ...], challenge, token: str) -> str:
    """The CAPTCHA paragraph: the stored markup with the sum's fields, HTML-escaped as Jinja does."""
    from byline.comments.forms import captcha_context

    fields = captcha_context(challenge, token)
    return "".join(piece if i % 2 == 0 else str(escape(fields[piece])) for i, piece in enumerate(markup))


def _fragment(request, part: tuple, entry: dict) -> bytes:
    if part[0] == "csrf":
        return _csrf_token(request).encode()
    from byline.comments import captcha

    options = entry["captcha"]
    challenge = captcha.new_challenge(operations=options["operations"], style=options["style"])
    token = captcha.issue_token(challenge, post_id=part[1])
    markup = options.get("markup")
    if markup is not None:
        return _fill_captcha(markup, challenge, token).encode()
    from django.template.loader import get_template

    from byline.comments.forms import captcha_context

    html = get_template("partials/captcha.html").render(
        {"captcha": captcha_context(challenge, token), "invalid_attrs": ""}
    )
    return html.encode()


def _deflate(data: bytes, *, last: bool) -> bytes:
    """Raw deflate blocks that can be placed after others: byte-aligned, final only when last."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


_GZIP_HEAD = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


# --- storing and answering ----------------------------------------------------------------


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    kind = response.get("Content-Type", "").split(";")[0].strip().lower()
    return kind in CACHEABLE_TYPES


def _entry(request, response, generation: str) -> dict:
    body = response.content
    parts = _split(body)
    now = time.time()
    entry = {
        "generation": generation,
        "headers": [(k, v) for k, v in response.items() if k.lower() not in DROPPED_HEADERS],
        "stored_at": int(now),
        "valid_until": min(
            (t for t in (_next_scheduled(), getattr(request, "page_cache_until", None)) if t is not None),
            default=None,
        ),
        "set_control": not response.has_header("Cache-Control"),
    }
    if len(parts) == 1:
        entry["body"] = body
        entry["etag"] = hashlib.blake2b(body, digest_size=16).hexdigest()
        entry["gzip"] = gzip.compress(body, 6, mtime=0)
        entry["br"] = brotli.compress(body, quality=5)
    else:
        entry["parts"] = parts
        texts = [p for p in parts if isinstance(p, bytes)]
        entry["deflated"] = [_deflate(p, last=(i == len(texts) - 1)) for i, p in enumerate(texts)]
        options = getattr(request, "page_cache_captcha", None)
        entry["captcha"] = options and {**options, "markup": _captcha_markup()}
    return entry


def _next_scheduled() -> float | None:
    """When the next scheduled post goes live: a page stored now is outdated then."""
    from byline.content.models import Post, Status

    when = (
        Post.objects.filter(status=Status.FUTURE)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return when.timestamp() if when else None


def _encoding(request) -> str:
    """br, gzip or identity, as the reader's Accept-Encoding allows (q=0 refuses)."""
    offered = {}
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "")[:200].split(","):
        name, _, params = item.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        offered[name.strip().lower()] = q
    for name in ("br", "gzip"):
        if offered.get(name, offered.get("*", 0)) > 0:
            return name
    return "identity"


def _current(entry: dict | None, generation: str) -> bool:
    """Whether a stored entry may be served: of this generation, and not past its own end."""
    if not entry or entry.get("generation") != generation:
        return False
    until = entry.get("valid_until")
    return until is None or time.time() < until


def _not_modified(request, entry: dict, etags: set[str]) -> bool:
    match = request.META.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        sent = {t.strip().removeprefix("W/") for t in match[:2000].split(",")}
        return "*" in sent or bool(sent & etags)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", "")[:100])
    return since is not None and since >= entry["stored_at"]


def _control(entry: dict, *, shared: bool) -> str | None:
    if not entry["set_control"]:
        return None
    if not shared:
        return "private, no-cache"
    return (
        f"public, max-age=0, s-maxage={settings.BYLINE_PAGE_CACHE_CDN_SECONDS}, "
        f"stale-while-revalidate={settings.BYLINE_PAGE_CACHE_STALE_SECONDS}"
    )


def _vary(response) -> None:
    have = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    if "accept-encoding" not in {v.lower() for v in have}:
        have.append("Accept-Encoding")
    response["Vary"] = ", ".join(have)


def respond(request, entry: dict, state: str) -> HttpResponse:
    """The stored page as this reader gets it: encoding, validators, fresh fragments."""
    response, chunks = _reply(request, entry, state)
    if chunks:
        response.content = chunks
    return response


def _reply(request, entry: dict, state: str) -> tuple[HttpResponse, list[bytes]]:
    """The stored page's status and headers for this reader, and its body as a list of chunks
    (the stored bytes themselves, not a copy: `answer()` hands them to the server as they are)."""
    encoding = _encoding(request)
    if "parts" in entry:
        if encoding != "identity":
            encoding = "gzip"  # brotli streams cannot be joined; deflate blocks can
        chunks = _filled(request, entry, gzipped=encoding == "gzip")
        response = HttpResponse()
        _csrf.process_response(request, response)  # the reader's CSRF cookie, renewed as Django does
        etag = None
    else:
        base = entry["etag"]
        etags = {f'"{base}"', f'"{base}-gzip"', f'"{base}-br"'}
        etag = f'"{base}"' if encoding == "identity" else f'"{base}-{encoding}"'
        if _not_modified(request, entry, etags):
            response = HttpResponseNotModified()
            _headers(response, entry, etag, encoding=None, length=0, shared=True, state=state)
            return response, []
        chunks = [entry["body"] if encoding == "identity" else entry[encoding]]
        response = HttpResponse()
    length = sum(len(chunk) for chunk in chunks)
    _headers(response, entry, etag, encoding=encoding, length=length, shared=etag is not None, state=state)
    return response, ([] if request.method == "HEAD" else chunks)


def _filled(request, entry: dict, *, gzipped: bool) -> list[bytes]:
    """A stored page with a form, its fragments filled for this reader: plain, or as one gzip
    stream of the stored deflate blocks around the fragments' fresh ones."""
    pieces = [p if isinstance(p, bytes) else _fragment(request, p, entry) for p in entry["parts"]]
    if not gzipped:
        return pieces
    stored = iter(entry["deflated"])  # one block per stored piece, in order
    chunks, crc, size = [_GZIP_HEAD], 0, 0
    for part, piece in zip(entry["parts"], pieces, strict=True):
        chunks.append(next(stored) if isinstance(part, bytes) else _deflate(piece, last=False))
        crc, size = zlib.crc32(piece, crc), size + len(piece)
    chunks.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return chunks


def _headers(response, entry, etag, *, encoding, length: int, shared: bool, state: str) -> None:
    for name, value in entry["headers"]:
        if name.lower() != "content-type" or encoding is not None:
            response[name] = value
    if encoding is not None:
        response["Content-Length"] = str(length)
        if encoding != "identity":
            response["Content-Encoding"] = encoding
    if etag:
        response["ETag"] = etag
        response["Last-Modified"] = http_date(entry["stored_at"])
    control = _control(entry, shared=shared)
    if control:
        response["Cache-Control"] = control
    _vary(response)
    response[HEADER] = state


class PageCacheMiddleware:
    """Answers anonymous GETs from the page cache (settings.MIDDLEWARE, after text hygiene)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        key = cache_key(request)
        if key is None:
            response = self.get_response(request)
            response.setdefault(HEADER, "bypass")
            return response
        if _personal(request):
            response = self.get_response(request)
            if response.status_code < 400:
                response["Cache-Control"] = "private, no-store"
            response.setdefault(HEADER, "bypass")
            return response
        try:
            generation, entry = _lookup(key)
        except Exception:  # a store that fails in a way its backend does not catch
            log.warning("page cache unavailable", exc_info=True)
            generation, entry = None, None
        if generation is None:  # the store is away: render, as if there were no cache
            response = self.get_response(request)
            response.setdefault(HEADER, "bypass")
            return response
        if _current(entry, generation):
            return respond(request, entry, "hit")
        request.page_cache_placeholders = True
        response = self.get_response(request)
        if _storable(request, response):
            entry = _entry(request, response, generation)
            try:
                _store().set(key, entry, timeout=settings.BYLINE_PAGE_CACHE_SECONDS)
            except Exception:
                log.warning("could not store a page", exc_info=True)
            return respond(request, entry, "miss")
        if not response.streaming and _sentinel("csrf").encode() in response.content:
            # Rendered for the cache but not kept (it set a cookie): fill the form in place.
            parts = _split(response.content)
            extra = {"captcha": getattr(request, "page_cache_captcha", None)}
            response.content = b"".join(
                p if isinstance(p, bytes) else _fragment(request, p, extra) for p in parts
            )
            _csrf.process_response(request, response)
        response.setdefault(HEADER, "bypass")
        return response


# --- answering before Django's handler -------------------------------------------------------

# What runs before PageCacheMiddleware in settings.MIDDLEWARE, and what `answer()` does in its
# stead: the proxy's headers believed (byline.proxy), the https redirect and every header of the
# security middleware (recorded once per process, below), /media/ and /static/ left to Django
# (NEVER), and the request's text checked as byline.text does. Another list: no early answers.
OUTER_MIDDLEWARE = (
    "byline.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "byline.security.headers.PermissionsPolicyMiddleware",
    "byline.security.media.MediaMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "byline.text.TextHygieneMiddleware",
)
_early: dict = {}  # per process: whether early answers are possible, and the outer headers by scheme


def wsgi(application):
    """Django's WSGI application, with stored pages answered before it (byline/wsgi.py).

    A hit through Django's handler and the middleware costs about ten times what the page's
    bytes cost to send: the request object, two signals, database connections checked, nine
    middleware. `answer()` serves the same hit from the WSGI environ; everything else, and
    anything it is unsure of, goes to Django as before.
    """

    def with_stored_pages(environ, start_response):
        found = answer(environ)
        if found is None:
            return application(environ, start_response)
        status, headers, chunks = found
        start_response(status, headers)
        return chunks

    return with_stored_pages


def answer(environ: dict) -> tuple[str, list, list[bytes]] | None:
    """A hit answered from the raw WSGI environ, exactly as the middleware path would answer
    it (status, headers, body chunks), or None: Django's handler decides, as without it.

    None for anything but an anonymous GET/HEAD of a stored, current page: any cookie that may
    make the page personal (a session, which only Django can read, included), a key that
    `cache_key` refuses (unknown query parameters, a Host not allowed, Authorization), text
    byline.text would refuse, an https redirect due, a store that cannot answer.
    """
    if not enabled() or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    cookie = environ.get("HTTP_COOKIE")
    if cookie:
        session = settings.SESSION_COOKIE_NAME
        if any(name == session or name.startswith(PERSONAL_COOKIES) for name in parse_cookie(cookie)):
            return None
    if not _early_answers():
        return None
    try:
        # A copy: what stands in for the outer middleware here must not reach Django's request.
        meta = dict(environ)
        believe_proxy(meta, _early["networks"])  # TrustedProxyMiddleware: the scheme is in the key
        request = WSGIRequest(meta)
        key = _remembered_key(request)
        if key is None:
            return None
        outer = _outer_headers(request)
        if outer is None:
            return None
        generation, entry = _lookup(key)
        if generation is None or not _current(entry, generation):
            return None  # a miss: Django renders and stores it
        return _early_reply(request, entry, outer)
    except Exception:  # never an error page for want of a shortcut: Django answers instead
        log.warning("early page cache answer failed; Django answers", exc_info=True)
        return None


def _early_reply(request, entry: dict, outer: list) -> tuple[str, list, list[bytes]]:
    """The hit as `_reply` and the outer middleware would answer it. For an entry kept decoded
    in this process, the status and headers are worked out once per kind of request (and the
    body, for a page the same for every reader); only a form's length and cookie per reader."""
    memo = entry.get(MEMO)
    if memo is None:
        return _early_reply_in_full(request, entry, outer)
    secure = request.is_secure()
    encoding = _encoding(request)
    if "parts" not in entry:
        base = entry["etag"]
        fresh = _not_modified(request, entry, {f'"{base}"', f'"{base}-gzip"', f'"{base}-br"'})
        kind = (encoding, fresh, secure, request.method)
        found = memo.get(kind)
        if found is None:
            found = memo[kind] = _early_reply_in_full(request, entry, outer)
        status, headers, chunks = found
        return status, headers.copy(), chunks.copy()  # a server may add to the lists it is given
    kind = ("parts", encoding != "identity", secure, request.method)
    form = memo.get(kind)
    if form is None:
        status, headers, chunks = _early_reply_in_full(request, entry, outer)
        names = [name for name, _ in headers]
        cookie = names.index("Set-Cookie") if "Set-Cookie" in names else None
        memo[kind] = (status, headers.copy(), names.index("Content-Length"), cookie)
        return status, headers, chunks
    status, headers, at_length, at_cookie = form
    chunks = _filled(request, entry, gzipped=kind[1])
    headers = headers.copy()
    headers[at_length] = ("Content-Length", str(sum(len(chunk) for chunk in chunks)))
    if at_cookie is not None:
        cookie_secure = bool(settings.BYLINE_BEHIND_HTTPS and secure)
        cookie = csrf_cookie(request.META["CSRF_COOKIE"], secure=cookie_secure)
        headers[at_cookie] = ("Set-Cookie", " " + cookie)  # as Django's WSGIHandler: morsel.output(header="")
    return status, headers, ([] if request.method == "HEAD" else chunks)


def _early_reply_in_full(request, entry: dict, outer: list) -> tuple[str, list, list[bytes]]:
    response, chunks = _reply(request, entry, "hit")
    for name, value in outer:
        response.setdefault(name, value)
    if settings.BYLINE_BEHIND_HTTPS and request.is_secure():  # as PermissionsPolicyMiddleware
        for morsel in response.cookies.values():
            morsel["secure"] = True
    headers = [
        *response.items(),
        *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
    ]  # as Django's WSGIHandler lists them
    return f"{response.status_code} {response.reason_phrase}", headers, chunks


def _early_answers() -> bool:
    """Whether this configuration lets a hit be answered before the middleware (once per process)."""
    possible = _early.get("possible")
    if possible is None:
        middleware = list(settings.MIDDLEWARE)
        here = "byline.site.pagecache.PageCacheMiddleware"
        csp = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        possible = (
            here in middleware
            and tuple(middleware[: middleware.index(here)]) == OUTER_MIDDLEWARE
            # Options that would make the outer headers differ by path, or the token live in the session.
            and not settings.SECURE_REDIRECT_EXEMPT
            and not csp.get("EXCLUDE_URL_PREFIXES")
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            and not settings.CSRF_USE_SESSIONS
        )
        if not possible:
            log.info("stored pages are answered by the middleware only (MIDDLEWARE or options differ)")
        _early["possible"] = possible
        _early["networks"] = trusted_networks()
    return possible


# Everything `_early_key` reads of a request's environ, once the proxy's headers are believed
# (the headers Django's get_host and is_secure may read included, whatever the settings): the
# same values give the same key, so each process works a key out once per kind of request.
# The settings it also reads (ALLOWED_HOSTS, trusted proxies…) clear the memo when they change.
_KEY_INPUTS = (
    "REQUEST_METHOD", "wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT",
    "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PROTO",
    "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "HTTP_ACCEPT", "HTTP_AUTHORIZATION", "HTTP_X_WP_NONCE",
)  # fmt: skip
EARLY_KEYS = 4096  # kinds of request whose key a process remembers; when full, it starts again
_early_keys: dict = {}  # _KEY_INPUTS' values → the key, or None for a request the cache refuses
_UNKNOWN = object()


def _remembered_key(request) -> str | None:
    """`_early_key(request)`, worked out once per process for each kind of request."""
    inputs = tuple(map(request.META.get, _KEY_INPUTS))
    key = _early_keys.get(inputs, _UNKNOWN)
    if key is _UNKNOWN:
        key = _early_key(request)
        if len(_early_keys) >= EARLY_KEYS:
            _early_keys.clear()  # odd requests cannot grow it: a full memo starts again
        _early_keys[inputs] = key
    return key


def _early_key(request) -> str | None:
    """`cache_key` of the request as PageCacheMiddleware would see it after the outer middleware
    (the proxy's headers already believed: `answer()` does that before reading the memo)."""
    meta = request.META
    if not is_clean(request.path_info):
        return None  # TextHygieneMiddleware answers 404
    if "HTTP_ACCEPT" in meta:
        meta["HTTP_ACCEPT"] = clean_header(meta["HTTP_ACCEPT"])  # as TextHygieneMiddleware
    if meta.get("QUERY_STRING") and not request.path_info.startswith(API_PREFIX):
        request.GET = clean_query(request.GET)
    return cache_key(request)


def _outer_headers(request) -> list | None:
    """The headers the outer middleware add to a hit over this scheme, or None when they would
    answer it themselves (an https redirect).

    Found by running that very middleware once per process and scheme around a plain 200: they
    depend only on the settings and on whether the request is secure. No stored page reads the
    CSP nonce (the theme has no inline script), so the policy carries none and is the same for
    every hit, as on the middleware path, which answers a hit with a fresh response too.
    """
    secure = request.is_secure()
    if secure in _early:
        return _early[secure]
    plain = HttpResponse()
    before = set(plain.headers)
    handler = lambda request: plain  # noqa: E731 - the innermost "view"
    for path in reversed(OUTER_MIDDLEWARE):
        handler = import_string(path)(handler)
    probe = WSGIRequest(dict(request.environ))  # the request as it came, before believe_proxy
    try:
        response = handler(probe)
    except Exception:
        response = None
    headers = [(k, v) for k, v in response.items() if k not in before] if response is plain else None
    _early[secure] = headers
    return headers


@receiver(setting_changed)
def _forget_early(**kwargs) -> None:
    _early.clear()
    _early_keys.clear()
    _cookie_forms.clear()
    forget_decoded()  # their memos hold headers worked out under the old settings
