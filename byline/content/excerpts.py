"""What index pages show of a post that has no excerpt: WordPress's automatic excerpt and a photo.

Pure functions over the rendered body (`Post.content_html`); `services.save_post` stores
their results on the post, so a list page reads two columns instead of rendering bodies.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

EXCERPT_WORDS = 55  # WordPress's excerpt_length
EXCERPT_MORE = "…"  # WordPress's excerpt_more is " [&hellip;]"; the ellipsis alone reads better
# A guard for text with no spaces (a 10,000-letter "word", or CJK): WordPress would count
# characters for such languages; a cap keeps the stored excerpt and the list page small.
EXCERPT_MAX_CHARS = 600

# Elements whose text is not prose: captions and credits of photos, code, scripts.
_DROPPED = re.compile(r"<(figure|figcaption|script|style|pre|table|sup)\b[^>]*>.*?</\1\s*>", re.S | re.I)
# Block boundaries become spaces so that "<p>end.</p><p>Next" does not read "end.Next".
_BLOCK_EDGE = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|section|article|header|footer|dd|dt|tr|td|th|hr)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")
# Shortcodes Byline could not render stay in the text as "[name attr]"; WordPress's
# strip_shortcodes removes them from excerpts.
_SHORTCODE = re.compile(r"\[/?[A-Za-z][\w-]*(?:\s[^\[\]]*)?/?\]")


def plain_text(rendered_html: str) -> str:
    """The readable words of a rendered body: no markup, captions, shortcodes or entities."""
    text = _DROPPED.sub(" ", rendered_html)
    text = _BLOCK_EDGE.sub(" ", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = _SHORTCODE.sub(" ", text)
    return " ".join(text.split())


def trim_words(text: str, words: int = EXCERPT_WORDS, more: str = EXCERPT_MORE) -> str:
    """WordPress's wp_trim_words: the first `words` words; `more` appended when text was cut."""
    parts = text.split()
    cut = len(parts) > words
    out = " ".join(parts[:words])
    if len(out) > EXCERPT_MAX_CHARS:
        head = out[:EXCERPT_MAX_CHARS]
        out, cut = (head.rsplit(" ", 1)[0] if " " in head else head), True
    if cut:
        out = out.rstrip(" ,;:.-–—") + more
    return out


def automatic_excerpt(rendered_html: str) -> str:
    """WordPress's wp_trim_excerpt: 55 words of the rendered text, ending in "…" when cut."""
    return trim_words(plain_text(rendered_html))


_FIGURE_ID = re.compile(r'<figure\b[^>]*\bid="media-(\d+)"')
_IMG_SRC = re.compile(r'<img\b[^>]*?\bsrc="([^"]+)"', re.I)


def first_photo(rendered_html: str, media_url: str) -> tuple[int | None, str | None]:
    """The body's first photo: a Byline figure's media id, or else the stored file name of
    the first `<img>` served from this site's media (an imported WordPress body)."""
    figure = _FIGURE_ID.search(rendered_html)
    img = _IMG_SRC.search(rendered_html)
    if figure and (img is None or figure.start() < img.start()):
        return int(figure.group(1)), None
    for match in _IMG_SRC.finditer(rendered_html):
        path = unquote(urlsplit(html.unescape(match.group(1))).path)
        if path.startswith(media_url):
            return None, path[len(media_url) :]
    return None, None
