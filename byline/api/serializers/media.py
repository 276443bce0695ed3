"""Photos as WordPress's attachment objects, with their thumbnails as `media_details.sizes`."""

from __future__ import annotations

import os

from django.core.files.storage import default_storage
from django.utils.text import slugify

from byline.content.models import Media
from byline.text import safe_url

from ..embedding import resolver
from ..links import link, site_url, v2
from .common import Ctx, gmt_date, local_date, rendered, text_html

# WordPress's size names that themes and front ends ask for, mapped to Byline's widths.
SIZE_NAMES = {"thumbnail": 320, "medium": 320, "medium_large": 640, "large": 1024, "1536x1536": 1600}


def media_slug(media: Media) -> str:
    stem = os.path.splitext(os.path.basename(media.file.name))[0] if media.file else ""
    return slugify(media.title or stem, allow_unicode=True) or f"media-{media.pk}"


def source_url(media: Media, request) -> str:
    return site_url(request, media.file.url) if media.file else safe_url(media.original_url)


def media_details(media: Media, request) -> dict:
    if not media.file:
        return {}
    sizes = {}
    by_width = {}
    for size in media.sizes or []:
        entry = {
            "file": os.path.basename(size["name"]),
            "width": size["width"],
            "height": size["height"],
            "mime_type": media.mime_type,
            "source_url": site_url(request, default_storage.url(size["name"])),
        }
        by_width[size["width"]] = entry
        sizes[f"{size['width']}w"] = entry
    for name, width in SIZE_NAMES.items():
        if width in by_width:
            sizes[name] = by_width[width]
    sizes["full"] = {
        "file": os.path.basename(media.file.name),
        "width": media.width,
        "height": media.height,
        "mime_type": media.mime_type,
        "source_url": source_url(media, request),
    }
    return {
        "width": media.width,
        "height": media.height,
        "file": media.file.name,
        "sizes": sizes,
        # WordPress's image_meta has a `credit`: the photographer or agency, as Byline keeps it.
        "image_meta": {"credit": media.credit, "caption": media.caption, "title": media.title},
    }


def serialize_media(media: Media, ctx: Ctx) -> dict:
    request = ctx.request
    url = source_url(media, request)
    caption_html = f"<p>{text_html(media.caption)}</p>\n" if media.caption else ""
    data = {"id": media.pk, "date": local_date(media.created_at)}
    if not ctx.embed:
        data.update(
            date_gmt=gmt_date(media.created_at),
            guid=rendered(url, url, ctx),
            modified=local_date(media.created_at),
            modified_gmt=gmt_date(media.created_at),
        )
    data.update(slug=media_slug(media))
    if not ctx.embed:
        data["status"] = "inherit"
    data.update(type="attachment", link=url, title=rendered(text_html(media.title), media.title, ctx))
    data["author"] = media.uploaded_by_id or 0
    if not ctx.embed:
        data.update(
            featured_media=0,
            comment_status="closed",
            ping_status="closed",
            template="",
            meta=[],
            class_list=[f"post-{media.pk}", "attachment", "type-attachment", "status-inherit", "hentry"],
            description=rendered("", "", ctx),
        )
    data.update(
        caption=rendered(caption_html, media.caption, ctx),
        alt_text=media.alt,
        media_type="image",
        mime_type=media.mime_type,
        media_details=media_details(media, request),
    )
    if not ctx.embed:
        data["post"] = None
    data["source_url"] = url
    if ctx.edit:
        data.update(permalink_template=None, generated_slug=data["slug"], missing_image_sizes=[])
    links = {
        "self": link(v2(request, f"media/{media.pk}")),
        "collection": link(v2(request, "media")),
        "about": link(v2(request, "types/attachment")),
    }
    embeddable = []
    if media.uploaded_by_id:
        links["author"] = link(v2(request, f"users/{media.uploaded_by_id}"), embeddable=True)
        embeddable.append(("author", "user", media.uploaded_by_id))
    data["_links"] = links
    data["_embeddable"] = embeddable
    return data


@resolver("media")
def _embed_media(request, keys) -> dict:
    ctx = Ctx(request, "embed")
    return {m.pk: serialize_media(m, ctx) for m in Media.objects.filter(pk__in=keys)}
