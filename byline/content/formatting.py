"""How WordPress shows stored post content, for posts imported from WordPress.

Ports of WordPress 6.x: `wpautop()` and `shortcode_unautop()` (wp-includes/formatting.php),
`get_shortcode_regex()` and `shortcode_parse_atts()` (wp-includes/shortcodes.php),
`img_caption_shortcode()` and `gallery_shortcode()` (wp-includes/media.php), the URL-on-its-own-line
rule of `WP_Embed::autoembed()` and the block delimiters of `WP_Block_Parser`. Pure functions on
strings: no database, no network. Where WordPress produces invalid HTML (a `<figure>` inside a
`<p>`, an `<a>` left open in a caption) Byline keeps WordPress's structure but repairs the nesting.

Deliberate differences from WordPress, all in the shortcodes: a caption becomes a figure without a
width and without an inline style; a trailing photo credit gets its own span; gallery images link
to their files (there are no attachment pages); [embed] and bare URLs become plain links (no oEmbed
request, no iframe); `[[name]]` is unescaped for any name, not only registered ones.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from html import escape, unescape

MediaLookup = Callable[[int], Mapping | None]

# PCRE without the /u flag (as WordPress calls it) means `\s` is ASCII whitespace only: a
# no-break space is text, not a line separator. Python's `\s` is Unicode-wide, so spell it out.
_S = r"[ \t\n\r\f\v]"
_PHP_TRIM = " \t\n\r\0\x0b"  # PHP's trim() default character list

# wpautop()'s $allblocks: elements that are never wrapped in a paragraph.
_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area"
    r"|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer"
    r"|nav|figure|figcaption|details|menu|summary)"
)

# get_html_split_regex(): an element, a comment or a CDATA section (each possibly unterminated).
# PCRE's conditional `(?(?=!--)...)` becomes an alternation; the branches are mutually exclusive.
_HTML_SPLIT = re.compile(
    r"(<(?:(?=!--)!(?:-(?!->)[^\-]*+)*+(?:-->)?"
    r"|(?=!\[CDATA\[)!\[CDATA\[[^\]]*+(?:](?!]>)[^\]]*+)*+(?:]]>)?"
    r"|(?!!--|!\[CDATA\[)[^>]*>?))"
)


def _html_split(text: str) -> list[str]:
    """wp_html_split(): text at even indices, elements and comments at odd ones."""
    return _HTML_SPLIT.split(text)


def _replace_in_html_tags(text: str, needle: str, replacement: str) -> str:
    """wp_replace_in_html_tags() for one pair: replace only inside elements and comments."""
    parts = _html_split(text)
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].replace(needle, replacement)
    return "".join(parts)


def wpautop(text: str, br: bool = True) -> str:
    """Turn double line breaks into paragraphs and single ones into `<br />`, as WordPress does.

    Classic-editor posts are stored without `<p>` tags; WordPress adds them on display with this
    exact function, so imported posts only look as they did if the port is faithful.
    """
    if text.strip(_PHP_TRIM) == "":
        return ""
    text += "\n"  # "Just to make things a little easier, pad the end."

    # <pre> content is set aside and put back untouched at the end.
    pre_tags: dict[str, str] = {}
    if "<pre" in text:
        parts = text.split("</pre>")
        last = parts.pop()
        text = ""
        for part in parts:
            start = part.find("<pre")
            if start == -1:  # "Malformed HTML?" -- WordPress drops this stray </pre>; so do we.
                text += part
                continue
            name = f"<pre wp-pre-tag-{len(pre_tags)}></pre>"
            pre_tags[name] = part[start:] + "</pre>"
            text += part[:start] + name
        text += last

    text = re.sub(rf"<br{_S}*/?>{_S}*<br{_S}*/?>", "\n\n", text)
    text = re.sub(rf"(<{_ALLBLOCKS}[ \t\n\r\f\v/>])", r"\n\n\1", text)
    text = re.sub(rf"(</{_ALLBLOCKS}>)", r"\1\n\n", text)
    text = re.sub(rf"(<hr{_S}*?/?>)", r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Newlines inside tags (attributes split over lines) must not become <br />.
    text = _replace_in_html_tags(text, "\n", " <!-- wpnl --> ")

    if "<option" in text:
        text = re.sub(rf"{_S}*<option", "<option", text)
        text = re.sub(rf"</option>{_S}*", "</option>", text)
    if "</object>" in text:
        text = re.sub(rf"(<object[^>]*>){_S}*", r"\1", text)
        text = re.sub(rf"{_S}*</object>", "</object>", text)
        text = re.sub(rf"{_S}*(</?(?:param|embed)[^>]*>){_S}*", r"\1", text)
    if "<source" in text or "<track" in text:
        text = re.sub(rf"([<\[](?:audio|video)[^>\]]*[>\]]){_S}*", r"\1", text)
        text = re.sub(rf"{_S}*([<\[]/(?:audio|video)[>\]])", r"\1", text)
        text = re.sub(rf"{_S}*(<(?:source|track)[^>]*>){_S}*", r"\1", text)
    if "<figcaption" in text:
        text = re.sub(rf"{_S}*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(rf"</figcaption>{_S}*", "</figcaption>", text)

    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(rf"\n{_S}*\n", text) if p]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)

    text = re.sub(rf"<p>{_S}*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>{_S}*(</?{_ALLBLOCKS}[^>]*>){_S}*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>{_S}*(</?{_ALLBLOCKS}[^>]*>)", r"\1", text)
    text = re.sub(rf"(</?{_ALLBLOCKS}[^>]*>){_S}*</p>", r"\1", text)

    if br:
        # Line breaks inside script, style, svg and math are code, not prose.
        text = re.sub(
            r"<(script|style|svg|math).*?</\1>",
            lambda m: m.group(0).replace("\n", "<WPPreserveNewline />"),
            text,
            flags=re.S,
        )
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = re.sub(rf"(?<!<br />){_S}*\n", "<br />\n", text)
        text = text.replace("<WPPreserveNewline />", "\n")

    text = re.sub(rf"(</?{_ALLBLOCKS}[^>]*>){_S}*<br />", r"\1", text)
    text = re.sub(rf"<br />({_S}*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)

    if pre_tags:
        # One pass, unlike PHP's sequential str_replace(), so a <pre> that happens to contain
        # a placeholder's text is not expanded twice.
        text = re.sub(r"<pre wp-pre-tag-\d+></pre>", lambda m: pre_tags.get(m.group(0), m.group(0)), text)
    if "<!-- wpnl -->" in text:
        text = text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n")
    return text


# WP_Block_Parser's delimiter: <!-- wp:name {json} --> , <!-- /wp:name --> , <!-- wp:name /-->.
_BLOCK_DELIMITER = re.compile(
    r"<!--\s+/?wp:(?:[a-z][a-z0-9_-]*/)?[a-z][a-z0-9_-]*\s+"
    r"(?:\{(?:(?:[^}]+|}+(?=})|(?!}\s+/?-->).)*+)?}\s+)?/?-->\n?",
    re.S,
)


def strip_block_comments(html: str) -> str:
    """Remove Gutenberg block delimiters and keep the HTML between them.

    Block posts store finished HTML; the comments only tell the block editor where blocks begin.
    """
    return _BLOCK_DELIMITER.sub("", html)


# --- shortcodes -----------------------------------------------------------------------------

_KNOWN_SHORTCODES = ("caption", "wp_caption", "gallery", "embed")
_SPACES = r"(?:[\r\n\t ]|\xa0|&nbsp;)"  # wp_spaces_regexp()


@functools.lru_cache(maxsize=64)
def _shortcode_regex(names: tuple[str, ...], enclosing: bool = True) -> re.Pattern[str]:
    """get_shortcode_regex(): groups 1 `[` escape, 2 name, 3 attributes, 4 `/`, 5 content, 6 `]`.

    With `enclosing=False` group 5 never matches: for names whose `[/name]` is nowhere ahead,
    where WordPress's regex would scan to the end of the text for every opening tag.
    """
    tags = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    content = r"(?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?" if enclosing else r"(?:(?!)(.))?"
    return re.compile(
        rf"\[(\[?)({tags})(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)(?:(/)\]|\]{content})(\]?)",
        re.ASCII,  # PCRE without /u: \w is ASCII
    )


def _sub_shortcodes(text: str, names, callback: Callable[[re.Match[str]], str]) -> str:
    """`re.sub` with get_shortcode_regex(names), the same matches as WordPress's but in linear time.

    Every match ends at a `]`, and content can only end at a closing tag; so past the last closing
    tag only self-contained openings are looked for, and nothing past the last `]`.
    """
    present = tuple(n for n in names if "[" + n in text)
    end = text.rfind("]") + 1
    if not present or not end:
        return text
    text, rest = text[:end], text[end:]
    enclosing = tuple(n for n in present if f"[/{n}]" in text)
    cut = max((text.rfind(f"[/{n}]") + len(n) + 3 for n in enclosing), default=0)
    cut += text.startswith("]", cut)  # the second bracket of an escaped [[name]...[/name]]
    head, tail = text[:cut], text[cut:]
    if enclosing:
        head = _shortcode_regex(enclosing).sub(callback, head)
    others = tuple(n for n in present if n not in enclosing)
    if others:
        head = _shortcode_regex(others, enclosing=False).sub(callback, head)
    return head + _shortcode_regex(present, enclosing=False).sub(callback, tail) + rest


# One paragraph: up to its </p>, or to where a parser would close it (a block tag, the end).
# Never crossing into another paragraph keeps it linear, where `<p>(.*?)</p>` is quadratic.
_BLOCK_EDGE = rf"</?{_ALLBLOCKS}[ \t\n\r\f\v/>]"
_PARAGRAPH = re.compile(
    rf"(<p(?:{_S}[^>]*)?>)((?:(?!{_BLOCK_EDGE}).)*+)(</p>|(?={_BLOCK_EDGE})|\Z)",
    re.S,
)
_UNAUTOP_INNER = re.compile(
    rf"{_SPACES}*+(\[({'|'.join(_KNOWN_SHORTCODES)})(?![\w-])[^\]/]*(?:/(?!\])[^\]/]*)*?"
    rf"(?:/\]|\](?:[^\[]*+(?:\[(?!/\2\])[^\[]*+)*+\[/\2\])?)){_SPACES}*+",
    re.ASCII,
)
_ATTS_RE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)""",
    re.ASCII,
)
_C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "v": "\v", "b": "\b", "f": "\f"}


def _stripcslashes(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: _C_ESCAPES.get(m.group(1), m.group(1)), value, flags=re.S)


def shortcode_parse_atts(text: str) -> tuple[dict[str, str], list[str]]:
    """shortcode_parse_atts(): named attributes (lower-cased keys) and positional values."""
    named: dict[str, str] = {}
    positional: list[str] = []
    for m in _ATTS_RE.finditer(re.sub("[\xa0\u200b]+", " ", text)):
        if m.group(1):
            named[m.group(1).lower()] = _stripcslashes(m.group(2))
        elif m.group(3):
            named[m.group(3).lower()] = _stripcslashes(m.group(4))
        elif m.group(5):
            named[m.group(5).lower()] = _stripcslashes(m.group(6))
        else:
            positional.append(_stripcslashes(next(g for g in m.groups()[6:] if g is not None)))
    # "Reject any unclosed HTML elements."
    for key, value in named.items():
        if "<" in value and not re.fullmatch(r"[^<]*+(?:<[^>]*+>[^<]*+)*+", value):
            named[key] = ""
    return named, positional


def shortcode_unautop(html: str) -> str:
    """shortcode_unautop(): unwrap `<p>[caption]...[/caption]</p>` so a figure is not put in a paragraph.

    Looked for within one paragraph: WordPress's pattern may also span `</p><p>` pairs, leaving
    half a paragraph on either side; expand_shortcodes() lifts such output out of paragraphs.
    """

    def unwrap(m: re.Match[str]) -> str:
        if m.group(1) != "<p>" or m.group(3) != "</p>":
            return m.group(0)
        shortcode = _UNAUTOP_INNER.fullmatch(m.group(2))
        return shortcode.group(1) if shortcode else m.group(0)

    return _PARAGRAPH.sub(unwrap, html) if "[" in html else html


# Credits at the end of a caption, as newsrooms write them: "(Jane Doe/Agency)", "(Photo: Jane Doe)",
# "Credit: Jane Doe", "Credit...Jane Doe", "Credit Jane Doe". Without a colon the name must be
# capitalised words and must not follow a preposition: "the lobby of Credit Suisse" is no credit.
_NAME = r"[A-Z][\w.'\u2019-]*(?:\s+(?:[A-Z][\w.'\u2019-]*|for|of|de|del|van|von|der|la|le|da|and|&amp;|/))*"
_CREDIT_PATTERNS = (
    re.compile(r"\s*\(\s*(?P<credit>[A-Z][^()<>/:]*?\s*/\s*[^()<>/\s][^()<>]*?)\s*\)\s*\.?\s*$"),
    re.compile(
        r"\s*\(\s*(?:Photo(?:graph)?|Image|Picture|Credit)s?(?:\s*:\s*|\s+by\s+)"
        r"(?P<credit>[^()<>]*[^()<>\s])\s*\)\s*\.?\s*$",
        re.I,
    ),
    re.compile(
        r"(?:^|(?<=[\s.,;!?|\u2013\u2014-])|(?<=<br />))(?:Photo\s+)?Credits?(?:\s*:|\s*\.\.\.|\s*\u2026)\s*"
        r"(?P<credit>[^<>]*[^<>\s.])\s*\.?\s*$",
        re.I,
    ),
    re.compile(rf"(?<=[\s.,;!?|\u2013\u2014-])Credits?\s+(?P<credit>{_NAME}(?:\s*/\s*{_NAME})?)\s*\.?\s*$"),
)
_NOT_BEFORE_CREDIT = re.compile(r"\b(?:of|at|by|from|in|on|to|with|for|and|the|a|an|no)\s*$", re.I)


def split_credit(caption: str) -> tuple[str, str | None]:
    """Split a trailing photo credit off a caption: ("Bell on wharf", "Jane Doe/AP") or (caption, None).

    Imported captions carry the photographer's credit as text; Byline shows it in its own span.
    """
    for number, pattern in enumerate(_CREDIT_PATTERNS):
        m = pattern.search(caption)
        if not m or "://" in m.group("credit"):
            continue
        before = caption[: m.start()].rstrip(" \t\n\r|,;:\u2013\u2014-")  # "Bell — Credit X"
        if number == len(_CREDIT_PATTERNS) - 1 and (not before or _NOT_BEFORE_CREDIT.search(before)):
            continue
        return before, m.group("credit").strip()
    return caption, None


def _figcaption(caption_html: str, credit: str | None) -> str:
    credit_html = f'<span class="credit">Credit: {credit}</span>' if credit else ""
    return (
        f"<figcaption>{caption_html}{' ' if caption_html and credit_html else ''}{credit_html}</figcaption>"
    )


def _trim_autop(html: str) -> str:
    """Drop the <p>, </p> and <br /> that wpautop put inside a shortcode's content, and the edges' space."""
    html = re.sub(r"</?p>", "", html)
    return re.sub(rf"^(?:{_S}|<br />)+|(?:{_S}|<br />)+$", "", html)


def _balance_links(html: str) -> str:
    """Close an `<a>` that the author left open around the image (WordPress leaves it open)."""
    opened = len(re.findall(r"<a[\s>]", html, re.I)) - len(re.findall(r"</a>", html, re.I))
    return html + "</a>" * max(opened, 0)


def _caption_shortcode(named: dict[str, str], content: str, expand: Callable[[str], str]) -> str:
    """img_caption_shortcode() with HTML5 captions, the credit split off into its own span."""
    content = content or ""
    caption = named.get("caption")
    if caption is None:
        # New-style: [caption]<a><img></a> Caption text[/caption].
        m = re.search(r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", content, re.I | re.S)
        if m:
            before = _trim_autop(content[: m.start()])  # WordPress drops it; keep the words
            content, caption = m.group(1), (before + " " + m.group(2).strip()).strip()
    caption = _trim_autop(caption or "")
    media = _balance_links(_trim_autop(expand(content)))
    if not caption:
        return media  # WordPress: no caption, no figure
    classes = " ".join(
        c for c in ("wp-caption", named.get("align", "alignnone"), named.get("class", "")) if c
    )
    ident = re.sub(r"%[a-fA-F0-9][a-fA-F0-9]|[^A-Za-z0-9_-]", "", named.get("id", ""))  # sanitize_html_class
    id_attr = f' id="{escape(ident)}"' if ident else ""
    caption, credit = split_credit(caption)
    return f'<figure class="{escape(classes)}"{id_attr}>{media}{_figcaption(caption, credit)}</figure>'


def _safe_media_url(url: str) -> str | None:
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", re.sub(r"[\x00-\x20]", "", url))
    return url if not scheme or scheme.group(1).lower() in ("http", "https") else None


def _gallery_shortcode(named: dict[str, str], media_lookup: MediaLookup | None) -> str:
    """gallery_shortcode() for `ids="1,2,3"`: a div of figures, each image linked to its file.

    WordPress finds the images in its database; here `media_lookup(id)` does. Without a lookup
    (or without ids, meaning "the post's attached images") the gallery is an empty div that
    carries the ids for whoever can resolve them later.
    """
    ids = [int(i) for i in re.findall(r"\d+", named.get("ids") or named.get("include") or "")]
    columns = named.get("columns", "3")
    columns = int(columns) if columns.isdigit() and 0 < int(columns) < 100 else 3
    opening = f'<div class="gallery gallery-columns-{columns}"'
    if media_lookup is None or not ids:
        return opening + (f' data-ids="{",".join(map(str, ids))}"' if ids else "") + "></div>"
    items = []
    for media_id in ids:
        media = media_lookup(media_id)
        url = _safe_media_url(str(media.get("url") or "")) if isinstance(media, Mapping) else None
        if not url:
            continue
        size = "".join(
            f' {k}="{int(media[k])}"' for k in ("width", "height") if str(media.get(k) or "").isdigit()
        )
        img = f'<img src="{escape(url)}" alt="{escape(str(media.get("alt") or ""))}"{size} loading="lazy">'
        if named.get("link") != "none":
            img = f'<a href="{escape(url)}">{img}</a>'
        caption, credit = escape(str(media.get("caption") or "")), media.get("credit")
        if not credit:
            caption, credit = split_credit(caption)
        else:
            credit = escape(str(credit))
        figcaption = _figcaption(caption, credit) if caption or credit else ""
        items.append(f'<figure class="gallery-item">{img}{figcaption}</figure>')
    return opening + ">" + "".join(items) + "</div>"


_URL = r"https?://[^ \t\n\r\f\v<>\"\x00]+"  # \x00: never swallow a placeholder


def _link(url: str) -> str:
    url = escape(unescape(url))
    return f'<a href="{url}">{url}</a>'


def _embed_shortcode(content: str) -> str:
    """[embed]URL[/embed]: a plain link. No oEmbed call, no iframe: readers' visits stay private."""
    url = _trim_autop(content or "")
    if re.fullmatch(_URL, url):
        return f"<p>{_link(url)}</p>"
    return escape(url)


# A placeholder for rendered output while the text around it is still being worked on. NUL
# never survives in HTML text (parsers turn it into U+FFFD), so input NULs are replaced first.
_HOLD = re.compile(r"\x00(\d+)\x00")
_RAW_TEXT = {"pre", "code", "textarea", "script", "style", "a", "kbd", "samp"}


def _link_bare_urls(html: str, own_line: Callable[[str], str]) -> str:
    """WP_Embed::autoembed(): a URL alone on its line, or alone in a paragraph, becomes a link.

    `own_line(link_html)` gives what a URL on its own line turns into (a paragraph, or the bare
    link when wpautop is still to come, as with WordPress's autoembed at priority 8).
    """
    html = re.sub(
        rf"(<p(?: [^>]*)?>{_S}*)({_URL})({_S}*</p>)",
        lambda m: m.group(1) + _link(m.group(2)) + m.group(3),
        html,
        flags=re.I,
    )
    parts = _html_split(html)
    depth = 0  # inside pre, code, a link...: a URL there is the author's literal text
    for i, part in enumerate(parts):
        if i % 2:
            m = re.match(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)", part)
            if m and m.group(2).lower() in _RAW_TEXT and not part.endswith("/>"):
                depth = max(depth + (-1 if m.group(1) else 1), 0)
            continue
        if depth or "://" not in part:
            continue
        first, last = i == 0, i == len(parts) - 1

        def line(m, part=part, first=first, last=last):
            at_start = m.start() > 0 or first
            at_end = m.end() < len(part) or last
            return m.group(1) + own_line(_link(m.group(2))) if at_start and at_end else m.group(0)

        parts[i] = re.sub(rf"(?:(?<=\n)|\A)([ \t]*)({_URL})[ \t]*(?=\n|\Z)", line, part)
    return "".join(parts)


_INLINE_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = set("br img hr input wbr source track area col embed param meta link".split())


def _lift_out_of_paragraphs(html: str) -> str:
    """Split a paragraph around held block output: `<p>a [figure] b</p>` -> `<p>a</p> figure <p>b</p>`.

    Inline elements open across the split (a link around a caption) are closed before the block
    and reopened after it, the way an HTML parser's adoption agency would; a paragraph wpautop
    left open (before a stray `</div>`) is closed.
    """

    def split(m: re.Match[str]) -> str:
        if "\x00" not in m.group(2):  # close it where a parser would, before any held block
            return m.group(0) if m.group(3) else m.group(0) + "</p>"
        out, carried = [], []
        for i, piece in enumerate(_HOLD.split(m.group(2))):
            if i % 2:  # the number captured from a placeholder
                out.append(f"\x00{piece}\x00")
                continue
            body = "".join(tag for _, tag in carried) + piece
            stack = list(carried)
            for t in _INLINE_TAG.finditer(piece):
                name = t.group(2).lower()
                if name in _VOID or t.group(3):
                    continue
                if not t.group(1):
                    stack.append((name, t.group(0)))
                else:
                    for j in range(len(stack) - 1, -1, -1):
                        if stack[j][0] == name:
                            del stack[j:]
                            break
            body = _trim_autop(body + "".join(f"</{name}>" for name, _ in reversed(stack)))
            carried = stack
            if re.sub(r"<(?!img|svg|video|audio|iframe|object|input)[^>]*>|\s|&nbsp;", "", body):
                out.append(f"{m.group(1)}{body}</p>")
        return "\n".join(out)

    return _PARAGRAPH.sub(split, html) if "\x00" in html else html


_SHORTCODE_NAME = re.compile(r"\[([^<>&/\[\]\x00-\x20=]++)")  # do_shortcode()'s name finder
_PLAUSIBLE_NAME = re.compile(r"[a-z][a-z0-9_-]*")
_LINK_OPENED = re.compile(r"<a\s[^>]*>\s*\Z", re.I)


def _looks_like_a_shortcode(m: re.Match[str]) -> bool:
    """Whether an unknown `[name ...]` is a plugin's shortcode rather than bracketed prose.

    `[foo id="1"]`, `[foo /]`, `[foo]...[/foo]`, `[audio https://...]` and a bare `[toc]` are;
    `[citation needed]` (a word after the name) and a "back to top" link's `[top]` are not.
    """
    attrs = m.group(3).strip()
    if "=" in attrs or m.group(4) or m.group(5) is not None or attrs.startswith("http"):
        return True
    return not attrs and not _LINK_OPENED.search(m.string[max(0, m.start() - 300) : m.start()])


def expand_shortcodes(html: str, *, media_lookup: MediaLookup | None = None) -> tuple[str, list[str]]:
    """Render [caption], [gallery], [embed] and bare URLs; return the HTML and unknown shortcode names.

    Unknown shortcodes (a plugin's `[contact-form]`) stay as text and are reported so an import can
    say what it could not show. `[[name]]` is WordPress's escape for a literal `[name]`.
    """
    held: list[str] = []

    def hold(output: str) -> str:
        held.append(output)
        return f"\x00{len(held) - 1}\x00"

    html = html.replace("\x00", "\ufffd")
    # do_shortcodes_in_html_tags() with $ignore_html: brackets inside tags and comments are not
    # shortcodes. Existing &#91; is renamed first so that only our escapes are undone at the end.
    html = html.replace("&#91;", "&#091;").replace("&#93;", "&#093;")
    parts = _html_split(html)
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].replace("[", "&#91;").replace("]", "&#93;")
    html = "".join(parts)

    def known(m: re.Match[str]) -> str:
        if m.group(1) == "[" and m.group(6) == "]":
            return m.group(0)[1:-1]
        named, _ = shortcode_parse_atts(m.group(3))
        name, content = m.group(2), m.group(5)
        if name in ("caption", "wp_caption"):
            return m.group(1) + hold(_caption_shortcode(named, content, expand_known)) + m.group(6)
        if name == "gallery":
            return m.group(1) + hold(_gallery_shortcode(named, media_lookup)) + m.group(6)
        return m.group(1) + hold(_embed_shortcode(content or named.get("src", ""))) + m.group(6)

    def expand_known(text: str) -> str:
        return _sub_shortcodes(text, _KNOWN_SHORTCODES, known)

    html = expand_known(html)

    unknown: list[str] = []
    candidates = tuple(
        sorted(
            {n for n in _SHORTCODE_NAME.findall(html) if _PLAUSIBLE_NAME.fullmatch(n)}
            - set(_KNOWN_SHORTCODES)
        )
    )
    if candidates:

        def other(m: re.Match[str]) -> str:
            if m.group(1) == "[" and m.group(6) == "]":
                return m.group(0)[1:-1]
            if _looks_like_a_shortcode(m) and m.group(2) not in unknown:
                unknown.append(m.group(2))
            if m.group(5) is None:
                return m.group(0)
            start, end = m.start(5) - m.start(0), m.end(5) - m.start(0)
            return m.group(0)[:start] + _sub_shortcodes(m.group(5), candidates, other) + m.group(0)[end:]

        source = html
        html = _sub_shortcodes(html, candidates, other)
        unknown.sort(key=lambda name: source.find("[" + name))  # in reading order

    html = _link_bare_urls(html, lambda link: hold(f"<p>{link}</p>"))
    html = _lift_out_of_paragraphs(html)
    while _HOLD.search(html):  # held output can hold more (a caption inside a caption)
        html = _HOLD.sub(lambda m: held[int(m.group(1))], html)
    html = html.replace("&#91;", "[").replace("&#93;", "]")  # unescape_invalid_shortcodes()
    return html, unknown


def render_wordpress_content(text: str, *, media_lookup: MediaLookup | None = None) -> tuple[str, list[str]]:
    """WordPress's `the_content` chain for an imported post: the HTML to show and unknown shortcodes.

    Block posts are finished HTML (WordPress skips wpautop for them); classic posts get their bare
    URLs linked (autoembed, priority 8), wpautop (10), shortcode_unautop, then shortcodes (11), as
    in default-filters.php.
    Curly quotes (wptexturize) and smilies are left out: they change no structure.
    """
    if "<!-- wp:" in text:
        html = strip_block_comments(text)
    else:
        html = wpautop(_link_bare_urls(text.replace("\x00", "\ufffd"), lambda link: link))
    return expand_shortcodes(shortcode_unautop(html), media_lookup=media_lookup)
