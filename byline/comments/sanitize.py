"""What HTML a commenter may use, and the function that enforces it.

The allow-list is WordPress's `$allowedtags` (wp-includes/kses.php), the one comment forms have
advertised for twenty years, so imported comments keep their formatting and commenters' habits
still work. Enforcement is nh3 (Rust's ammonia, an HTML5 parser), not a regex like kses.
"""

from __future__ import annotations

import re

import nh3

from byline.content.formatting import wpautop
from byline.text import SAFE_SCHEMES, clean_text, is_unsafe_url  # noqa: F401 - is_unsafe_url is part of this module's face

# WordPress's comment allow-list as the reference page prints it ($allowedtags before WordPress
# added <s>; <strike> covers the same need), in its order: tag -> attributes allowed on it.
ALLOWED_TAGS: dict[str, tuple[str, ...]] = {
    "a": ("href", "title"),
    "abbr": ("title",),
    "acronym": ("title",),
    "b": (),
    "blockquote": ("cite",),
    "cite": (),
    "code": (),
    "del": ("datetime",),
    "em": (),
    "i": (),
    "q": ("cite",),
    "strike": (),
    "strong": (),
}

# The paragraphs and line breaks that wpautop() adds to every comment, as WordPress does on display.
_FORMATTING_TAGS = {"p": (), "br": ()}
_SAFE_SCHEMES = set(SAFE_SCHEMES)
_URL_ATTRIBUTES = {"href", "cite"}

# Elements whose content is code or an embedded document, never the commenter's prose: drop it all.
_DROP_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "template",
    "noscript", "noembed", "noframes", "xmp", "svg", "math", "title", "head",
}  # fmt: skip

# Every element name an HTML parser treats as a tag. A `<` followed by anything else ("5 < 6",
# "List<String>", "</3") is the commenter's text and is escaped before parsing, so the HTML5
# tokenizer cannot swallow it as a bogus tag or comment (WordPress's kses loses such text).
_HTML_ELEMENTS = {
    "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b", "base",
    "basefont", "bdi", "bdo", "bgsound", "big", "blink", "blockquote", "body", "br", "button",
    "canvas", "caption", "center", "cite", "code", "col", "colgroup", "data", "datalist", "dd", "del",
    "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em", "embed", "fieldset", "figcaption",
    "figure", "font", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head",
    "header", "hgroup", "hr", "html", "i", "iframe", "image", "img", "input", "ins", "isindex", "kbd",
    "keygen", "label", "legend", "li", "link", "listing", "main", "map", "mark", "marquee", "math",
    "menu", "menuitem", "meta", "meter", "multicol", "nav", "nextid", "nobr", "noembed", "noframes",
    "noscript", "object", "ol", "optgroup", "option", "output", "p", "param", "picture", "plaintext",
    "pre", "progress", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "script", "search", "section",
    "select", "slot", "small", "source", "spacer", "span", "strike", "strong", "style", "sub",
    "summary", "sup", "svg", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead",
    "time", "title", "tr", "track", "tt", "u", "ul", "var", "video", "wbr", "xmp",
}  # fmt: skip

# A complete tag of a known element: name, attributes (quoted or not), optional "/", then ">".
# Possessive quantifiers and no "<" in names keep it linear on hostile input ("<b <b <b ...").
_WS = r"[\t\n\f ]"
_ATTRIBUTE = rf"{_WS}++[^\t\n\f />\"'=<]++(?:{_WS}*+={_WS}*+(?:\"[^\"]*+\"|'[^']*+'|[^\t\n\f >\"'=<`]++))?+"
_NAMES = "|".join(sorted(_HTML_ELEMENTS, key=len, reverse=True))
_REAL_TAG = rf"/?(?:{_NAMES})(?:{_ATTRIBUTE})*+{_WS}*+/?>"
_STRAY_LT = re.compile(rf"<(?!{_REAL_TAG}|!--)", re.I)
# An "&" in text that does not start a complete character reference is text too: "AT&T", and
# "&copy 2024", which a parser would show as "(c) 2024" (wp_kses_normalize_entities() agrees).
# Inside a tag it is left to the parser, so "&#x6A" in an href still reads as "j" and is judged.
_TEXT_AMPERSAND = re.compile(rf"(<{_REAL_TAG})|&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)", re.I)


def allowed_tags_line() -> str:
    """The "You may use these HTML tags and attributes" line, as WordPress's allowed_tags() prints it.

    Built from ALLOWED_TAGS so the comment form can never promise a tag the sanitiser removes.
    """
    return " ".join(
        "<" + tag + "".join(f' {a}=""' for a in attrs) + ">" for tag, attrs in ALLOWED_TAGS.items()
    )


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    # ammonia checks url_schemes on href and src only; cite is a URL too. Never raise here: nh3
    # reports a callback's exception through sys.unraisablehook instead of failing.
    if attribute in _URL_ATTRIBUTES and is_unsafe_url(value):
        return None
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS) | set(_FORMATTING_TAGS),
    clean_content_tags=_DROP_WITH_CONTENT,
    # "*": nothing on every tag (ammonia's default would allow lang and title everywhere).
    attributes={"*": set()} | {tag: set(attrs) for tag, attrs in (ALLOWED_TAGS | _FORMATTING_TAGS).items()},
    attribute_filter=_filter_attribute,
    url_schemes=_SAFE_SCHEMES,
    link_rel="nofollow ugc",  # Google's marks for links in user-generated content
    strip_comments=True,
)


def _valid_text(text: str) -> str:
    """Text that an HTML parser takes as it is: no lone surrogates, no control characters."""
    # A str from a form may hold surrogates; pairs are joined, lone ones become U+FFFD.
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return clean_text(text)


# A tag as nh3 serialises it: lower-case name, attribute values always double-quoted.
_SERIALISED_TAG = re.compile(r'<(/?)([a-z0-9]++)(?:\s++[^\s=>/]++(?:="[^"]*+")?+)*+\s*+/?>')
_BLOCKS = {"p", "blockquote"}


def _unwrap_inline_around_blocks(html: str) -> str:
    """Drop the tags of inline elements that contain a block: `<b><blockquote>` -> `<blockquote>`.

    wpautop() puts <p> around and inside blocks by text position, so `<b><blockquote>` would come
    out misnested and the parser would repair it differently at every pass. The words stay.
    """
    tokens = list(_SERIALISED_TAG.finditer(html))
    stack: list[tuple[str, int]] = []
    checked = 0  # stack[:checked] was already searched for inline elements to unwrap
    unwrap: set[int] = set()
    for index, token in enumerate(tokens):
        closing, name = token.group(1), token.group(2)
        if name == "br":
            continue
        if not closing:
            if name in _BLOCKS:
                unwrap.update(i for n, i in stack[checked:] if n not in _BLOCKS)
                checked = len(stack) + 1
            stack.append((name, index))
            continue
        while stack:
            opened_name, opened = stack.pop()
            if opened_name == name:
                if opened in unwrap:
                    unwrap.add(index)
                break
        checked = min(checked, len(stack))
    return _without(html, [(tokens[i].start(), tokens[i].end(), False) for i in unwrap])


def _drop_empty_elements(html: str) -> str:
    """Remove elements with nothing but whitespace in them (an inline element's whitespace stays).

    Each wpautop() pass would otherwise find a different empty paragraph to remove.
    """
    tokens = list(_SERIALISED_TAG.finditer(html))
    stack: list[list] = []  # [name, token index, has content]
    spans: list[tuple[int, int, bool]] = []  # (start, end, words either side must stay apart)
    last = 0
    for index, token in enumerate(tokens):
        if stack and html[last : token.start()].strip():
            stack[-1][2] = True
        last = token.end()
        closing, name = token.group(1), token.group(2)
        if name == "br":
            if stack:
                stack[-1][2] = True
        elif not closing:
            stack.append([name, index, False])
        else:
            while stack:
                opened_name, opened, has_content = stack.pop()
                if opened_name == name:
                    break
            else:
                continue
            if has_content:
                if stack:
                    stack[-1][2] = True
            elif name in _BLOCKS:
                spans.append((tokens[opened].start(), token.end(), True))
            else:
                spans += [
                    (tokens[opened].start(), tokens[opened].end(), False),
                    (token.start(), token.end(), False),
                ]
    return _without(html, spans)


def _without(html: str, spans: list[tuple[int, int, bool]]) -> str:
    """`html` with the given character spans cut out (spans may nest), a space left where asked."""
    kept, last = [], 0
    for start, end, separate in sorted(spans):
        if start < last:  # inside a span already cut
            continue
        kept.append(html[last:start])
        if (
            separate
            and 0 < start
            and end < len(html)
            and not {html[start - 1], html[end]} & set(" \t\n\r\f<>")
        ):
            kept.append(" ")
        last = end
    return "".join(kept) + html[last:]


def _clean(html: str) -> str:
    # A character reference can bring back a control character ("&#11;"): drop it again.
    return clean_text(_cleaner.clean(html)).strip()


def _paragraphs(html: str) -> str:
    """Clean HTML with the commenter's line breaks turned into paragraphs, checked again by nh3."""
    return _clean(wpautop(_drop_empty_elements(_unwrap_inline_around_blocks(html))))


def sanitize_comment(text: str) -> str:
    """A commenter's text as safe HTML: WordPress's comment tags only, their line breaks as paragraphs.

    Links keep http, https and mailto targets only and get rel="nofollow ugc"; other tags are
    removed but their words kept (except script, style and embedded documents, dropped whole);
    unclosed tags are closed. Idempotent, and it never raises.
    """
    # Clean before wpautop so that it sees only allowed tags (a stray <pre> would keep it from
    # adding paragraphs, then vanish), and after it so that what it produced is checked again.
    text = _TEXT_AMPERSAND.sub(lambda m: m.group(1) or "&amp;", _STRAY_LT.sub("&lt;", _valid_text(text)))
    html = _clean(text)
    for _ in range(8):  # one pass reaches a fixed point for all but pathological nesting
        formatted = _paragraphs(html)
        if formatted == html:
            break
        html = formatted
    # nh3 serialises HTML5's <br>; WordPress's comments (and wpautop) say <br />.
    return html.replace("<br>", "<br />")


def clean_stored_comment(html: str) -> str:
    """A stored comment checked again on display: the same allow-list, no reformatting.

    Defence in depth for rows written before a fix or by hand; a tenth of the cost of
    `sanitize_comment`, which also adds paragraphs (stored comments have them already).
    """
    return _clean(_valid_text(html)).replace("<br>", "<br />")
