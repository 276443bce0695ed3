"""Attachments of an export as media items, with their files when a copy of uploads is given.

An attachment is matched by its file's URL (`wp:attachment_url`), so importing a file again
finds the media it made the first time. Without `--media-dir` a media item keeps the URL
and photos still load from the old site; with it, the file is read from the copy of
`wp-content/uploads`, checked and thumbnailed by `create_media` like any upload, and the
post bodies that show it are pointed at the new address (WordPress's importer does the
same in `backfill_attachment_urls`).
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from byline.content.formatting import split_credit
from byline.content.models import Media
from byline.content.services import create_media, record_remote_media
from byline.text import safe_url

from .records import Item
from .report import ImportReport
from .values import own_id, plain_text

MAX_FILE_BYTES = 64 * 1024 * 1024  # larger files are left where they are (the URL is kept)

# WordPress's _wp_attachment_metadata is PHP-serialised; only the two sizes are wanted.
_WIDTH = re.compile(r's:5:"width";i:(\d+);')
_HEIGHT = re.compile(r's:6:"height";i:(\d+);')
# A resized copy's name: photo-300x200.jpg is photo.jpg at 300×200.
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
_URL_IN_HTML = re.compile(r"""https?://[^\s"'<>()\[\]]+""")


def url_key(url: str) -> str:
    """What identifies an uploaded file's URL in a body, whatever its scheme, size or query."""
    parts = urlsplit(url.strip())
    return parts.netloc.lower() + _SIZE_SUFFIX.sub("", unquote(parts.path))


class Attachments:
    """Media ids by the export's attachment ids, and the files the import has stored."""

    def __init__(self, report: ImportReport, media_dir: Path | None, dry_run: bool):
        self.report = report
        self.media_dir = media_dir.resolve() if media_dir else None
        self.dry_run = dry_run
        self.by_url: dict[str, int] = dict(
            Media.objects.exclude(original_url="").values_list("original_url", "pk")
        )
        self.by_wp_id: dict[int, int] = {}
        self.attached_to: dict[int, list[tuple[int, int]]] = {}  # WordPress parent id -> (order, id)
        self.stored_files: list[str] = []  # removed again if the import is rolled back
        self.new_urls: dict[str, str] = {}  # url_key(old URL) -> the imported file's URL

    def take(self, item: Item, created_at) -> None:
        """An item of post type attachment."""
        url = (item.attachment_url or item.guid).strip()
        what = f"attachment “{plain_text(item.title)[:60]}” (id {item.wp_id})"
        if item.problems:
            self.report.skip(item.line, what, "; ".join(item.problems))
            return
        if not url or len(url) > 500 or not safe_url(url):
            self.report.skip(item.line, what, "no usable wp:attachment_url")
            return
        if item.post_parent and item.wp_id is not None:
            self.attached_to.setdefault(item.post_parent, []).append((item.menu_order, item.wp_id))
        pk = self.by_url.get(url)
        own = own_id(item.guid, "media")  # this site's own export: its media of that id
        if pk is None and own is not None and Media.objects.filter(pk=own).exists():
            pk = own
        if pk is not None:
            self.report.existing["media"] += 1
            self._complete(item, url, pk, what)
        else:
            pk = self._create(item, url, created_at, what)
            self.by_url[url] = pk
            self.report.created["media"] += 1
        if item.wp_id is not None:
            self.by_wp_id.setdefault(item.wp_id, pk)

    def _create(self, item: Item, url: str, created_at, what: str) -> int:
        caption = plain_text(item.excerpt)
        credit = item.meta("_byline_credit")
        if credit is None:
            caption, credit = split_credit(caption)
        fields = {
            "title": plain_text(item.title)[:250],
            "alt": plain_text(item.meta("_wp_attachment_image_alt") or "")[:500],
            "caption": caption,
            "credit": (credit or "")[:250],
            "created_at": created_at,
        }
        path = self._file_for(item, url) if self.media_dir else None
        if self.media_dir and path is None:
            self.report.note(item.line, what, "its file is not in the media folder; the URL is kept")
        if path is not None and not self.dry_run:
            try:
                media = create_media(
                    path.read_bytes(), path.name, original_url=url, wp_id=item.wp_id, **fields
                )
            except ValidationError as refusal:
                self.report.note(item.line, what, f"{refusal.messages[0]} The URL is kept.")
            else:
                self.stored_files += [media.file.name, *(size["name"] for size in media.sizes)]
                self.new_urls[url_key(url)] = media.file.url
                self.report.media_files += 1
                return media.pk
        elif path is not None:
            self.report.media_files += 1
        meta = item.meta("_wp_attachment_metadata") or ""
        width, height = _WIDTH.search(meta), _HEIGHT.search(meta)
        media = record_remote_media(
            url,
            mime_type=mimetypes.guess_type(urlsplit(url).path)[0] or "",
            width=int(width.group(1)) if width else None,
            height=int(height.group(1)) if height else None,
            wp_id=item.wp_id,
            **fields,
        )
        return media.pk

    def _complete(self, item: Item, url: str, pk: int, what: str) -> None:
        """A photo an earlier import knew only by its address (its file was missing, or the
        media folder was full): store the file now that it can be, under the same id."""
        if self.media_dir is None or self.dry_run:
            return
        media = Media.objects.filter(pk=pk, file="").first()
        path = self._file_for(item, url) if media is not None else None
        if path is None:
            return
        try:
            create_media(path.read_bytes(), path.name, into=media)
        except ValidationError as refusal:
            self.report.note(item.line, what, f"{refusal.messages[0]} The URL is kept.")
            return
        self.stored_files += [media.file.name, *(size["name"] for size in media.sizes)]
        self.new_urls[url_key(url)] = media.file.url
        self.report.media_files += 1

    def _file_for(self, item: Item, url: str) -> Path | None:
        """The attachment's file in the copy of uploads, never a path outside it."""
        path = unquote(urlsplit(url).path)
        candidates = [item.meta("_wp_attached_file") or ""]
        candidates += [path.split(marker, 1)[1] for marker in ("/uploads/", "/media/") if marker in path]
        candidates += ["/".join(path.strip("/").split("/")[-3:]), path.rsplit("/", 1)[-1]]
        for candidate in filter(None, candidates):
            found = (self.media_dir / candidate.lstrip("/")).resolve()
            if self.media_dir in found.parents and found.is_file():
                if found.stat().st_size > MAX_FILE_BYTES:
                    return None
                return found
        return None

    def gallery_ids(self, wp_post_id: int | None) -> list[int]:
        """The export's ids of a post's attached images, in WordPress's gallery order."""
        return [wp_id for _, wp_id in sorted(self.attached_to.get(wp_post_id, []))]

    def rewrite_urls(self, html: str) -> str:
        """Point an imported body's links and images at the files this import copied."""
        if not self.new_urls or "://" not in html:
            return html
        return _URL_IN_HTML.sub(lambda m: self.new_urls.get(url_key(m.group(0)), m.group(0)), html)

    def discard_files(self) -> None:
        """Remove the files stored by an import that was rolled back."""
        for name in self.stored_files:
            default_storage.delete(name)
        self.stored_files.clear()
