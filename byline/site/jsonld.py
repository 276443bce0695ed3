"""schema.org JSON-LD for a post: a BlogPosting with its corrections as CorrectionComment items."""

from __future__ import annotations

import json

from django.utils.html import strip_tags

from byline.content.permalinks import local
from byline.content.rendering import media_display_url


def citations(html: str) -> list[dict]:
    """The clipped stories a post quotes (mf2 h-cite blocks) as schema.org citation items."""
    if "h-cite" not in html:
        return []
    from lxml import html as lxml_html

    out = []
    for block in lxml_html.fragment_fromstring(html, create_parent="div").find_class("h-cite"):

        def text(cls, node=block):
            found = node.find_class(cls)
            return " ".join(found[0].text_content().split()) if found else ""

        item = {"@type": "NewsArticle"}
        if text("p-name"):
            item["headline"] = text("p-name")
        links = block.find_class("u-url")
        url = links[0].get("href") if links else block.get("cite")
        if url:
            item["url"] = url
        if text("p-author"):
            item["author"] = {"@type": "Person", "name": text("p-author")}
        if text("p-publication"):
            item["publisher"] = {"@type": "Organization", "name": text("p-publication")}
        times = block.find_class("dt-published")
        if times and times[0].get("datetime"):
            item["datePublished"] = times[0].get("datetime")
        if len(item) > 1:
            out.append(item)
    return out


def _iso(dt) -> str:
    return local(dt).isoformat(timespec="seconds")


def post_jsonld(post, *, url: str, absolute, author_url: str, site_name: str, description: str) -> str:
    """The JSON text to put in <script type="application/ld+json">, safe inside HTML."""
    profile = getattr(post.author, "profile", None)
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title[:110],
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": _iso(post.published_at),
        "dateModified": _iso(post.updated_at),
        "author": {
            "@type": "Person",
            "name": profile.display_name if profile else post.author.get_username(),
            "url": author_url,
        },
        "publisher": {"@type": "Organization", "name": site_name},
    }
    if description:
        data["description"] = description
    images = ([post.featured_image] if post.featured_image else []) + [
        m for m in post.figures.all() if m != post.featured_image
    ]
    if images:
        data["image"] = [absolute(media_display_url(m)) for m in images]
    sections = [c.name for c in post.categories.all()]
    if sections:
        data["articleSection"] = sections
    tags = [t.name for t in post.tags.all()]
    if tags:
        data["keywords"] = tags
    corrections = [_correction(c) for c in post.corrections.all()]
    if corrections:
        data["correction"] = corrections
    cited = citations(post.content_html or "")
    if cited:
        data["citation"] = cited
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # "</script>" inside a string would end the element early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _correction(c) -> dict:
    """A CorrectionComment; an edited one has its dateModified, a withdrawn one says so in its text."""
    item = {"@type": "CorrectionComment", "datePublished": _iso(c.date), "text": strip_tags(c.text).strip()}
    if c.withdrawn_at:
        item["dateModified"] = _iso(c.withdrawn_at)
        item["text"] = f"Withdrawn {local(c.withdrawn_at):%Y-%m-%d}: {item['text']}"
    elif c.edited_at:
        item["dateModified"] = _iso(c.edited_at)
    return item
