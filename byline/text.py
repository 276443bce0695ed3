"""Text hygiene in one place: what a stored string may hold, and which URLs may be shown.

Every entry (forms, the REST API, the WXR importer, the command line) passes text through
here, so that no stored value can break the XML of a feed, the JSON of the API or the HTML
of a page; pages, feeds and the API ask `safe_url` before they show a stored address.

Refused or dropped (XML 1.0's `Char` production, plus Unicode's non-characters):
- C0 control characters except tab and newline; a carriage return (alone or before a
  newline) becomes a newline, as browsers send textareas with CRLF;
- DEL and the C1 controls (U+007F–U+009F), which no one types and old encodings smuggle in;
- the 66 non-characters: U+FDD0–U+FDEF and the last two code points of every plane
  (U+FFFE, U+FFFF, U+1FFFE … U+10FFFF);
- lone surrogates (U+D800–U+DFFF), which Python lets a `str` hold (a JSON `"\\ud800"`, a
  command-line argument in a broken locale) but no encoder writes.
"""

from __future__ import annotations

import logging
import re

from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse, QueryDict
from django.utils.datastructures import MultiValueDict

logger = logging.getLogger("byline.text")

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_FORBIDDEN_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _NONCHARACTERS
FORBIDDEN = re.compile(f"[{_FORBIDDEN_CLASS}]")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_FORBIDDEN_OR_CR = re.compile(f"\r\n?|[{_FORBIDDEN_CLASS}]")

REFUSAL = "contains characters that are not allowed (control characters or invalid Unicode)."


def _drop_or_newline(m: re.Match[str]) -> str:
    return "\n" if m.group(0)[0] == "\r" else ""


# The same rule for text that is all ASCII (most stored HTML: entities, not characters): a
# small class that the regex engine scans about ten times faster than the full one, which
# made the hygiene pass a fifth of a feed's time (ten posts, 110 KB: 4 ms).
_ASCII_FORBIDDEN_OR_CR = re.compile("\r\n?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# And clean ASCII text, the common case, is told apart without the regex engine: deleting
# these bytes is a plain C loop, twenty times faster than scanning for them (a feed's ten
# posts: 0.3 ms instead of 6.5 ms, which was a quarter of the feed).
_ASCII_FORBIDDEN_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def clean_text(value: str) -> str:
    """`value` with forbidden characters dropped and CR / CRLF made a newline.

    For text that must be kept even when damaged (an imported export, a stored row shown
    in a feed). Idempotent; never raises.
    """
    if value.isascii():
        raw = value.encode("ascii")
        if "\r" not in value and len(raw.translate(None, _ASCII_FORBIDDEN_BYTES)) == len(raw):
            return value
        return _ASCII_FORBIDDEN_OR_CR.sub(_drop_or_newline, value)
    return _FORBIDDEN_OR_CR.sub(_drop_or_newline, value)


def clean_header(value: str, limit: int | None = None) -> str:
    """A request header's value fit to store: as sent, on one line, cleaned, at most `limit` characters.

    WSGI hands headers over decoded as Latin-1; a browser's UTF-8 (a user agent naming
    "Bücher") is decoded again as what it was.
    """
    try:
        value = value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass  # not UTF-8, or already more than Latin-1 (a test client's str): kept as it is
    value = " ".join(clean_text(value).split())
    return value[:limit] if limit is not None else value


def normalise_newlines(value: str) -> str:
    """CRLF and a lone CR as a newline: what a textarea sends is stored as an editor shows it."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def forbidden_character(value: str, pattern: re.Pattern[str] = FORBIDDEN) -> str | None:
    """The first character `value` may not hold, as `U+XXXX`, or None when it is clean."""
    m = pattern.search(value)
    return f"U+{ord(m.group(0)):04X}" if m else None


def is_clean(value: str) -> bool:
    return FORBIDDEN.search(value) is None


def reject_forbidden_characters(value) -> None:
    """A Django validator: refuse text holding a character `clean_text` would drop."""
    if isinstance(value, str) and (where := forbidden_character(value)):
        raise ValidationError(
            "This field contains a character that is not allowed (%(character)s).",
            code="forbidden_character",
            params={"character": where},
        )


def clean_data(value, *, depth: int = 0, limit: int = 64):
    """`clean_text` over every string in nested lists and dicts (keys too), up to `limit` deep."""
    if isinstance(value, str):
        return clean_text(value)
    if depth >= limit:
        return value
    if isinstance(value, list | tuple):
        return [clean_data(v, depth=depth + 1, limit=limit) for v in value]
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v, depth=depth + 1, limit=limit) for k, v in value.items()}
    return value


def first_forbidden_in(value, pattern: re.Pattern[str] = FORBIDDEN) -> str | None:
    """The first forbidden character in any string of a decoded JSON document, or None.

    Walks the document without recursion, so a deep one cannot exhaust the stack."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if where := forbidden_character(item, pattern):
                return where
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
    return None


# --- addresses ---------------------------------------------------------------------------------

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
_IGNORED_IN_URL = re.compile(r"[\s\x00-\x20\u2028\u2029\ufeff]")


def is_unsafe_url(url: str) -> bool:
    """True when a URL names a scheme other than http, https or mailto (javascript:, data:, ...).

    Whitespace and control characters are dropped before looking, as browsers do; a URL
    without a scheme is relative, hence safe.
    """
    m = _SCHEME.match(_IGNORED_IN_URL.sub("", url))
    return bool(m) and m.group(1).lower() not in SAFE_SCHEMES


def safe_url(url: str | None) -> str:
    """A stored address as it may be shown or served: itself, or "" when its scheme is unsafe.

    Every page, feed and API answer that shows a commenter's or an author's website asks
    this; imported or old rows may hold `javascript:` that no form would have taken."""
    if not url or is_unsafe_url(url):
        return ""
    return clean_text(url)


# --- requests ----------------------------------------------------------------------------------

API_PREFIX = "/wp-json/"


def clean_query(query: QueryDict) -> QueryDict:
    """A query string or form body as a page reads it: names and values minus forbidden characters."""
    out = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        out.setlist(clean_text(key), [clean_text(v) for v in values])
    out._mutable = False
    return out


class TextHygieneMiddleware:
    """Every request's text checked once, before any view, form or the CSRF check reads it.

    - A path holding a forbidden character names nothing: 404 (PostgreSQL cannot even be
      asked about a NUL, and a file name cannot hold one).
    - A form body in another charset than UTF-8 is refused (400), not a server error.
    - The headers that are stored (the user agent, Accept) lose forbidden characters and line
      breaks, as `clean_header` says.
    - The query string and form fields of pages and the admin are kept minus forbidden
      characters (a pasted "Ctl\\x1b[2J" name is stored as "Ctl[2J"), as WordPress's
      sanitize_text_field() does. The REST API refuses such text with WordPress's error
      instead (byline.api.params), so that a program learns what it sent wrong.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in STORED_HEADERS:  # kept with comments and failed sign-ins (django-axes)
            if name in request.META:
                request.META[name] = clean_header(request.META[name])
        api = request.path_info.startswith(API_PREFIX)
        if not is_clean(request.path_info):
            if api:
                return _api_error(
                    "rest_no_route", "No route was found matching the URL and request method.", 404
                )
            raise Http404("No such address.")
        if api:  # the API decodes its own bodies (byline.api.views.base.read_body)
            return self.get_response(request)
        form = request.method == "POST" and request.content_type in _FORM_TYPES
        try:
            if form:
                request.POST = clean_query(request.POST)
        except (BadRequest, UnicodeDecodeError, LookupError):
            # Django refuses a form in any charset but UTF-8 with BadRequest, and then fails
            # again wherever the form is read (the CSRF check, the error page): answer here.
            request._post, request._files = QueryDict(), MultiValueDict()
            logger.warning("Refused a form body that is not UTF-8: %s", request.path_info)
            return HttpResponseBadRequest(
                "The form could not be read: send it as UTF-8.", content_type="text/plain; charset=utf-8"
            )
        request.GET = clean_query(request.GET)
        return self.get_response(request)


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
STORED_HEADERS = ("HTTP_USER_AGENT", "HTTP_ACCEPT")


def _api_error(code: str, message: str, status: int) -> JsonResponse:
    # WordPress's error shape (byline.api.errors), written here so this module imports no app.
    return JsonResponse({"code": code, "message": message, "data": {"status": status}}, status=status)
