"""Turning a post's body (HTML or Markdown) into the HTML readers get.

Done once when the post is saved (services.save_post), never on a page view: the result
is stored in `Post.content_html`. The author's HTML goes through an allow-list
(`sanitize_post_html`, WordPress's `wp_kses_post` in spirit); photos are inserted with
`[media id=N]` and rendered by Byline itself as `<figure>` with caption and credit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nh3
from django.utils.html import escape, format_html
from django.utils.text import slugify
from markdown_it import MarkdownIt

from .formatting import render_wordpress_content

_BLOCK = (
    "p",
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "colgroup",
    "col",
    "details",
    "summary",
    "address",
)
_INLINE = (
    "a",
    "abbr",
    "acronym",
    "b",
    "bdi",
    "bdo",
    "big",
    "cite",
    "code",
    "data",
    "del",
    "dfn",
    "em",
    "i",
    "img",
    "ins",
    "kbd",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
    "wbr",
    "picture",
    "source",
)

POST_TAGS = set(_BLOCK + _INLINE)
_COMMON = {"id", "class", "title", "lang", "dir"}
POST_ATTRIBUTES = {
    "*": _COMMON,
    "a": {"href", "rel", "target", "hreflang", "name"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "source": {"srcset", "sizes", "media", "type"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "abbr": {"title"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_post_html(html: str) -> str:
    """Author HTML through the post allow-list: no script, no event handlers, no unsafe URLs."""
    return nh3.clean(
        html,
        tags=POST_TAGS,
        attributes=POST_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript"},
    )


_markdown = (
    MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table").enable("strikethrough")
)


def markdown_to_html(text: str) -> str:
    return _markdown.render(text)


@dataclass
class Rendered:
    html: str
    media_ids: list[int] = field(default_factory=list)
    # Shortcodes of a WordPress body that Byline cannot show (a plugin's [contact-form]):
    # kept as text, and listed so that an import can report them.
    unknown_shortcodes: list[str] = field(default_factory=list)


# [media id=N], with the desk's figure options: [media id=N size=wide align=left].
_MEDIA = r"\[media\s+(?:id\s*=\s*)?[\"']?(\d+)[\"']?((?:\s+[a-z]+=[\"']?[a-z-]+[\"']?)*)\s*\]"
# In sanitised HTML every attribute value is double-quoted and holds no '"', so a tag is
# found exactly; matching tags whole keeps `[media id=N]` inside an attribute as text.
# Groups: 1-2 a shortcode alone in its paragraph, 3-4 one inside text, 5 a tag.
_MEDIA_IN_TEXT = re.compile(rf"<p>\s*{_MEDIA}\s*</p>|{_MEDIA}|(<(?:[^>\"]|\"[^\"]*\")*>)")
# Column and centre are the defaults.
FIGURE_SIZES = ("column", "wide", "full")
FIGURE_ALIGNS = ("center", "left", "right")
_HEADING = re.compile(r"<h([23])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)


def figure_html(
    media, *, sizes: str = "(max-width: 760px) 100vw, 720px", size: str = "", align: str = ""
) -> str:
    """A photo as `<figure><img alt srcset><figcaption>caption <span class=credit>`."""
    srcset = ", ".join(f"{url} {w}w" for url, w in media_srcset(media))
    img = format_html(
        '<img src="{}" alt="{}"{}{}{} loading="lazy" decoding="async">',
        media_display_url(media),
        media.alt,
        format_html(' width="{}" height="{}"', media.width, media.height) if media.width else "",
        format_html(' srcset="{}"', srcset) if srcset else "",
        format_html(' sizes="{}"', sizes) if srcset else "",
    )
    caption = ""
    if media.caption or media.credit:
        credit = format_html(' <span class="credit">Credit: {}</span>', media.credit) if media.credit else ""
        caption = format_html("<figcaption>{}{}</figcaption>", media.caption, credit)
    classes = "wp-caption"
    if size in FIGURE_SIZES[1:]:
        classes += f" size-{size}"
    if align in FIGURE_ALIGNS[1:]:
        classes += f" align{align}"  # WordPress's alignleft/alignright, which themes already style
    return format_html('<figure class="{}" id="media-{}">{}{}</figure>', classes, media.pk, img, caption)


def thumbnail_html(media, *, sizes: str = "(max-width: 640px) 100vw, 12rem") -> str:
    """A photo as the small picture beside a post on index pages: sizes up to 1024 px wide.

    Empty alt text: the picture links to the post its title names just beside it.
    """
    candidates = [(url, w) for url, w in media_srcset(media) if w <= 1024]
    src, width = min(candidates, key=lambda c: abs(c[1] - 640)) if candidates else (media.url, None)
    height = round(media.height * width / media.width) if width and media.width and media.height else None
    return format_html(
        '<img src="{}" alt=""{}{}{} loading="lazy" decoding="async">',
        src,
        format_html(' width="{}" height="{}"', width, height) if height else "",
        format_html(' srcset="{}"', ", ".join(f"{url} {w}w" for url, w in candidates)) if candidates else "",
        format_html(' sizes="{}"', sizes) if candidates else "",
    )


def media_srcset(media) -> list[tuple[str, int]]:
    from django.core.files.storage import default_storage

    out = [(default_storage.url(s["name"]), s["width"]) for s in media.sizes or []]
    if media.file and media.width:
        out.append((media.file.url, media.width))
    return out


def media_display_url(media) -> str:
    """The largest size up to 1024 px wide, else the original."""
    from django.core.files.storage import default_storage

    fitting = [s for s in media.sizes or [] if s["width"] <= 1024]
    if media.width and media.width > 1024 and fitting:
        return default_storage.url(max(fitting, key=lambda s: s["width"])["name"])
    return media.url


def add_heading_ids(html: str) -> str:
    """Give every h2/h3 an id so that sections can be linked to (#section-name)."""
    used: set[str] = set(re.findall(r'\sid="([^"]+)"', html))

    def repl(m):
        level, attrs, inner = m.groups()
        if re.search(r"\sid=", attrs or ""):
            return m.group(0)
        text = re.sub(r"<[^>]+>", "", inner)
        base = slugify(text)[:60].strip("-") or "section"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        return f'<h{level}{attrs} id="{escape(slug)}">{inner}</h{level}>'

    return _HEADING.sub(repl, html)


def _wordpress_media(media) -> dict:
    """What WordPress's [gallery] needs of a photo (formatting.MediaLookup's mapping)."""
    return {
        "url": media_display_url(media),
        "alt": media.alt,
        "caption": media.caption,
        "credit": media.credit,
        "width": media.width,
        "height": media.height,
    }


def render_body(body: str, body_format: str, media_by_id: dict[int, object]) -> Rendered:
    """Render, sanitise and add figures and section anchors; report the media it shows."""
    shown: list[int] = []
    if body_format == "wordpress":
        # WordPress's display chain; [gallery ids] name Byline media (the importer maps them).
        def lookup(media_id: int):
            media = media_by_id.get(media_id)
            if media is None:
                return None
            shown.append(media.pk)
            return _wordpress_media(media)

        html, unknown = render_wordpress_content(body, media_lookup=lookup)
        return Rendered(add_heading_ids(sanitize_post_html(html)), shown, unknown)
    html = markdown_to_html(body) if body_format == "markdown" else body

    def repl(m):
        if m.group(5):
            return m.group(5)  # a tag, with whatever its attributes say
        media = media_by_id.get(int(m.group(1) or m.group(3)))
        if media is None:
            return ""  # a photo that was deleted leaves no broken image behind
        shown.append(media.pk)
        options = dict(re.findall(r"([a-z]+)=[\"']?([a-z-]+)", m.group(2) or m.group(4) or ""))
        return figure_html(media, size=options.get("size", ""), align=options.get("align", ""))

    # Sanitise first so that tags are nh3's own and `[media id=N]` is expanded in text only,
    # then again so that the figures (an imported photo's address too) pass the same allow-list.
    html = sanitize_post_html(_MEDIA_IN_TEXT.sub(repl, sanitize_post_html(html)))
    return Rendered(add_heading_ids(html), shown)


_GALLERY_IDS = re.compile(r"\[gallery\b[^\]]*?\b(?:ids|include)\s*=\s*[\"']?([\d,\s]+)")


def media_ids_in(body: str) -> set[int]:
    """The photos a body shows: `[media id=N]`, and `[gallery ids="N,M"]` of WordPress bodies."""
    ids = {int(m) for m in re.findall(r"\[media\s+(?:id\s*=\s*)?[\"']?(\d+)", body)}
    for group in _GALLERY_IDS.findall(body):
        ids.update(int(n) for n in re.findall(r"\d+", group))
    return ids
