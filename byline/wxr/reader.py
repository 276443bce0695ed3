"""Read a WordPress export (WXR) file into plain records, streaming, touching no database.

WXR is RSS 2.0 with WordPress's own elements (namespace `http(s)://wordpress.org/export/1.x/`):
one `<rss><channel>` whose header (title, link, `wp:wxr_version`, `wp:base_site_url` …) is
followed by `wp:author`, `wp:category`, `wp:tag` and `wp:term` records and then one `<item>`
per post, page, attachment or menu item, each with its `wp:postmeta` and `wp:comment`s.

`read_wxr` yields `Site` first, then every record in file order. It parses with lxml's
`iterparse` and drops each record from the tree once read, so memory stays flat however
large the file. Entities are never expanded, nothing is fetched, and a file with a DTD is
refused, so billion-laughs and external-entity (XXE) files cost nothing.

Whole-file problems (not XML, truncated, not a WXR file, an unknown WXR version) raise
`WXRError` naming the line. Because reading streams, records before a late error have
already been yielded: the loader must write inside one transaction and roll back on it.
"""

from __future__ import annotations

import copy
import functools
import os
import re
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree

from byline.text import clean_text
from byline.wxr.records import Author, Comment, Item, Record, Site, Term, TermKind, WXRError
from byline.wxr.repairs import RepairingReader

__all__ = ["read_wxr", "WXRError", "Site", "Author", "Term", "Item", "Comment"]

# WordPress has written WXR 1.0 (WordPress 2.x–3.0), 1.1 (3.1) and 1.2 (3.4 onwards).
# Its importer takes any "\d+\.\d+"; Byline refuses versions whose format it has not seen.
SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")

# The wp: and excerpt: namespaces carry the version in their URI, and WordPress.com writes
# them with https; any 1.x is the same vocabulary.
_WP_NAMESPACE = re.compile(r"https?://wordpress\.org/export/1\.[0-9]+/\Z")
_EXCERPT_NAMESPACE = re.compile(r"https?://wordpress\.org/export/1\.[0-9]+/excerpt/\Z")
_OTHER_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content:",
    "http://purl.org/dc/elements/1.1/": "dc:",
}

_HEADER = {
    "title": "title",
    "link": "link",
    "description": "description",
    "language": "language",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
}
_AUTHOR_ELEMENTS = ("wp:author", "wp:wp_author")  # wp:wp_author: a11y-unit-test-data.xml's spelling
_TERM_ELEMENTS = ("wp:category", "wp:tag", "wp:term")
_RECORD_ELEMENTS = frozenset((*_AUTHOR_ELEMENTS, *_TERM_ELEMENTS, "item"))

# libxml2 reports a namespace URI that is not a valid URI (e.g. one with raw non-ASCII
# letters, as in the importer's namespace-edge-cases.xml) as an error although XML is
# well-formed and the document complete; such elements are foreign to WXR anyway.
_HARMLESS_ERRORS = frozenset(("WAR_NS_URI", "WAR_NS_URI_RELATIVE"))

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?\Z")
_ZERO_DATE = re.compile(r"0{4}-00-00[ T]00:00(:00)?\Z")
# MySQL DATETIME, where WordPress keeps dates, holds years 1000–9999; the last year is left
# out so that moving a date to any time zone stays representable.
_PLAUSIBLE_YEARS = range(1000, 9999)
_INTEGER = re.compile(r"[+-]?\d{1,20}\Z")  # WordPress ids are BIGINT UNSIGNED (20 digits)


def read_wxr(source: str | os.PathLike[str] | BinaryIO) -> Iterator[Record]:
    """Yield the `Site`, then each `Author`, `Term` and `Item` of a WXR file, in file order.

    `source` is a path or a file opened in binary mode (left open). Raises `WXRError` for
    problems with the whole file; a record's own problems are listed in its `problems`.
    """
    with ExitStack() as stack:
        if isinstance(source, str | os.PathLike):
            raw = stack.enter_context(open(source, "rb"))
        else:
            raw = source
        yield from _Reader(raw).records()


class _Reader:
    """One pass over one file: the parser's events, and where in the document they are."""

    def __init__(self, raw: BinaryIO):
        self.stream = RepairingReader(raw)
        self.events = etree.iterparse(
            self.stream,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        self.site = Site()
        self.site_given = False
        self.channel: etree._Element | None = None
        self.finished = False  # the closing </rss> has been read

    def records(self) -> Iterator[Record]:
        """Drive the parser; turn its syntax errors into `WXRError`."""
        try:
            yield from self._walk()
        except etree.XMLSyntaxError as error:
            problem = self._syntax_problem(error)
            if problem is not None:
                raise problem from None

    def _walk(self) -> Iterator[Record]:
        depth = 0  # 1: <rss>, 2: <channel>, 3: the channel's children
        for event, element in self.events:
            if event == "start":
                depth += 1
                if depth == 1:
                    self._check_root(element)
                elif depth == 2:
                    self._check_channel(element)
                elif depth == 3 and not self.site_given and _name(element.tag) in _RECORD_ELEMENTS:
                    yield self._finish_site(first_record_line=element.sourceline)
                continue
            if depth == 3:
                record = self._read_child(element)
                if record is not None:
                    yield record
                self._forget(element)
            elif depth == 2 and not self.site_given:
                yield self._finish_site(first_record_line=None)
            elif depth == 1:
                if self.channel is None:
                    raise WXRError(
                        "<rss> has no <channel>: this is not a WordPress export", element.sourceline
                    )
                self.finished = True
            depth -= 1

    def _check_root(self, root: etree._Element) -> None:
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
            # WordPress never writes a DTD, and its importer refuses files with one too:
            # entity declarations are how XML bombs and external-entity reads work.
            raise WXRError(
                "the file declares a DTD (<!DOCTYPE …>) before <rss>; WordPress exports never do, "
                "and Byline refuses DTDs because their entities can be used to attack the server",
                root.sourceline,
            )
        if root.tag != "rss":
            raise WXRError(
                f"the file's root element is <{_display(root.tag)}>, not <rss>: "
                "this is not a WordPress export",
                root.sourceline,
            )

    def _check_channel(self, element: etree._Element) -> None:
        if element.tag != "channel":
            raise WXRError(
                f"<rss> holds <{_display(element.tag)}> where a WordPress export has its <channel>",
                element.sourceline,
            )
        if self.channel is not None:
            raise WXRError("a second <channel> in <rss>; a WordPress export has one", element.sourceline)
        self.channel = element
        self.site.line = element.sourceline or 0

    def _read_child(self, element: etree._Element) -> Record | None:
        """Turn one child of <channel> into a record, or note it in the site header."""
        name = _name(element.tag)
        if name == "item":
            return _read_item(element)
        if name in _AUTHOR_ELEMENTS:
            return _read_author(element)
        if name in _TERM_ELEMENTS:
            return _read_term(element, name)
        if self.site_given:
            return None  # header elements after the first record (e.g. WXR 1.0's <generator>)
        if name == "wp:wxr_version" and not self.site.wxr_version:
            version = _text(element).strip()
            if version not in SUPPORTED_VERSIONS:
                raise WXRError(
                    f"unknown WXR version {version!r}; Byline reads WordPress exports of WXR "
                    f"{', '.join(SUPPORTED_VERSIONS)}",
                    element.sourceline,
                )
            self.site.wxr_version = version
        elif name in _HEADER and not getattr(self.site, _HEADER[name]):
            setattr(self.site, _HEADER[name], _text(element).strip())
        return None

    def _finish_site(self, first_record_line: int | None) -> Site:
        if not self.site.wxr_version:
            where = f" before its first record (line {first_record_line})" if first_record_line else ""
            raise WXRError(
                f"the <channel> has no <wp:wxr_version>{where}: this is not a WordPress export "
                "(WXR) file, or one too damaged to import",
                self.site.line,
            )
        self.site.base_blog_url = self.site.base_blog_url or self.site.base_site_url
        self.site_given = True
        return self.site

    def _forget(self, element: etree._Element) -> None:
        """Drop a finished child of <channel> and those before it, keeping memory flat."""
        element.clear(keep_tail=False)
        channel = self.channel
        if channel is not None:
            while element.getprevious() is not None:
                del channel[0]

    def _syntax_problem(self, error: etree.XMLSyntaxError) -> WXRError | None:
        """The WXRError for a parser error, or None when only harmless warnings remain."""
        serious = [
            entry
            for entry in self.events.error_log
            if entry.level >= etree.ErrorLevels.ERROR and entry.type_name not in _HARMLESS_ERRORS
        ]
        if not serious and self.finished:
            return None
        if serious:
            message, line = serious[0].message, serious[0].line
        else:
            message, line = error.msg or "unreadable XML", error.lineno
        line = line or 1
        last_line = self.stream.last_line
        return WXRError(_explain(message.strip(), at_end=last_line is not None and line >= last_line), line)


def _explain(message: str, at_end: bool) -> str:
    """libxml2's message, with what it most likely means for a WXR file."""
    lowered = message.lower()
    if "document is empty" in lowered or "start tag expected" in lowered:
        hint = "this is not an XML file"
    elif "']]>' not allowed" in lowered:
        hint = (
            "a CDATA section closes inside text, as when one CDATA section is nested in another; "
            "WordPress writes ']]>' inside CDATA as ']]]]><![CDATA[>'"
        )
    elif "entity" in lowered and ("not defined" in lowered or "amplification" in lowered):
        hint = "entities are not expanded in WXR files"
    elif "resource limit" in lowered:
        hint = "one value in it is over 10 MB, more than Byline reads from a single element"
    elif "premature end of data" in lowered or (at_end and "mismatch" not in lowered):
        # An error on the last line is, nearly always, the file stopping mid-element.
        hint = "the file ends too early; was the export or the upload cut short?"
    else:
        hint = ""
    text = f"not well-formed XML: {message}"
    return f"{text} ({hint})" if hint else text


@functools.lru_cache(maxsize=1024)
def _name(tag: object) -> str | None:
    """A WXR element's name with its usual prefix ("wp:post_id"), or None for foreign ones.

    Elements are matched by namespace URI, never by the prefix the file chose, so a `wp:`
    bound to another namespace is not WordPress's, and a `wp2:` bound to WordPress's is.
    """
    if not isinstance(tag, str):
        return None  # comments, processing instructions
    if not tag.startswith("{"):
        return tag
    namespace, _, local = tag[1:].partition("}")
    if _WP_NAMESPACE.match(namespace):
        return "wp:" + local
    if _EXCERPT_NAMESPACE.match(namespace):
        return "excerpt:" + local
    prefix = _OTHER_NAMESPACES.get(namespace)
    return prefix + local if prefix else None


def _display(tag: object) -> str:
    """An element's name for a message: its local name, without the namespace URI."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else "?"


def _text(element: etree._Element) -> str:
    """What an element holds: its text with CDATA sections joined, and markup as markup.

    WordPress wraps HTML in CDATA, so it arrives as text; an exporter that wrote the HTML
    as XML elements instead gets it back serialised, not flattened to its words.
    """
    # XML 1.0 already keeps out C0 controls and lone surrogates; clean_text also drops the
    # C1 controls and non-characters (U+FDD0) it allows, which a feed or the API must not carry.
    if len(element) == 0:
        return clean_text(element.text or "")
    parts = [element.text or ""]
    for child in element:
        alone = copy.copy(child)
        etree.cleanup_namespaces(alone)  # without the export's xmlns:wp="…" on every tag
        parts.append(etree.tostring(alone, encoding="unicode", with_tail=True))
    return clean_text("".join(parts))


def _fields(element: etree._Element) -> dict[str, etree._Element]:
    """The first child of each WXR name (the WordPress importer also reads the first)."""
    found: dict[str, etree._Element] = {}
    for child in element:
        name = _name(child.tag)
        if name is not None and name not in found:
            found[name] = child
    return found


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    return (child for child in element if _name(child.tag) == name)


def _get(fields: dict[str, etree._Element], name: str, strip: bool = True) -> str:
    child = fields.get(name)
    if child is None:
        return ""
    text = _text(child)
    return text.strip() if strip else text


def _integer(text: str, what: str, problems: list[str] | None) -> int | None:
    """The integer in `text`; None if empty, or if unreadable (noted in `problems` if given)."""
    text = text.strip()
    if not text:
        return None
    if _INTEGER.match(text):
        return int(text)
    if problems is not None:
        problems.append(f"{what} {text[:40]!r} is not a number")
    return None


def _date(text: str, what: str, problems: list[str], gmt: bool) -> datetime | None:
    """A WordPress date ("2010-10-20 14:08:20"); None if absent or all zeros.

    WordPress writes "0000-00-00 00:00:00" for "not set", e.g. the GMT date of a draft.
    """
    text = text.strip()
    if not text or _ZERO_DATE.match(text):
        return None
    match = _DATE.match(text)
    try:
        if match is None:
            raise ValueError
        year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
        value = datetime(year, month, day, hour, minute, second)
    except ValueError:
        problems.append(f"{what} {text[:40]!r} is not a date")
        return None
    if year not in _PLAUSIBLE_YEARS:
        problems.append(f"{what} {text!r} has an implausible year")
        return None
    return value.replace(tzinfo=UTC) if gmt else value


def _slug(text: str) -> str:
    """A slug as WordPress means it: it stores non-ASCII slugs percent-encoded (%e6%97%a5)."""
    return unquote(text.strip())


def _meta(element: etree._Element, name: str) -> dict[str, list[str]]:
    """wp:postmeta / wp:termmeta / wp:commentmeta pairs; values exactly as written."""
    meta: dict[str, list[str]] = {}
    for entry in _children(element, name):
        fields = _fields(entry)
        key = _get(fields, "wp:meta_key")
        if key:
            meta.setdefault(key, []).append(_get(fields, "wp:meta_value", strip=False))
    return meta


def _read_author(element: etree._Element) -> Author:
    fields = _fields(element)
    author = Author(
        login=_get(fields, "wp:author_login"),
        email=_get(fields, "wp:author_email"),
        display_name=_get(fields, "wp:author_display_name"),
        first_name=_get(fields, "wp:author_first_name"),
        last_name=_get(fields, "wp:author_last_name"),
        line=element.sourceline or 0,
    )
    author.wp_id = _integer(_get(fields, "wp:author_id"), "wp:author_id", author.problems)
    if not author.login:
        author.problems.append("an author without a wp:author_login")
    return author


# Which child elements hold what, per WXR term element; wp:term names its taxonomy.
_TERM_SHAPES = {
    "wp:category": ("wp:category_nicename", "wp:cat_name", "wp:category_parent", "wp:category_description"),
    "wp:tag": ("wp:tag_slug", "wp:tag_name", None, "wp:tag_description"),
    "wp:term": ("wp:term_slug", "wp:term_name", "wp:term_parent", "wp:term_description"),
}
_TERM_KINDS: dict[str, TermKind] = {"category": "category", "post_tag": "tag"}


def _read_term(element: etree._Element, name: str) -> Term:
    fields = _fields(element)
    slug_name, name_name, parent_name, description_name = _TERM_SHAPES[name]
    if name == "wp:category":
        taxonomy = "category"
    elif name == "wp:tag":
        taxonomy = "post_tag"
    else:
        taxonomy = _get(fields, "wp:term_taxonomy")
    term = Term(
        kind=_TERM_KINDS.get(taxonomy, "other"),
        taxonomy=taxonomy,
        slug=_slug(_get(fields, slug_name)),
        name=_get(fields, name_name),
        parent_slug=_slug(_get(fields, parent_name)) if parent_name else "",
        description=_get(fields, description_name, strip=False),
        meta=_meta(element, "wp:termmeta"),
        line=element.sourceline or 0,
    )
    term.term_id = _integer(_get(fields, "wp:term_id"), "wp:term_id", term.problems)
    if not term.slug and not term.name:
        term.problems.append(f"a {name} with neither slug nor name")
    if not taxonomy:
        term.problems.append("a wp:term without wp:term_taxonomy")
    return term


def _read_item(element: etree._Element) -> Item:
    fields = _fields(element)
    problems: list[str] = []
    item = Item(
        # wp_insert_post's default when an export leaves the type out.
        post_type=_get(fields, "wp:post_type") or "post",
        title=_get(fields, "title", strip=False),
        link=_get(fields, "link"),
        guid=_get(fields, "guid"),
        creator=_get(fields, "dc:creator"),
        content=_get(fields, "content:encoded", strip=False),
        excerpt=_get(fields, "excerpt:encoded", strip=False),
        post_date=_date(_get(fields, "wp:post_date"), "wp:post_date", problems, gmt=False),
        post_date_gmt=_date(_get(fields, "wp:post_date_gmt"), "wp:post_date_gmt", problems, gmt=True),
        modified=_date(_get(fields, "wp:post_modified"), "wp:post_modified", problems, gmt=False),
        modified_gmt=_date(_get(fields, "wp:post_modified_gmt"), "wp:post_modified_gmt", problems, gmt=True),
        comment_status=_get(fields, "wp:comment_status"),
        ping_status=_get(fields, "wp:ping_status"),
        slug=_slug(_get(fields, "wp:post_name")),
        status=_get(fields, "wp:status"),
        password=_get(fields, "wp:post_password", strip=False),
        is_sticky=bool(_integer(_get(fields, "wp:is_sticky"), "wp:is_sticky", None)),
        categories=_item_terms(element),
        postmeta=_meta(element, "wp:postmeta"),
        attachment_url=_get(fields, "wp:attachment_url"),
        comments=[_read_comment(child) for child in _children(element, "wp:comment")],
        line=element.sourceline or 0,
        problems=problems,
    )
    item.wp_id = _integer(_get(fields, "wp:post_id"), "wp:post_id", problems)
    if item.wp_id is None and not item.guid:
        # The WordPress importer gives an item without an id a new one; hand-written
        # exports (theme-preview.xml) do that. With no guid either, nothing identifies
        # the item, so importing the file twice would duplicate it.
        problems.append("an item with neither wp:post_id nor guid")
    item.post_parent = _integer(_get(fields, "wp:post_parent"), "wp:post_parent", problems) or 0
    item.menu_order = _integer(_get(fields, "wp:menu_order"), "wp:menu_order", problems) or 0
    return item


def _item_terms(element: etree._Element) -> list[tuple[str, str, str]]:
    """An item's <category domain="…" nicename="…"> links to its categories, tags and terms.

    WXR 1.0 also writes each one without nicename, for RSS readers; the WordPress importer
    reads only those with a nicename, and so does Byline, unless an item has none with a
    nicename (hand-written exports): then the plain ones count, with "" for the nicename.
    """
    with_nicename, plain = [], []
    for child in _children(element, "category"):
        nicename = child.get("nicename")
        domain = child.get("domain") or "category"
        if nicename is not None:
            with_nicename.append((domain, _slug(nicename), _text(child).strip()))
        else:
            plain.append((domain, "", _text(child).strip()))
    return with_nicename or [term for term in plain if term[2]]


def _read_comment(element: etree._Element) -> Comment:
    fields = _fields(element)
    problems: list[str] = []
    comment = Comment(
        author=_get(fields, "wp:comment_author"),
        author_email=_get(fields, "wp:comment_author_email"),
        author_url=_get(fields, "wp:comment_author_url"),
        author_ip=_get(fields, "wp:comment_author_IP"),
        date=_date(_get(fields, "wp:comment_date"), "wp:comment_date", problems, gmt=False),
        date_gmt=_date(_get(fields, "wp:comment_date_gmt"), "wp:comment_date_gmt", problems, gmt=True),
        content=_get(fields, "wp:comment_content", strip=False),
        approved=_get(fields, "wp:comment_approved"),
        type=_get(fields, "wp:comment_type"),
        user_id=_integer(_get(fields, "wp:comment_user_id"), "wp:comment_user_id", None) or 0,
        meta=_meta(element, "wp:commentmeta"),
        line=element.sourceline or 0,
        problems=problems,
    )
    comment_id = _get(fields, "wp:comment_id")
    comment.wp_id = _integer(comment_id, "wp:comment_id", problems)
    if not comment_id:
        problems.append("a comment without wp:comment_id")
    comment.parent = _integer(_get(fields, "wp:comment_parent"), "wp:comment_parent", problems) or 0
    return comment
