"""Write a WordPress export into the site: one transaction, or (from the worker) in batches.

`import_wxr` streams the records of `read_wxr` into the content and comment services. A
whole-file problem (`WXRError`, perhaps on the last line) rolls everything back, removes
any media files already stored and is raised again; a problem with one record skips that
record and is listed in the report.

With `batch_seconds` (the import task, byline/wxr/tasks.py) the import commits every so
often instead, so that on SQLite other writers (a reader's comment) get the database's one
write lock in between. The task reads the whole file first (`count_records`), so a broken
file is refused before anything is written; what a crash in the middle leaves, a re-run
completes (items are known by GUID and URL).

How imported content is kept: a post's body is WordPress's own text, unchanged, with
`body_format = "wordpress"`; `save_post` shows it through WordPress's display chain
(`formatting.render_wordpress_content`: wpautop, [caption], [gallery], blocks) and the post
sanitiser. So the post looks as it did, is rendered again when a photo it shows changes,
and is exported again exactly as it came in.

Which item is which: a post is known by its GUID (WordPress never changes one), an
attachment by its file's URL; importing the same file twice finds everything already there,
and a second blog's posts, whose GUIDs name that blog, are added next to the first's.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from byline.content.models import CommentStatus, Post, PostType, Status
from byline.content.services import add_correction, save_post
from byline.options.registry import OPTIONS
from byline.options.store import get_option, set_option
from byline.signals import site_changed

from .attachments import Attachments
from .discussion import Discussion
from .people import People
from .reader import Author, Item, Site, Term, WXRError, read_wxr
from .report import ImportReport
from .taxonomy import Taxonomy
from .values import moment, own_id, plain_text
from .wiring import Wiring, old_paths

# WordPress statuses Byline has; "inherit" (revisions), "auto-draft" and "trash" are not posts.
_STATUSES = {s.value for s in Status}
_NOT_POSTS = {
    "trash": "in WordPress's trash",
    "auto-draft": "an automatic draft WordPress made",
    "inherit": "a revision",
}
# What Byline has no place for; anything else unknown is named by its post type.
_POST_TYPES = {
    "nav_menu_item": "menu items (Byline has no menus)",
    "wp_navigation": "navigation blocks (Byline has no menus)",
    "wp_global_styles": "theme styles (Byline has its own theme)",
    "wp_template": "block templates (Byline has its own theme)",
    "wp_template_part": "block templates (Byline has its own theme)",
    "wp_block": "reusable blocks",
    "revision": "revisions",
    "custom_css": "theme styles (Byline has its own theme)",
}


class _DryRun(Exception):
    """Raised at the end of a dry run to roll the transaction back."""


def import_wxr(
    source: str | Path | BinaryIO,
    *,
    media_dir: str | Path | None = None,
    dry_run: bool = False,
    default_author=None,
    progress: Callable[[int], None] | None = None,
    name: str = "",
    batch_seconds: float | None = None,
    on_batch: Callable[[dict[str, int]], None] | None = None,
) -> ImportReport:
    """Import a WXR file (a path or a binary file) and report what happened.

    Raises `WXRError` for a whole-file problem, after undoing everything. `progress` is
    called now and then with the number of bytes read so far. With `batch_seconds`, work is
    committed about that often and `on_batch` is told the counts read so far (`counts`);
    a dry run is always one transaction.
    """
    started = time.monotonic()
    report = ImportReport(
        source=name or str(getattr(source, "name", source)),
        dry_run=dry_run,
        media_dir=str(media_dir) if media_dir else None,
    )
    if isinstance(source, str | Path):
        with open(source, "rb") as raw:
            return import_wxr(
                raw,
                media_dir=media_dir,
                dry_run=dry_run,
                default_author=default_author,
                progress=progress,
                name=report.source,
                batch_seconds=batch_seconds,
                on_batch=on_batch,
            )
    if batch_seconds is not None and not dry_run:
        _import_in_batches(source, report, media_dir, default_author, batch_seconds, on_batch)
        report.seconds = time.monotonic() - started
        site_changed.send(sender=Post, reason="WordPress import")
        return report
    loader = None
    try:
        with transaction.atomic():
            loader = _Loader(report, Path(media_dir) if media_dir else None, dry_run, default_author)
            for count, record in enumerate(read_wxr(source), 1):
                loader.take(record)
                if progress is not None and count % 25 == 0:
                    progress(source.tell())
            loader.finish()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except BaseException as failure:
        if loader is not None:
            loader.media.discard_files()
        if isinstance(failure, WXRError):
            report.error = str(failure)
        raise
    if progress is not None:
        progress(source.tell())
    report.seconds = time.monotonic() - started
    if not dry_run:
        site_changed.send(sender=Post, reason="WordPress import")
    return report


def _import_in_batches(source, report, media_dir, default_author, seconds: float, on_batch) -> None:
    """The import, committed about every `seconds`; another writer may go between two batches."""
    records = iter(read_wxr(source))
    loader = None
    try:
        loader = _Loader(report, Path(media_dir) if media_dir else None, False, default_author)
        finished = False
        while not finished:
            with transaction.atomic():
                until = time.monotonic() + seconds
                for record in records:
                    loader.take(record)
                    if time.monotonic() > until:
                        break
                else:
                    loader.finish()
                    finished = True
                loader.comments.flush()  # a batch ends with whole posts and their comments
            loader.media.stored_files.clear()  # committed: these files stay whatever happens next
            if on_batch is not None:
                on_batch(dict(loader.counts))
            _make_way_for_other_writers()
    except BaseException:
        if loader is not None:
            loader.media.discard_files()  # those of the batch that was rolled back
        raise


def _make_way_for_other_writers() -> None:
    """On SQLite, a pause longer than a waiting writer's longest sleep between two tries.

    SQLite's busy handler sleeps between tries (1, 2, 5 … then 100 ms each): an importer that
    began its next batch at once would take the lock again before a waiting comment woke up.
    PostgreSQL locks rows, not the database: no pause there.
    """
    if connection.vendor == "sqlite":
        time.sleep(0.12)


def count_records(source: str | Path) -> dict[str, int]:
    """Posts and pages, comments and photos in a WXR file: the import's totals.

    Reads the whole file as the import will, so a broken one raises `WXRError` (with its line)
    before anything is written.
    """
    counts = {"posts": 0, "comments": 0, "photos": 0}
    with open(source, "rb") as raw:
        for record in read_wxr(raw):
            if isinstance(record, Item):
                _count(counts, record)
    return counts


def _count(counts: dict[str, int], item: Item) -> None:
    if item.post_type == "attachment":
        counts["photos"] += 1
    else:
        counts["posts"] += 1
        counts["comments"] += len(item.comments)


class _Loader:
    """The state of one import: who and what is known so far, and what waits for the end."""

    def __init__(self, report: ImportReport, media_dir: Path | None, dry_run: bool, default_author):
        self.report = report
        self.site = Site()
        self.people = People(report, default_author)
        self.terms = Taxonomy(report)
        self.media = Attachments(report, media_dir, dry_run)
        self.comments = Discussion(report, self.people.by_wp_id)
        self.wiring = Wiring(report, self.media)
        # GUID -> post id of every post imported before, and of this file's.
        self.by_guid: dict[str, int] = dict(Post.objects.exclude(guid="").values_list("guid", "pk"))
        self.guids_seen: dict[str, int] = {}  # GUID -> line, in this file
        self.local_offset = None  # the old site's local time minus GMT, once an item shows it
        self.counts = {"posts": 0, "comments": 0, "photos": 0}  # items read so far (count_records's kinds)

    def take(self, record) -> None:
        if isinstance(record, Site):
            self.site = record
            self.report.site_title, self.report.wxr_version = record.title, record.wxr_version
        elif isinstance(record, Author):
            self.people.take(record)
        elif isinstance(record, Term):
            self.terms.take(record)
        elif isinstance(record, Item):
            self._item(record)

    def _item(self, item: Item) -> None:
        _count(self.counts, item)
        if item.post_date is not None and item.post_date_gmt is not None:
            self.local_offset = item.post_date - item.post_date_gmt.replace(tzinfo=None)
        what = f"{item.post_type} “{plain_text(item.title)[:60]}” (id {item.wp_id})"
        if item.post_type == "attachment":
            self.media.take(item, self._published(item))
            return
        reason = self._unwanted(item)
        if reason:
            self.report.skip(item.line, what, reason)
            if item.comments:
                count = f"{len(item.comments)} comments of {what}"
                self.report.skip(item.comments[0].line, count, "their post is skipped")
            return
        self._post(item, what)
        self.comments.flush_if_full()

    def _unwanted(self, item: Item) -> str | None:
        if item.problems:
            return "; ".join(item.problems)
        if item.post_type not in (PostType.POST, PostType.PAGE):
            return _POST_TYPES.get(item.post_type, f"items of post type {item.post_type!r}")
        if item.status in _NOT_POSTS:
            return _NOT_POSTS[item.status]
        return None

    def _published(self, item: Item) -> datetime:
        return moment(item.post_date_gmt, item.post_date, self.local_offset) or timezone.now()

    def _guid(self, item: Item) -> str:
        """What identifies the item: its GUID, made unique within the file if it repeats."""
        base = item.guid or f"{(self.site.base_blog_url or self.site.link).rstrip('/')}/?p={item.wp_id}"
        guid = base[:480]
        if guid in self.guids_seen:
            guid = f"{base[:400]}#{item.post_type}-{item.slug or item.line}"[:500]
            if guid in self.guids_seen:
                guid = f"{base[:400]}#line-{item.line}"
        self.guids_seen[guid] = item.line
        return guid

    def _post(self, item: Item, what: str) -> None:
        kind = "pages" if item.post_type == PostType.PAGE else "posts"
        guid = self._guid(item)
        existing = self.by_guid.get(guid)
        own = own_id(guid, "post")  # this site's own export: its post of that id, if still there
        if own is not None and existing is None:
            existing = self.by_guid.get(f"byline:post:{own}")
        if existing is not None:
            self.report.existing[kind] += 1
            post = Post.objects.get(pk=existing)
            self.wiring.known(item, post.pk)
            self.wiring.repair(item, post)
            self.comments.take(
                item, post, existing=True, local_offset=self.local_offset, fallback_date=post.published_at
            )
            return
        status = item.status if item.status in _STATUSES else Status.DRAFT
        if item.status and item.status not in _STATUSES:
            reason = f"status {item.status!r} is unknown to Byline; imported as a draft"
            self.report.note(item.line, what, reason)
        published = self._published(item)
        title = plain_text(item.title)[:500]
        if not title:
            title = "(no title)"
            self.report.note(item.line, what, "it has no title; shown as “(no title)”")
        post = Post(
            post_type=item.post_type,
            title=title,
            slug=item.slug[:200],
            excerpt=plain_text(item.excerpt),
            status=status,
            published_at=published,
            modified_at=moment(item.modified_gmt, item.modified, self.local_offset) or published,
            author_id=self.people.for_login(item.creator, item.line),
            sticky=item.is_sticky and item.post_type == PostType.POST,
            comment_status=_open_or_closed(item.comment_status, CommentStatus.OPEN),
            ping_status=_open_or_closed(item.ping_status, CommentStatus.CLOSED),
            password=item.password[:255],
            menu_order=item.menu_order,
            guid=guid,
            wp_id=item.wp_id,
            subtitle=plain_text(item.meta("_byline_subtitle") or "")[:500],
        )
        post.body, post.body_format = self.wiring.body(item)
        if item.post_type == PostType.PAGE and item.post_parent:
            post.parent_id = self.wiring.page_id(item.post_parent)
        categories, tags = self.terms.ids_for(item.categories, item.line)
        try:
            with transaction.atomic():  # a savepoint: one bad item costs only itself
                save_post(post, categories=categories, tags=tags, touch=False)
                for date, text, states in _corrections(item):
                    add_correction(post, text, date=date, **states)
        except (ValidationError, DatabaseError, ValueError) as problem:
            text = "; ".join(problem.messages) if isinstance(problem, ValidationError) else str(problem)
            self.report.skip(item.line, what, f"refused: {text}")
            return
        # Only now, with the post saved for good, may later items and the end of the file use it.
        self.by_guid[guid] = post.pk
        self.report.created[kind] += 1
        self.report.shortcodes(getattr(post, "unknown_shortcodes", []), item.line)
        self.wiring.created(item, post)
        for path in old_paths(item, post):
            self.wiring.old_address(path, post.pk)
        self.comments.take(
            item, post, existing=False, local_offset=self.local_offset, fallback_date=published
        )

    def finish(self) -> None:
        """What needed the whole file: parents, featured images, galleries, old addresses."""
        self.comments.flush()
        self.terms.finish()
        self.wiring.finish()
        self._site_identity()

    def _site_identity(self) -> None:
        """The export's title and tagline become the site's while it still has Byline's defaults
        (a fresh site taking its WordPress blog over); a site named by its owner keeps its name."""
        for option, value, label in (
            ("blogname", self.site.title, "title"),
            ("blogdescription", self.site.description, "tagline"),
        ):
            text = " ".join(plain_text(value).split())[:250]
            if text and get_option(option) == OPTIONS[option].default and text != OPTIONS[option].default:
                set_option(option, text)  # a dry run's transaction is rolled back with the rest
                self.report.site_options.append((label, text))


def _open_or_closed(value: str, default: str) -> str:
    value = value.strip().lower()
    return value if value in (CommentStatus.OPEN, CommentStatus.CLOSED) else default


def _corrections(item: Item) -> list[tuple[datetime, str, dict]]:
    """Dated corrections carried by a Byline export (`_byline_corrections`: JSON), edited or withdrawn."""
    try:
        found = json.loads(item.meta("_byline_corrections") or "[]")
    except ValueError:
        return []
    out = []
    for correction in found if isinstance(found, list) else []:
        if not isinstance(correction, dict) or not isinstance(correction.get("text"), str):
            continue
        try:
            date = parse_datetime(str(correction.get("date")))
        except ValueError:
            date = None
        if date is not None:
            states = {
                f"{key}_at": _aware(when)
                for key in ("edited", "withdrawn")
                if (when := _parsed(correction.get(key))) is not None
            }
            out.append((_aware(date), correction["text"], states))
    return out


def _parsed(value) -> datetime | None:
    try:
        return parse_datetime(str(value)) if value else None
    except ValueError:
        return None


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)
