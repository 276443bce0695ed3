"""The body between the stored form and the visual editor.

Stored bodies keep today's shape: photos as `[media id=N size=… align=…]` in a paragraph of their
own (rendered from the Media row on save, so one edit of a caption shows everywhere), clippings
as the finished public markup (an mf2 `h-cite` blockquote, see `clipping_html`). The editor sees
photos as `<figure data-media-id …>` with the photo's current alt, caption and credit; it sends
them back the same way, and `from_editor_html` turns them into shortcodes again and reports the
photo fields to store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import unescape

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from byline.content.formatting import render_wordpress_content
from byline.content.models import Media
from byline.content.rendering import (
    FIGURE_ALIGNS,
    FIGURE_SIZES,
    markdown_to_html,
    media_display_url,
    sanitize_post_html,
)

_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')
_EDITOR_FIGURE = re.compile(r"<figure\b([^>]*\bdata-media-id=\"\d+\"[^>]*)>.*?</figure>", re.S)
_EDITOR_CLIPPING = re.compile(r"<blockquote\b([^>]*\bdata-clipping=\"[^\"]*\"[^>]*)>.*?</blockquote>", re.S)
_EDITOR_HTML_BLOCK = re.compile(r"<div\b([^>]*\bclass=\"html-block\"[^>]*)>\s*</div>", re.S)
_SHORTCODE_PARAGRAPH = re.compile(
    r"(?:<p>\s*)?\[media\s+(?:id\s*=\s*)?[\"']?(\d+)[\"']?((?:\s+[a-z]+=[\"']?[a-z-]+[\"']?)*)\s*\](?:\s*</p>)?"
)
CLIPPING_FIELDS = ("url", "publication", "headline", "byline", "date", "dateline", "text")


@dataclass
class PhotoFields:
    """What the writer typed into a figure: stored on the photo itself."""

    media_id: int
    alt: str
    caption: str
    credit: str


def _attrs(opening: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in _ATTR.findall(opening)}


def _date_line(value: str) -> str:
    """ "2025-09-12" as readers read it: "September 12, 2025" (other text is shown as typed)."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day:%B} {day.day}, {day.year}"


def _dateline(value: str) -> str:
    """'Riverton' or 'RIVERTON —' as news style prints it: 'RIVERTON —'."""
    place = value.strip().rstrip("—–-").strip()
    return f"{place.upper()} —" if place else ""


def clipping_html(fields: dict[str, str]) -> str:
    """A clipped story as the public page shows it: a quoted source with its line, as mf2 h-cite."""
    url = fields.get("url", "").strip()
    if not re.match(r"https?://", url):
        url = ""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", fields.get("text", "")) if p.strip()]
    quoted = mark_safe("".join(format_html("<p>{}</p>", p) for p in paragraphs))  # noqa: S308 - each part escaped
    dateline = _dateline(fields.get("dateline", ""))
    if dateline:
        # News style: the place opens the story's first paragraph in capitals, then a dash.
        first = paragraphs[0] if paragraphs else ""
        lead = format_html('<p><span class="clipping-dateline">{}</span> {}</p>', dateline, first)
        rest = "".join(format_html("<p>{}</p>", p) for p in paragraphs[1:])
        quoted = mark_safe(lead + rest)  # noqa: S308 - each part escaped
    parts = []
    if fields.get("byline", "").strip():
        parts.append(format_html('<span class="p-author">{}</span>', fields["byline"].strip()))
    if fields.get("publication", "").strip():
        parts.append(format_html('<cite class="p-publication">{}</cite>', fields["publication"].strip()))
    when = fields.get("date", "").strip()
    if when:
        parts.append(
            format_html('<time class="dt-published" datetime="{}">{}</time>', when, _date_line(when))
        )
    line = mark_safe(", ".join(parts))  # noqa: S308 - each part escaped by format_html
    headline = fields.get("headline", "").strip()
    title = ""
    if headline:
        title = (
            format_html(
                '<p class="clipping-headline"><a class="u-url p-name" href="{}">{}</a></p>', url, headline
            )
            if url
            else format_html('<p class="clipping-headline p-name">{}</p>', headline)
        )
    elif url:
        line = format_html('{}{}<a class="u-url" href="{}">{}</a>', line, ", " if line else "", url, url)
    cite = format_html(' cite="{}"', url) if url else ""
    return format_html(
        '<blockquote class="clipping h-cite"{}>{}<div class="e-content">{}</div>'
        '<footer class="clipping-source">{}</footer></blockquote>',
        cite,
        title,
        quoted,
        line,
    )


def photo_figure_for_editor(media: Media, size: str = "", align: str = "") -> str:
    return format_html(
        '<figure data-media-id="{}" data-size="{}" data-align="{}" data-alt="{}" data-caption="{}" '
        'data-credit="{}"><img src="{}" alt="{}"></figure>',
        media.pk,
        size if size in FIGURE_SIZES else "column",
        align if align in FIGURE_ALIGNS else "center",
        media.alt,
        media.caption,
        media.credit,
        media_display_url(media),
        media.alt,
    )


def to_editor_html(body: str, body_format: str) -> str:
    """A stored body as the visual editor takes it: shortcodes become figures with their photo's fields.

    Markdown and WordPress bodies are converted (the "Convert to the visual editor" action).
    """
    if body_format == "markdown":
        body = markdown_to_html(body)
    elif body_format == "wordpress":
        body, _unknown = render_wordpress_content(body)
    body = sanitize_post_html(body) if body_format != "html" else body
    ids = {int(n) for n, _ in _SHORTCODE_PARAGRAPH.findall(body)}
    media = Media.objects.in_bulk(ids)

    def figure(m: re.Match[str]) -> str:
        photo = media.get(int(m.group(1)))
        if photo is None:
            return ""
        options = dict(re.findall(r"([a-z]+)=[\"']?([a-z-]+)", m.group(2) or ""))
        return photo_figure_for_editor(photo, options.get("size", ""), options.get("align", ""))

    return _SHORTCODE_PARAGRAPH.sub(figure, body)


def from_editor_html(html: str) -> tuple[str, list[PhotoFields]]:
    """What the editor sent, as the body to store, and the photo fields typed into its figures."""
    photos: list[PhotoFields] = []

    def figure(m: re.Match[str]) -> str:
        attrs = _attrs(m.group(1))
        media_id = int(attrs["data-media-id"])
        photos.append(
            PhotoFields(
                media_id,
                attrs.get("data-alt", "")[:500],
                attrs.get("data-caption", ""),
                attrs.get("data-credit", "")[:250],
            )
        )
        options = ""
        size, align = attrs.get("data-size", ""), attrs.get("data-align", "")
        if size in FIGURE_SIZES[1:]:
            options += f" size={size}"
        if align in FIGURE_ALIGNS[1:]:
            options += f" align={align}"
        return f"<p>[media id={media_id}{options}]</p>"

    def clipping(m: re.Match[str]) -> str:
        attrs = _attrs(m.group(1))
        return clipping_html({name: attrs.get(f"data-{name}", "") for name in CLIPPING_FIELDS})

    def html_block(m: re.Match[str]) -> str:
        return f'<div class="html-block">{_attrs(m.group(1)).get("data-html", "")}</div>'

    html = _EDITOR_HTML_BLOCK.sub(html_block, html)
    html = _EDITOR_FIGURE.sub(figure, html)
    html = _EDITOR_CLIPPING.sub(clipping, html)
    html = re.sub(r"<p>(?:\s|<br>)*</p>", "", html)  # the editor's empty lines (and its trailing one)
    return sanitize_post_html(html), photos


def plain_words(html: str) -> list[str]:
    """The words of a body as readers read them, for comparing revisions (never markup)."""
    text = re.sub(r"<(?:p|h[1-6]|li|blockquote|figure|br)\b[^>]*>", "\n", html)
    text = re.sub(r"<[^>]+>", " ", text)
    return unescape(text).split()
