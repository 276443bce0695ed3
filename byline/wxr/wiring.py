"""The links between an export's items: parent pages, featured images, galleries, old URLs.

Items name each other by WordPress id, and the one named may come later in the file (a
child page before its parent, a post before the photos uploaded into it). What can be
linked at once is; the rest waits for `finish`, when every item of the file is known.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from byline.content.models import OldPermalink, Post, PostType
from byline.content.permalinks import permalink_for
from byline.content.services import keep_old_addresses, link_featured_images, place_page, save_post

from .attachments import Attachments
from .records import Item
from .report import ImportReport

_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]")
_GALLERY_IDS = re.compile(r"""\b(?:ids|include)\s*=\s*(["']?)([\d,\s]*)\1""")
_MEDIA = re.compile(r"""\[media\s+(?:id\s*=\s*)?["']?(\d+)["']?\s*\]""")
_FLUSH_AT = 1000


def old_paths(item: Item, post: Post) -> list[str]:
    """The addresses the item had in WordPress (its <link>, `_wp_old_slug`s) where they differ
    from its new one: each becomes a 301 redirect. Paths are kept decoded, as requests bring them."""
    current = unquote(permalink_for(post))
    found = []
    link = urlsplit(item.link.strip())
    if link.path and link.path != "/" and not link.query:
        found.append(unquote(link.path).rstrip("/") + "/")  # APPEND_SLASH brings "/x.html" as "/x.html/"
    slug = post.slug
    for old_slug in item.postmeta.get("_wp_old_slug", []):
        if old_slug.strip():
            post.slug = unquote(old_slug.strip())
            found.append(unquote(permalink_for(post)))
    post.slug = slug
    found += [path for path in item.postmeta.get("_byline_old_permalink", []) if path.startswith("/")]
    return [path for path in dict.fromkeys(found) if path != current and len(path) <= 500]


class Wiring:
    """Pages by WordPress id, and the links that wait for the end of the file."""

    def __init__(self, report: ImportReport, media: Attachments):
        self.report = report
        self.media = media
        self.pages: dict[int, int] = {}  # WordPress id -> page id (the first page of that id wins)
        self.waiting_parents: list[tuple[int, int, int, str]] = []  # (page, WordPress parent, line, title)
        self.waiting_thumbnails: list[tuple[int, str, int, str]] = []  # (post, attachment id, line, title)
        self.waiting_galleries: list[tuple[int, int | None]] = []  # (post, its WordPress id)
        self.waiting_bodies: list[int] = []  # posts imported before, whose photo URLs may change
        self.old_addresses: list[tuple[str, int]] = []
        self.old_addresses_before = OldPermalink.objects.count()

    def known(self, item: Item, pk: int) -> None:
        """An item imported before: later items of the file may name it."""
        if item.wp_id is not None and item.post_type == PostType.PAGE:
            self.pages.setdefault(item.wp_id, pk)

    def page_id(self, wp_parent: int) -> int | None:
        return self.pages.get(wp_parent)

    def body(self, item: Item) -> tuple[str, str]:
        """The body to store and its format: WordPress's text, or a Byline export's own source."""
        source_format = (item.meta("_byline_body_format") or "").strip()
        source = item.meta("_byline_body")
        if source_format in ("html", "markdown") and source is not None:

            def media(m: re.Match) -> str:
                pk = self.media.by_wp_id.get(int(m.group(1)))
                if pk is None:
                    reason = f"photo {m.group(1)} is not in the file"
                    self.report.note(item.line, f"post {item.wp_id}", reason)
                    return ""
                return f"[media id={pk}]"

            return self.media.rewrite_urls(_MEDIA.sub(media, source)), source_format
        return self.media.rewrite_urls(item.content), "wordpress"

    def repair(self, item: Item, post: Post) -> None:
        """A post imported before: links an interrupted import never made are made now."""
        title = post.title[:60]
        if item.post_type == PostType.PAGE and item.post_parent and post.parent_id is None:
            self.waiting_parents.append((post.pk, item.post_parent, item.line, title))
        thumbnail = item.meta("_thumbnail_id")
        if thumbnail and thumbnail.strip().isdigit() and post.featured_image_id is None:
            self.waiting_thumbnails.append((post.pk, thumbnail.strip(), item.line, title))
        self.waiting_bodies.append(post.pk)

    def created(self, item: Item, post: Post) -> None:
        """A new post or page: note what it names that may come later."""
        self.known(item, post.pk)
        title = post.title[:60]
        if item.post_type == PostType.PAGE and item.post_parent and post.parent_id is None:
            self.waiting_parents.append((post.pk, item.post_parent, item.line, title))
        thumbnail = item.meta("_thumbnail_id")
        if thumbnail and thumbnail.strip().isdigit():
            self.waiting_thumbnails.append((post.pk, thumbnail.strip(), item.line, title))
        if post.body_format == "wordpress" and "[gallery" in post.body:
            self.waiting_galleries.append((post.pk, item.wp_id))

    def old_address(self, path: str, post_id: int) -> None:
        self.old_addresses.append((path, post_id))
        if len(self.old_addresses) >= _FLUSH_AT:
            self._flush_old_addresses()

    def _flush_old_addresses(self) -> None:
        keep_old_addresses(self.old_addresses)
        self.old_addresses = []

    def finish(self) -> None:
        self._parents()
        self._thumbnails()
        self._galleries()
        self._bodies()
        self._flush_old_addresses()
        self.report.created["old addresses"] += OldPermalink.objects.count() - self.old_addresses_before

    def _parents(self) -> None:
        for pk, wp_parent, line, title in self.waiting_parents:
            parent = self.pages.get(wp_parent)
            what = f"page “{title}”"
            if parent is None:
                reason = f"its parent page (id {wp_parent}) is not in the file; imported as a top-level page"
                self.report.note(line, what, reason)
            elif self._above(pk, parent):
                self.report.note(line, what, "its parent pages form a loop; imported as a top-level page")
            else:
                place_page(pk, parent)

    @staticmethod
    def _above(pk: int, node: int | None) -> bool:
        """Whether page `pk` is `node` or one of its ancestors."""
        seen = set()
        while node is not None and node not in seen:
            if node == pk:
                return True
            seen.add(node)
            node = Post.objects.filter(pk=node).values_list("parent_id", flat=True).first()
        return False

    def _thumbnails(self) -> None:
        links = []
        for pk, wp_id, line, title in self.waiting_thumbnails:
            media = self.media.by_wp_id.get(int(wp_id))
            if media is None:
                reason = f"its featured image (attachment {wp_id}) is not in the file"
                self.report.note(line, f"post “{title}”", reason)
            else:
                links.append((pk, media))
        link_featured_images(links)

    def _galleries(self) -> None:
        """[gallery ids] name the export's attachments; make them name Byline's media."""
        for pk, wp_id in self.waiting_galleries:
            post = Post.objects.get(pk=pk)

            def gallery(m: re.Match, wp_id=wp_id) -> str:
                attributes = m.group(1)
                given = _GALLERY_IDS.search(attributes)
                if given:
                    wanted = [int(n) for n in re.findall(r"\d+", given.group(2))]
                else:
                    wanted = self.media.gallery_ids(wp_id)  # WordPress: the post's attached images
                    if not wanted:
                        return m.group(0)
                ids = ",".join(str(self.media.by_wp_id[n]) for n in wanted if n in self.media.by_wp_id)
                if given:
                    attributes = f'{attributes[: given.start()]}ids="{ids}"{attributes[given.end() :]}'
                else:
                    attributes = f' ids="{ids}"{attributes}'
                return f"[gallery{attributes}]"

            post.body = _GALLERY.sub(gallery, post.body)
            save_post(post, touch=False)

    def _bodies(self) -> None:
        """Posts imported before whose photos this run stored at last (an earlier run met a
        full media folder): their bodies point at the stored files now."""
        if not self.media.new_urls:
            return
        for post in Post.objects.filter(pk__in=self.waiting_bodies).exclude(body=""):
            body = self.media.rewrite_urls(post.body)
            if body != post.body:
                post.body = body
                save_post(post, touch=False)
