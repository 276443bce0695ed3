"""The WXR reader: every shared test export, hostile XML, damaged files, and memory.

The reader is pure (no database), so these tests read files and look at records.
"""

from __future__ import annotations

import io
import socket
import time
import tracemalloc
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from byline.wxr.reader import Author, Comment, Item, Site, Term, WXRError, read_wxr
from byline.wxr.repairs import RepairingReader

TESTDATA = Path(__file__).resolve().parents[1] / "data" / "wxr"
ALL_FILES = sorted(path.relative_to(TESTDATA).as_posix() for path in TESTDATA.rglob("*.xml"))

# Files that must be refused, and the line the refusal names.
BROKEN = {
    # <rss> holds <notachanneltag> instead of <channel>.
    "wordpress-importer/malformed.xml": (27, "where a WordPress export has its <channel>"),
    # Cut off inside an item.
    "wordpress-importer/malformed-simple.xml": (14, "ends too early"),
    # The WordPress importer refuses both: "missing/invalid WXR version number".
    "wordpress-importer/missing-version-tag.xml": (27, "no <wp:wxr_version>"),
    "wordpress-importer/invalid-version-tag.xml": (33, "unknown WXR version 'abc'"),
    # "]]>" in text, from a CDATA section nested in another: not XML. Only WordPress's
    # regex fallback parser reads it; crazy-cdata-escaped.xml is the well-formed twin.
    "wordpress-importer/crazy-cdata.xml": (18, "CDATA section closes inside text"),
}
READABLE = [name for name in ALL_FILES if name not in BROKEN]


def read(name: str) -> list:
    return list(read_wxr(TESTDATA / name))


def items_of(records: list) -> list[Item]:
    return [record for record in records if isinstance(record, Item)]


def item(records: list, wp_id: int) -> Item:
    return next(record for record in items_of(records) if record.wp_id == wp_id)


def wxr(body: str, version: str = "1.2", namespace: str = "http://wordpress.org/export/1.2/") -> bytes:
    """A small export around `body` (channel children), as WordPress lays one out."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:wp="{namespace}" xmlns:excerpt="{namespace}excerpt/"\n'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "<channel>\n<title>A blog</title>\n"
        f"<wp:wxr_version>{version}</wp:wxr_version>\n"
        f"{body}\n</channel>\n</rss>\n"
    ).encode()


def read_bytes(data: bytes) -> list:
    return list(read_wxr(io.BytesIO(data)))


# --- every shared test file -----------------------------------------------------------


def test_the_shared_test_files_are_there():
    assert len(ALL_FILES) >= 50
    assert set(BROKEN) <= set(ALL_FILES)


@pytest.mark.parametrize("name", READABLE)
def test_each_well_formed_export_reads_to_the_end(name):
    records = read(name)

    site = records[0]
    assert isinstance(site, Site)
    assert site.wxr_version in ("1.0", "1.1", "1.2")
    assert not any(isinstance(record, Site) for record in records[1:])
    assert len(records) > 1, "an export with nothing in it"
    for record in records[1:]:
        assert isinstance(record, Author | Term | Item)
        assert record.line > site.line
    lines = [record.line for record in records[1:]]
    assert lines == sorted(lines), "records come in file order"
    for post in items_of(records):
        for date in (post.post_date, post.modified):
            assert date is None or date.tzinfo is None
        for date in (post.post_date_gmt, post.modified_gmt):
            assert date is None or date.tzinfo is UTC
        for comment in post.comments:
            assert isinstance(comment, Comment)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_export_is_refused_naming_the_line(name):
    line, words = BROKEN[name]
    with pytest.raises(WXRError) as refusal:
        read(name)
    assert refusal.value.line == line
    assert words in str(refusal.value)
    assert str(refusal.value).startswith(f"line {line}: ")


def test_theme_unit_test_data_reads_completely():
    records = read("theme-test-data/themeunittestdata.wordpress.xml")
    site = records[0]
    assert site == Site(
        title="Theme Unit Test Data",
        link="https://wpthemetestdata.wordpress.com",
        description="Just another WordPress website with a purposefully really long description",
        language="en",
        base_site_url="https://wordpress.com/",
        base_blog_url="https://wpthemetestdata.wordpress.com",
        wxr_version="1.2",
        line=22,
    )
    kinds = Counter(type(record).__name__ for record in records)
    assert kinds == {"Site": 1, "Author": 2, "Term": 185, "Item": 186}
    assert Counter(term.kind for term in records if isinstance(term, Term)) == {
        "category": 69,
        "tag": 110,
        "other": 6,
    }
    posts = items_of(records)
    assert Counter(post.post_type for post in posts) == {
        "post": 58,
        "page": 21,
        "attachment": 37,
        "nav_menu_item": 70,
    }
    assert Counter(post.status for post in posts) == {"publish": 147, "inherit": 37, "future": 1, "draft": 1}
    comments = [comment for post in posts for comment in post.comments]
    assert len(comments) == 33
    assert Counter(comment.type for comment in comments) == {
        "": 28,
        "comment": 1,
        "pingback": 2,
        "trackback": 2,
    }
    assert Counter(comment.approved for comment in comments) == {"1": 30, "0": 3}
    assert not any(record.problems for record in records[1:])


def test_theme_unit_test_data_keeps_threads_sticky_posts_and_hierarchies():
    records = read("theme-test-data/themeunittestdata.wordpress.xml")

    assert [(post.wp_id, post.slug) for post in items_of(records) if post.is_sticky] == [
        (1241, "template-sticky")
    ]

    thread = {comment.wp_id: comment.parent for comment in item(records, 1148).comments}
    assert thread[906] == 905 and thread[905] == 904 and thread[904] == 0
    assert all(parent == 0 or parent in thread for parent in thread.values())

    categories = {term.slug: term for term in records if isinstance(term, Term) and term.kind == "category"}
    assert categories["child-2"].parent_slug == "child-1"
    assert categories["child-1"].parent_slug == "parent"
    assert categories["grandchild-category"].parent_slug == "child-category-03"
    assert categories["parent"].parent_slug == ""
    menus = [term for term in records if isinstance(term, Term) and term.kind == "other"]
    assert {term.taxonomy for term in menus} == {"nav_menu"}

    level_3 = item(records, 172)
    assert (level_3.title, level_3.post_type, level_3.post_parent) == ("Level 3", "page", 173)
    assert item(records, 156).menu_order == 4

    protected = item(records, 1168)
    assert protected.password == "enter"

    # WordPress keeps non-ASCII slugs percent-encoded: %ce%b5%cf%80… is "επίπεδο".
    assert item(records, 1811).slug == "επίπεδο-2"
    assert item(records, 1811).post_date == datetime(2020, 2, 14, 13, 31, 47)
    assert item(records, 1811).post_date_gmt == datetime(2020, 2, 14, 10, 31, 47, tzinfo=UTC)

    assert item(records, 1011).meta("_thumbnail_id") == "1022"
    attachment = item(records, 611)
    assert attachment.post_type == "attachment"
    assert attachment.attachment_url == "https://wpthemetestdata.files.wordpress.com/2008/06/canola2.jpg"
    assert attachment.post_parent == 555


def test_the_https_namespace_copy_reads_the_same():
    """WordPress.com writes https://wordpress.org/export/1.2/; it is the same vocabulary."""
    assert 'xmlns:wp="https://wordpress.org/export/1.2/"' in (
        TESTDATA / "wordpress-importer/theme-unit-test-data.xml"
    ).read_text(encoding="utf-8")
    records = read("wordpress-importer/theme-unit-test-data.xml")
    posts = items_of(records)
    assert len(posts) == 186
    assert sum(len(post.comments) for post in posts) == 33
    assert [post.wp_id for post in posts if post.is_sticky] == [1241]


def test_attachment_alt_text_and_featured_image():
    records = read("ghost-migrate/sample-with-alt.xml")
    post, attachment = items_of(records)
    assert post.meta("_thumbnail_id") == "15"
    assert attachment.wp_id == 15
    assert attachment.post_type == "attachment"
    assert attachment.meta("_wp_attachment_image_alt") == "Sunset over mountains with orange and pink sky"
    assert attachment.attachment_url == "https://example.com/wp-content/uploads/2013/06/featured-image.jpg"
    assert attachment.post_parent == 10


def test_cdata_edge_cases_keep_the_text_exactly():
    post = items_of(read("wordpress-importer/crazy-cdata-escaped.xml"))[0]
    # WordPress writes "]]>" inside CDATA as "]]]]><![CDATA[>"; joined again, nothing shows.
    assert post.content == "Content with nested <![CDATA[ tags ]]> :)"
    assert post.postmeta == {
        "Plain string": ["Foo"],
        "Closing CDATA": ["]]>"],
        "Alot of CDATA": ["This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>"],
    }
    assert items_of(read("wordpress-importer/cdata-edge.xml"))[0].content == "ends with sequence ]] >"
    assert items_of(read("wordpress-importer/multiple-cdata.xml"))[0].content == (
        "\nline oneline twoline three\n"
    )
    assert items_of(read("wordpress-importer/blank-lines.xml"))[0].content == (
        "first paragraph\n\nsecond paragraph"
    )


def test_backslashes_and_slashes_are_kept_exactly():
    assert items_of(read("wordpress-importer/backslashes.xml"))[0].content == r"C:\xampp\htdocs\wp-content"

    records = read("wordpress-importer/slashes.xml")
    post = items_of(records)[0]
    assert post.content == r"Slashes aren\'t \"cool\""
    assert post.categories == [("category", "alpha", r"a \"great\" category")]
    assert post.comments[0].content == r"\o/ ¯\_(ツ)_/¯"
    names = {term.slug: term.name for term in records if isinstance(term, Term)}
    assert names == {"alpha": r"a \"great\" category", "tag1": r"foo\'bar"}


def test_utf8_challenges_come_through_intact():
    records = read("wordpress-importer/wxr-utf-8-challenges.xml")
    site, author, post = records
    assert site.title == "My WordPress Website 🚀 \u202e\u202dمرحبا"  # character references decoded
    assert author.first_name == "🅰️"
    # Inside CDATA a character reference is text; WordPress shows it as the character later.
    assert author.last_name == "&#x1F1FA;&#x1F1F8;𝕌𝕟𝕚𝕔𝕠𝕕𝕖"
    assert post.title == '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a🌲\u202c'
    assert post.slug == "hello-w\u202eorld\u202c-utf8-💫-test"
    assert (
        post.guid
        == "https://playground.internal/path/🚀/\u202etsop\u202c/?p=1&test=💫\u200c\u200b\u200d\u200e"
    )
    assert post.categories[0][1] == "uncat\u202eegorized\u202c"
    assert post.postmeta["_pingme\u200c\u200b\u200d\u200e"] == ["1\u200b\u200d\u200c\u200e"]
    assert post.meta("_special_chars") == "&#x202E;&#x202D;&#x200B;&#x200C;&#x200D;&#x2060;&#xFEFF;&#xFFFD;"
    assert "𝗭𝗲𝗿𝗼-𝗪𝗶𝗱𝘁𝗵: &#x200B;" in post.content
    assert post.modified == datetime(2024, 6, 10, 12, 28, 55)


def test_wxr_1_0_reads_categories_once_with_their_descriptions():
    records = read("wordpress-importer/valid-wxr-1.0.xml")
    assert records[0].wxr_version == "1.0"
    categories = {term.slug: term for term in records if isinstance(term, Term) and term.kind == "category"}
    assert categories["alpha"].description == "The alpha category"
    assert categories["child"].parent_slug == "parent"
    # WXR 1.0 writes each of an item's categories twice, once without nicename for RSS readers.
    assert item(records, 4).categories == [
        ("category", "alpha", "alpha"),
        ("tag", "news", "news"),
        ("tag", "roar", "roar"),
    ]


def test_wxr_1_1_and_other_taxonomies():
    records = read("wordpress-importer/valid-wxr-1.1.xml")
    assert records[0].wxr_version == "1.1"
    assert {(term.kind, term.taxonomy) for term in records if isinstance(term, Term)} == {
        ("category", "category"),
        ("tag", "post_tag"),
        ("other", "post_tax"),
    }


def test_authors_logins_and_ids_are_trimmed():
    authors = [
        record for record in read("wordpress-importer/authors-multiline.xml") if isinstance(record, Author)
    ]
    assert [(author.login, author.wp_id, author.email) for author in authors] == [
        ("alice", 1, "alice@example.com"),
        ("bob", 2, "bob@example.com"),
        ("carol", 3, "carol@example.com"),
    ]
    assert len([r for r in read("wordpress-importer/large-authors.xml") if isinstance(r, Author)]) == 300


def test_drafts_have_no_gmt_date_and_comment_states_are_kept():
    records = read("wordpress-importer/small-export.xml")
    draft = item(records, 9)
    assert draft.status == "draft"
    assert draft.post_date == datetime(2011, 1, 18, 7, 46, 29)
    assert draft.post_date_gmt is None  # "0000-00-00 00:00:00": not published yet
    assert draft.problems == []
    assert item(records, 13).status == "private"
    assert ("category", "eternity", "远征手记") in item(records, 22).categories

    pelican = items_of(read("pelican/wordpressexport.xml"))
    assert "trash" in {comment.approved for post in pelican for comment in post.comments}


def test_term_and_comment_meta():
    (term,) = [record for record in read("wordpress-importer/term-meta.xml") if isinstance(record, Term)]
    assert (term.kind, term.term_id, term.slug, term.name, term.meta) == (
        "category",
        100,
        "news",
        "News",
        {"legacy_id": ["42"]},
    )
    post = items_of(read("wordpress-importer/test-serialized-comment-meta.xml"))[0]
    assert post.comments[0].meta


def test_namespaces_are_matched_by_uri_not_prefix():
    records = read("wordpress-importer/namespace-edge-cases.xml")
    authors = [record.login for record in records if isinstance(record, Author)]
    assert authors == ["real_user", "version_conflict"]  # not the fake wp: or custom: ones
    mixed = item(records, 1)
    assert mixed.postmeta == {"normal_key": ["normal_value"]}  # not the "malicious" wp: one
    assert item(records, 2).content == "Testing default namespace"
    hijacked = next(post for post in items_of(records) if post.title == "Hijacked Namespace")
    assert hijacked.wp_id is None and hijacked.postmeta == {}
    assert hijacked.problems == ["an item with neither wp:post_id nor guid"]
    assert item(records, 6).content == "&lol1;" * 10  # text in CDATA, never an entity
    assert [term.term_id for term in records if isinstance(term, Term)] == [100, 102]


def test_a_hand_written_export_without_ids_still_reads():
    posts = items_of(read("theme-test-data/theme-preview.xml"))
    assert len(posts) == 7
    assert all(post.wp_id is None and post.guid and not post.problems for post in posts)
    assert posts[0].categories == [
        ("category", "", "Uncategorized"),
        ("category", "", "boat"),
        ("category", "", "lake"),
    ]


def test_a_bare_ampersand_in_a_url_is_read_as_an_ampersand():
    (attachment,) = items_of(read("ghost-migrate/multiple-attachments-only.xml"))
    assert attachment.attachment_url == (
        "https://images.unsplash.com/photo-1601276861758-2d9c5ca69a17"
        "?ixlib=rb-1.2.1&ixid=eyJhcHBfaWQiOjEyMDd9&auto=format&fit=crop&w=1268&q=80"
    )


def test_an_unusual_spelling_of_author_is_read():
    authors = [r for r in read("wordpress-importer/a11y-unit-test-data.xml") if isinstance(r, Author)]
    assert [(author.login, author.display_name) for author in authors] == [
        ("a11yteam", "Accessibility Tester")
    ]


# --- versions, namespaces and whole-file problems --------------------------------------


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_wxr_version_in_either_namespace_spelling(version, scheme):
    body = "<item><title>Hi</title><wp:post_id>7</wp:post_id><excerpt:encoded>Short</excerpt:encoded></item>"
    site, post = read_bytes(wxr(body, version, f"{scheme}://wordpress.org/export/{version}/"))
    assert site.wxr_version == version
    assert (post.wp_id, post.excerpt, post.post_type) == (7, "Short", "post")


@pytest.mark.parametrize("version", ["1.3", "9.9", "2.0", "", "1.2.1"])
def test_unknown_versions_are_refused(version):
    with pytest.raises(WXRError, match="unknown WXR version") as refusal:
        read_bytes(wxr("<item><wp:post_id>1</wp:post_id></item>", version))
    assert refusal.value.line == 6  # the <wp:wxr_version> line


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", 1, "not an XML file|ends too early"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", 1, "not well-formed XML"),
        (b"Dear WordPress,\nplease import this.\n", 1, "not an XML file"),
        (b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"/>', 2, "root element is <feed>"),
        (b"<rss version='2.0'>\n</rss>", 1, "no <channel>"),
        (b"<rss><channel></channel>\n<channel></channel></rss>", 1, "no <wp:wxr_version>"),
        (
            b"<rss><channel><title>An ordinary feed</title><item/></channel></rss>",
            1,
            "not a WordPress export",
        ),
        (wxr("<item></item>")[:-3], 9, "ends too early"),
        (wxr("<item>")[:-11], 8, "ends too early"),
        (wxr("<item><title>a < b</title></item>"), 7, "not well-formed"),
        (wxr("<item><title>a</titel></item>"), 7, "mismatch"),
    ],
)
def test_whole_file_problems_are_refused_with_a_line(data, line, words):
    with pytest.raises(WXRError, match=words) as refusal:
        read_bytes(data)
    assert refusal.value.line == line


def test_a_second_channel_is_refused():
    data = wxr("").replace(b"</channel>", b"</channel><channel/>")
    with pytest.raises(WXRError, match="second <channel>"):
        read_bytes(data)


def test_a_truncated_file_fails_after_the_records_before_the_cut():
    """Streaming: records before the cut arrive, then the error; the loader rolls back."""
    data = wxr("<item><wp:post_id>1</wp:post_id></item>\n<item><wp:post_id>2</wp:post_id>")[:-20]
    seen = []
    with pytest.raises(WXRError, match="ends too early"):
        seen.extend(read_wxr(io.BytesIO(data)))
    assert [type(record) for record in seen] == [Site, Item]


# --- item-level problems ---------------------------------------------------------------


def test_absurd_dates_and_missing_ids_are_noted_on_the_item_not_fatal():
    body = """
    <item><title>Zero year</title><wp:post_id>1</wp:post_id>
      <wp:post_date>0000-03-15 10:00:00</wp:post_date></item>
    <item><title>Nonsense</title><wp:post_id>2</wp:post_id>
      <wp:post_date>9999-99-99 99:99:99</wp:post_date></item>
    <item><title>February 30</title><wp:post_id>3</wp:post_id>
      <wp:post_date_gmt>2020-02-30 10:00:00</wp:post_date_gmt></item>
    <item><title>Words</title><wp:post_id>4</wp:post_id>
      <wp:post_modified>last tuesday</wp:post_modified></item>
    <item><title>Far future</title><wp:post_id>5</wp:post_id>
      <wp:post_date>9999-12-31 23:59:59</wp:post_date></item>
    <item><title>No id</title><wp:post_date>2020-01-01 00:00:00</wp:post_date></item>
    <item><title>Bad id</title><guid>x</guid><wp:post_id>seven</wp:post_id></item>
    <item><title>Bad parent</title><wp:post_id>8</wp:post_id><wp:post_parent>-</wp:post_parent></item>
    <item><title>Fine</title><wp:post_id>9</wp:post_id><wp:post_date>1850-05-01 12:00:00</wp:post_date>
      <wp:comment><wp:comment_id>1</wp:comment_id>
        <wp:comment_date>2020-13-01 00:00:00</wp:comment_date></wp:comment>
      <wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_parent>1</wp:comment_parent></wp:comment>
    </item>
    """
    posts = items_of(read_bytes(wxr(body)))
    problems = {post.title: post.problems for post in posts}
    assert problems == {
        "Zero year": ["wp:post_date '0000-03-15 10:00:00' is not a date"],
        "Nonsense": ["wp:post_date '9999-99-99 99:99:99' is not a date"],
        "February 30": ["wp:post_date_gmt '2020-02-30 10:00:00' is not a date"],
        "Words": ["wp:post_modified 'last tuesday' is not a date"],
        "Far future": ["wp:post_date '9999-12-31 23:59:59' has an implausible year"],
        "No id": ["an item with neither wp:post_id nor guid"],
        "Bad id": ["wp:post_id 'seven' is not a number"],
        "Bad parent": ["wp:post_parent '-' is not a number"],
        "Fine": [],
    }
    fine = posts[-1]
    assert fine.post_date == datetime(1850, 5, 1, 12, 0)
    assert [comment.problems for comment in fine.comments] == [
        ["wp:comment_date '2020-13-01 00:00:00' is not a date"],
        [],
    ]
    assert fine.comments[1].parent == 1


# --- hostile XML -----------------------------------------------------------------------

LAUGHS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">' for n in range(1, 10)
)


def hostile(doctype: str, title: str = "x", attribute: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{doctype}]>\n'
        f'<rss version="2.0" {attribute} xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        f"<title>{title}</title><wp:wxr_version>1.2</wp:wxr_version>"
        f"<item><title>{title}</title><wp:post_id>1</wp:post_id></item></channel></rss>"
    ).encode()


@pytest.fixture
def listener():
    """A local TCP port that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.setblocking(False)
    yield server.getsockname()[1], server
    server.close()


def nothing_connected(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except BlockingIOError:
        return True
    connection.close()
    return False


def assert_defused(data: bytes) -> None:
    """Refused or left unexpanded, fast, small, and nothing of /etc/passwd in sight."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        output = repr(read_bytes(data))
    except WXRError as refusal:
        output = str(refusal)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 2
    assert peak < 5_000_000
    assert "root:" not in output and "/bin/" not in output
    assert "lollollol" not in output


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(hostile(LAUGHS, title="&lol9;"), id="billion-laughs-in-text"),
        pytest.param(hostile(LAUGHS, attribute='a="&lol9;"'), id="billion-laughs-in-attribute"),
        pytest.param(hostile('<!ENTITY x SYSTEM "file:///etc/passwd">', title="&x;"), id="xxe-file"),
        pytest.param(hostile('<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;'), id="xxe-parameter-entity"),
        pytest.param(hostile('<!ENTITY x "harmless">', title="&x;"), id="internal-entity"),
        pytest.param(hostile(""), id="empty-doctype"),
    ],
)
def test_dtds_and_entities_are_refused(data):
    assert_defused(data)
    with pytest.raises(WXRError, match="DTD|entit|amplification") as refusal:
        read_bytes(data)
    assert refusal.value.line in (1, 2, 3)


def test_no_request_is_made_for_external_entities(listener):
    port, server = listener
    for data in (
        hostile(f'<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">', title="&x;"),
        hostile(f'<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;'),
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:{port}/rss.dtd"><rss/>'.encode(),
    ):
        assert_defused(data)
        with pytest.raises(WXRError, match="DTD"):
            read_bytes(data)
    assert nothing_connected(server)


def test_without_a_dtd_an_entity_reference_stays_text():
    """&lol9; with nothing declaring it is a stray ampersand: kept as the text written."""
    data = wxr("<item><title>&lol9; &amp; &#233;</title><wp:post_id>1</wp:post_id></item>")
    assert_defused(data)
    assert items_of(read_bytes(data))[0].title == "&lol9; & é"


def test_html_written_as_xml_elements_is_kept_as_markup():
    body = (
        "<item><wp:post_id>1</wp:post_id><content:encoded><p>Hi <b>there</b></p> bye</content:encoded></item>"
    )
    assert items_of(read_bytes(wxr(body)))[0].content == "<p>Hi <b>there</b></p> bye"


def test_a_file_object_is_read_and_left_open():
    data = wxr("<item><wp:post_id>1</wp:post_id></item>")
    stream = io.BytesIO(data)
    assert len(list(read_wxr(stream))) == 2
    assert not stream.closed
    with pytest.raises(TypeError, match="binary"):
        list(read_wxr(io.StringIO(data.decode())))


# --- stray ampersands ------------------------------------------------------------------


class Trickle(io.RawIOBase):
    """A stream that hands out one byte per read, to cut every token in two."""

    def __init__(self, data: bytes):
        self.data = data
        self.position = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.data[self.position : self.position + 1]
        self.position += len(chunk)
        return chunk


def escaped(data: bytes, trickle: bool = False) -> bytes:
    return RepairingReader(Trickle(data) if trickle else io.BytesIO(data)).read()


@pytest.mark.parametrize("trickle", [False, True])
def test_only_stray_ampersands_outside_cdata_are_escaped(trickle):
    source = (
        b'<?xml version="1.0"?><!-- a & b --><?pi a & b?><r a="x&y" b=\'&amp;&z\' c="&#38;">'
        b"&amp;&lt;&gt;&quot;&apos;&#233;&#xE9; & &nbsp; &#; &#x; a&&b"
        b"<![CDATA[ & &amp; ]]> <x/>&</r>"
    )
    assert escaped(source, trickle) == (
        b'<?xml version="1.0"?><!-- a & b --><?pi a & b?><r a="x&amp;y" b=\'&amp;&amp;z\' c="&#38;">'
        b"&amp;&lt;&gt;&quot;&apos;&#233;&#xE9; &amp; &amp;nbsp; &amp;#; &amp;#x; a&amp;&amp;b"
        b"<![CDATA[ & &amp; ]]> <x/>&amp;</r>"
    )


def test_control_characters_xml_forbids_are_dropped():
    body = "<item><wp:post_id>1</wp:post_id><title>Tab\there\x0bvertical\x08</title></item>"
    assert items_of(read_bytes(wxr(body)))[0].title == "Tab\therevertical"


@pytest.mark.parametrize("trickle", [False, True])
def test_a_doctype_or_another_encoding_is_passed_through_untouched(trickle):
    with_dtd = b'<!DOCTYPE r [<!ENTITY e "&#38;">]><r>& &e;</r>'
    assert escaped(with_dtd, trickle) == with_dtd
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><r>&\x0b</r>'.encode("utf-16")
    assert escaped(utf16, trickle) == utf16
    shift_jis = '<?xml version="1.0" encoding="Shift_JIS"?><r>&\x0b</r>'.encode("shift_jis")
    assert escaped(shift_jis, trickle) == shift_jis
    latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><r>é&</r>'.encode("latin-1")
    assert escaped(latin1, trickle) == latin1[:-5] + b"&amp;</r>"


text_without_controls = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(text_without_controls, min_size=1, max_size=5),
    attribute=text_without_controls,
    cdata=text_without_controls.filter(lambda text: "]]>" not in text),
)
def test_well_formed_xml_passes_through_unchanged(texts, attribute, cdata):
    """The escaping never changes a file that is XML already, however the bytes are cut."""
    root = etree.Element("r", a=attribute)
    for text in texts:
        child = etree.SubElement(root, "t")
        child.text = text
        child.tail = text
    data = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    data = data.replace(b"</r>", b"<c><![CDATA[" + cdata.encode() + b"]]></c></r>")
    assert escaped(data) == data
    assert escaped(data, trickle=True) == data


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="<>&;#x![]CDATA-?\"'= /amplt\x0b\u00e9", max_size=80))
def test_the_repairs_do_not_depend_on_where_the_file_is_cut(text):
    data = text.encode()
    assert escaped(data) == escaped(data, trickle=True)


# --- damaged input never escapes as another exception -----------------------------------

VALID = wxr(
    """<wp:author><wp:author_login>ann</wp:author_login><wp:author_id>1</wp:author_id></wp:author>
    <wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>news</wp:category_nicename>
      <wp:cat_name><![CDATA[News & views]]></wp:cat_name></wp:category>
    <item><title>Hello &amp; welcome</title><guid isPermaLink="false">http://example.org/?p=1</guid>
      <dc:creator>ann</dc:creator><content:encoded><![CDATA[<p>Hi & bye</p>]]></content:encoded>
      <wp:post_id>1</wp:post_id><wp:post_date>2020-01-02 03:04:05</wp:post_date>
      <wp:post_date_gmt>2020-01-02 02:04:05</wp:post_date_gmt><wp:post_name>hello%20world</wp:post_name>
      <wp:status>publish</wp:status><wp:is_sticky>1</wp:is_sticky>
      <category domain="category" nicename="news"><![CDATA[News & views]]></category>
      <wp:postmeta><wp:meta_key>_wp_old_slug</wp:meta_key><wp:meta_value>hi</wp:meta_value></wp:postmeta>
      <wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_approved>spam</wp:comment_approved>
        <wp:comment_content>Buy!</wp:comment_content></wp:comment>
    </item>"""
)


def test_the_fuzzing_seed_reads():
    site, author, category, post = read_bytes(VALID)
    assert (author.login, category.name, post.title, post.slug) == (
        "ann",
        "News & views",
        "Hello & welcome",
        "hello world",
    )
    assert post.is_sticky and post.postmeta == {"_wp_old_slug": ["hi"]}
    assert post.comments[0].approved == "spam"


def only_wxr_errors(data: bytes) -> None:
    try:
        for _record in read_wxr(io.BytesIO(data)):
            pass
    except WXRError as refusal:
        assert refusal.line is None or refusal.line >= 1
        assert str(refusal)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_give_only_wxr_errors(data):
    only_wxr_errors(data)


COMPREHENSIVE = (TESTDATA / "wordpress-importer/e2e/wxr-comprehensive.xml").read_bytes()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([VALID, COMPREHENSIVE]), st.floats(min_value=0, max_value=1))
def test_truncations_give_only_wxr_errors(export, fraction):
    cut = int(len(export) * fraction)
    if cut < len(export.rstrip()):
        with pytest.raises(WXRError):
            list(read_wxr(io.BytesIO(export[:cut])))
    else:
        only_wxr_errors(export[:cut])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.binary(min_size=0, max_size=4)), max_size=4))
def test_mangled_files_give_only_wxr_errors(edits):
    data = bytearray(VALID)
    for position, replacement in edits:
        data[position : position + 1] = replacement
    only_wxr_errors(bytes(data))


xml_shards = st.text(alphabet="<>&;#x![]CDATA-?\"'= /rsschannelitemwp:\n\u00e9", max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(VALID)), xml_shards)
def test_xml_like_debris_gives_only_wxr_errors(position, debris):
    only_wxr_errors(VALID[:position] + debris.encode() + VALID[position:])


# --- memory stays flat -----------------------------------------------------------------


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc for the process's size")
def test_a_big_export_is_read_in_flat_memory(tmp_path):
    """20,000 items (about 30 MB): neither Python's heap nor the process grows with the file."""
    path = tmp_path / "big.xml"
    paragraph = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20 + "</p>"
    with path.open("w", encoding="utf-8") as out:
        header, footer = wxr("@@").decode().split("@@")
        out.write(header)
        for n in range(1, 20_001):
            out.write(
                f"<item><title>Post {n}</title><guid>http://example.org/?p={n}</guid>"
                f"<content:encoded><![CDATA[{paragraph}]]></content:encoded>"
                f"<wp:post_id>{n}</wp:post_id><wp:post_date>2020-01-01 00:00:00</wp:post_date>"
                "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
                f"<wp:postmeta><wp:meta_key>views</wp:meta_key><wp:meta_value>{n}</wp:meta_value></wp:postmeta>"
                "<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>Nice</wp:comment_content>"
                "</wp:comment></item>\n"
            )
        out.write(footer)
    assert path.stat().st_size > 25_000_000

    before = resident_bytes()
    largest = before
    tracemalloc.start()
    count = 0
    for record in read_wxr(path):
        count += isinstance(record, Item)
        if count % 1000 == 0:
            largest = max(largest, resident_bytes())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert count == 20_000
    assert peak < 30_000_000
    assert largest - before < 30_000_000
