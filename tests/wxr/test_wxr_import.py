"""Importing WordPress exports: every shared test file, then what a migrating blogger checks.

Each well-formed file in tests/data/wxr is imported into an empty site, and every
public post and page in it is then read over HTTP at its permalink, found in the sitemap,
with its approved comments; each broken file is refused naming its line, and writes nothing.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from markupsafe import escape

from byline.comments.models import Comment
from byline.content.models import Category, Media, OldPermalink, Post, Tag
from byline.content.permalinks import permalink_for
from byline.wxr.loader import import_wxr
from byline.wxr.reader import Item, WXRError, read_wxr
from tests.sitemaps import sitemap_text

TESTDATA = Path(__file__).resolve().parents[1] / "data" / "wxr"
ALL_FILES = sorted(path.relative_to(TESTDATA).as_posix() for path in TESTDATA.rglob("*.xml"))
BROKEN = {
    "wordpress-importer/malformed.xml": (27, "where a WordPress export has its <channel>"),
    "wordpress-importer/malformed-simple.xml": (14, "ends too early"),
    "wordpress-importer/missing-version-tag.xml": (27, "no <wp:wxr_version>"),
    "wordpress-importer/invalid-version-tag.xml": (33, "unknown WXR version 'abc'"),
    "wordpress-importer/crazy-cdata.xml": (18, "CDATA section closes inside text"),
}
WELL_FORMED = [name for name in ALL_FILES if name not in BROKEN]
User = get_user_model()

pytestmark = pytest.mark.django_db


def wxr(body: str, *, site: str = "https://old.example.org", version: str = "1.2") -> bytes:
    """A small export around `body` (the channel's records), laid out as WordPress does."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:wp="http://wordpress.org/export/{version}/"'
        f' xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n<title>Old blog</title>\n'
        f"<link>{site}</link>\n<wp:wxr_version>{version}</wp:wxr_version>\n"
        f"<wp:base_site_url>{site}</wp:base_site_url>\n<wp:base_blog_url>{site}</wp:base_blog_url>\n"
        f"{body}\n</channel>\n</rss>\n"
    ).encode()


def post_item(
    wp_id: int,
    title: str = "Hello world",
    *,
    slug: str | None = None,
    site: str = "https://old.example.org",
    content: str = "Hello.",
    status: str = "publish",
    post_type: str = "post",
    date: str = "2020-01-02 03:04:05",
    gmt: str | None = "2020-01-02 02:04:05",
    extra: str = "",
) -> str:
    slug = slug if slug is not None else title.lower().replace(" ", "-")
    return (
        f"<item><title><![CDATA[{title}]]></title><link>{site}/2020/01/{slug}/</link>"
        f'<guid isPermaLink="false">{site}/?p={wp_id}</guid><dc:creator>ann</dc:creator>'
        f"<content:encoded><![CDATA[{content}]]></content:encoded><wp:post_id>{wp_id}</wp:post_id>"
        f"<wp:post_date>{date}</wp:post_date>"
        f"<wp:post_date_gmt>{gmt or '0000-00-00 00:00:00'}</wp:post_date_gmt>"
        f"<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>"
        f"<wp:post_type>{post_type}</wp:post_type>{extra}</item>"
    )


def load(data: bytes | str, **options):
    source = io.BytesIO(data) if isinstance(data, bytes) else TESTDATA / data
    return import_wxr(source, name="test.xml", **options)


def snapshot() -> dict:
    """Every row an import writes, to tell whether anything changed."""
    return {
        "posts": sorted(Post.objects.values_list()),
        "comments": sorted(Comment.objects.values_list()),
        "media": sorted(Media.objects.values_list()),
        "categories": sorted(Category.objects.values_list()),
        "tags": sorted(Tag.objects.values_list()),
        "users": sorted(User.objects.values_list("pk", "username")),
        "old": sorted(OldPermalink.objects.values_list()),
    }


def public_items(name: str) -> list[Item]:
    now = timezone.now()
    return [
        record
        for record in read_wxr(TESTDATA / name)
        if isinstance(record, Item)
        and record.post_type in ("post", "page")
        and not record.problems
        and (
            record.status == "publish"
            or record.status == "future"
            and record.post_date_gmt is not None
            and record.post_date_gmt <= now
        )
    ]


# --- every shared test file -------------------------------------------------------------


@pytest.mark.parametrize("name", WELL_FORMED)
def test_each_well_formed_export_is_served_post_by_post(name, client):
    report = load(name)
    assert report.ok

    public = Post.objects.public().select_related("author", "parent")
    assert public.count() == len(public_items(name)), report.lines()
    sitemap = sitemap_text(client)
    for post in public:
        path = permalink_for(post)
        page = client.get(path)
        assert page.status_code == 200, path
        html = page.content.decode()
        assert str(escape(post.title)) in html, path
        assert f"<loc>http://testserver{path}</loc>" in sitemap, path
        if post.password:
            assert 'name="post_password"' in html
            continue
        for comment in post.comments.filter(status="approved"):
            assert f'id="comment-{comment.pk}"' in html, (path, comment.pk)
        for comment in post.comments.exclude(status="approved"):
            assert f'id="comment-{comment.pk}"' not in html


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_export_is_refused_naming_the_line_and_writes_nothing(name):
    line, words = BROKEN[name]
    before = snapshot()
    with pytest.raises(WXRError) as refusal:
        load(name)
    assert refusal.value.line == line and words in str(refusal.value)
    assert snapshot() == before


def test_the_theme_unit_test_data_arrives_whole(client):
    report = load("theme-test-data/themeunittestdata.wordpress.xml")

    assert report.created["posts"] == 58 and report.created["pages"] == 21
    assert report.created["media"] == 37 and report.created["comments"] == 33
    assert report.created["authors"] == 2
    assert {"nav_menu_item", "menu items (Byline has no menus)"} & {p.reason for p in report.skipped}
    assert report.unknown_shortcodes == {"audio": 1}
    text = "\n".join(report.lines())
    assert "Media URLs kept, files not imported" in text
    assert "[audio] in 1 post, first at line" in text

    reviewer = User.objects.get(username="themereviewteam")
    assert reviewer.profile.display_name == "Theme Reviewer" and not reviewer.has_usable_password()

    sticky = Post.objects.get(wp_id=1241)
    assert sticky.sticky and sticky.slug == "template-sticky"
    protected = Post.objects.get(wp_id=1168)
    assert protected.password == "enter"
    greek = Post.objects.get(wp_id=1811)
    assert greek.slug == "επίπεδο-2"
    assert greek.published_at == datetime(2020, 2, 14, 10, 31, 47, tzinfo=UTC)

    level_3 = Post.objects.get(wp_id=172)
    assert level_3.parent.wp_id == 173 and level_3.parent.parent is not None
    assert client.get(permalink_for(level_3)).status_code == 200
    assert Post.objects.get(wp_id=156).menu_order == 4

    assert Category.objects.get(slug="child-2").parent.slug == "child-1"
    assert Category.objects.get(slug="grandchild-category").parent.slug == "child-category-03"

    thread = {c.wp_id: c for c in Comment.objects.filter(post__wp_id=1148)}
    assert thread[906].parent == thread[905] and thread[905].parent == thread[904]
    assert thread[904].parent is None
    assert Comment.objects.filter(status="pending").count() == 3
    assert set(Comment.objects.values_list("comment_type", flat=True)) == {"comment", "pingback", "trackback"}

    featured = Post.objects.get(wp_id=1011).featured_image
    assert featured is not None and featured.wp_id == 1022
    canola = Media.objects.get(wp_id=611)
    assert canola.original_url == "https://wpthemetestdata.files.wordpress.com/2008/06/canola2.jpg"
    assert canola.url == canola.original_url


def test_importing_the_same_file_again_changes_nothing():
    first = load("theme-test-data/themeunittestdata.wordpress.xml")
    before = snapshot()
    again = load("theme-test-data/themeunittestdata.wordpress.xml")
    assert snapshot() == before
    assert sum(again.created.values()) == 0
    assert again.existing["posts"] == first.created["posts"]
    assert again.existing["comments"] == first.created["comments"]
    assert again.existing["media"] == first.created["media"]


def test_the_https_copy_of_the_same_site_adds_nothing():
    """WordPress.com's export of the same blog (https namespace, same GUIDs) is the same blog."""
    load("theme-test-data/themeunittestdata.wordpress.xml")
    before = Post.objects.count()
    report = load("wordpress-importer/theme-unit-test-data.xml")
    assert report.created["posts"] == 0 and Post.objects.count() == before


# --- two blogs in one site --------------------------------------------------------------


def test_a_second_blog_keeps_both_and_its_colliding_slugs_get_a_number(client):
    load(wxr(post_item(1, "Hello world", site="https://one.example.org"), site="https://one.example.org"))
    report = load(
        wxr(post_item(1, "Hello world", site="https://two.example.org"), site="https://two.example.org")
    )
    assert report.created["posts"] == 1
    first, second = Post.objects.order_by("pk")
    assert (first.slug, second.slug) == ("hello-world", "hello-world-2")
    assert first.guid != second.guid
    assert client.get(permalink_for(first)).status_code == 200
    assert client.get(permalink_for(second)).status_code == 200


# --- old addresses --------------------------------------------------------------------


def test_old_wordpress_addresses_answer_301(client):
    item = post_item(
        42,
        "Moved",
        slug="moved",
        extra="<wp:postmeta><wp:meta_key>_wp_old_slug</wp:meta_key><wp:meta_value>first-name</wp:meta_value>"
        "</wp:postmeta>",
    )
    item = item.replace(
        "https://old.example.org/2020/01/moved/", "https://old.example.org/archives/moved.html"
    )
    report = load(wxr(item))
    post = Post.objects.get(wp_id=42)
    new = permalink_for(post)
    assert report.created["old addresses"] == 2

    for old in ("/archives/moved.html/", "/2020/01/first-name/", "/?p=42"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new
    assert client.get("/archives/moved.html", follow=True).redirect_chain[-1] == (new, 301)


def test_query_links_of_a_post_win_over_byline_ids(client):
    load(wxr(post_item(1, "Imported one") + post_item(9, "Imported nine")))
    nine = Post.objects.get(wp_id=9)
    assert nine.pk != 9
    assert client.get("/?p=9")["Location"] == permalink_for(nine)
    assert client.get(f"/?p={Post.objects.get(wp_id=1).pk}").status_code == 301


# --- content as WordPress showed it -------------------------------------------------------

CLASSIC = (
    "First paragraph\nsecond line.\n\n"
    '[caption id="attachment_7" align="aligncenter" width="300"]<img src="https://old.example.org/wp-content/'
    'uploads/2020/01/bell.jpg" alt="Bell" width="300" height="200" /> The bell on the wharf (Jane Doe/AP)'
    "[/caption]\n\n"
    '[contact-form id="3"]\n\n<script>alert(1)</script>[gallery ids="7,8"]'
)
BLOCKS = "<!-- wp:paragraph -->\n<p>Block text.</p>\n<!-- /wp:paragraph -->"


def attachment_item(wp_id: int, name: str, *, parent: int = 0, caption: str = "", alt: str = "") -> str:
    url = f"https://old.example.org/wp-content/uploads/2020/01/{name}"
    return (
        f"<item><title>{name}</title><guid>{url}</guid><wp:post_id>{wp_id}</wp:post_id>"
        f"<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>"
        "<wp:post_date>2020-01-01 10:00:00</wp:post_date>"
        "<wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt><wp:status>inherit</wp:status>"
        f"<wp:post_parent>{parent}</wp:post_parent><wp:post_type>attachment</wp:post_type>"
        f"<wp:attachment_url>{url}</wp:attachment_url>"
        "<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
        f"<wp:meta_value>2020/01/{name}</wp:meta_value></wp:postmeta>"
        f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>{alt}</wp:meta_value>"
        "</wp:postmeta></item>"
    )


def test_content_is_stored_as_wordpress_wrote_it_and_shown_as_wordpress_showed_it(client):
    body = (
        post_item(
            1,
            "Classic",
            content=CLASSIC,
            extra="<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>8</wp:meta_value>"
            "</wp:postmeta>",
        )
        + post_item(2, "Blocks", content=BLOCKS)
        + attachment_item(7, "bell.jpg", parent=1, caption="Bell (Jane Doe/AP)", alt="A ship's bell")
        + attachment_item(8, "quay.jpg", parent=1)
    )
    report = load(wxr(body))
    assert report.unknown_shortcodes == {"contact-form": 1}

    classic = Post.objects.get(wp_id=1)
    bell, quay = Media.objects.get(wp_id=7), Media.objects.get(wp_id=8)
    # Kept as WordPress wrote it, but for the gallery: its ids now name Byline's media.
    assert classic.body == CLASSIC.replace('ids="7,8"', f'ids="{bell.pk},{quay.pk}"')
    assert classic.body_format == "wordpress"
    html = classic.content_html
    assert "<p>First paragraph<br>\nsecond line.</p>" in html or "<p>First paragraph<br />" in html
    assert '<figure class="wp-caption aligncenter" id="attachment_7">' in html
    assert '<figcaption>The bell on the wharf <span class="credit">Credit: Jane Doe/AP</span>' in html
    assert '[contact-form id="3"]' in html and "<script" not in html
    assert html.count('class="gallery-item"') == 2
    assert set(classic.figures.all()) == {bell, quay}
    assert classic.featured_image == quay
    assert (bell.caption, bell.credit, bell.alt) == ("Bell", "Jane Doe/AP", "A ship's bell")

    blocks = Post.objects.get(wp_id=2)
    assert blocks.content_html.strip() == "<p>Block text.</p>"
    assert "Block text." in client.get(permalink_for(blocks)).content.decode()


def test_a_gallery_without_ids_shows_the_posts_attached_photos():
    body = post_item(1, "Gallery", content="[gallery columns=2]") + "".join(
        attachment_item(n, f"photo{n}.jpg", parent=1) for n in (11, 10)
    )
    load(wxr(body))
    post = Post.objects.get(wp_id=1)
    assert post.content_html.count('class="gallery-item"') == 2
    assert "gallery-columns-2" in post.content_html


def test_statuses_dates_passwords_and_excerpts():
    body = (
        post_item(2, "Pending", status="pending")
        + post_item(1, "Draft", status="draft", date="2020-03-01 12:00:00", gmt=None)
        + post_item(3, "Private", status="private")
        + post_item(4, "Later", status="future", date="2999-01-01 00:00:00", gmt="2998-12-31 23:00:00")
        + post_item(5, "Binned", status="trash")
        + post_item(6, "Locked", extra="<wp:post_password>s3cret</wp:post_password>")
        + post_item(
            7, "Summed", extra="<excerpt:encoded><![CDATA[Fish &amp; <em>chips</em>]]></excerpt:encoded>"
        )
    )
    report = load(wxr(body))
    status = dict(Post.objects.values_list("wp_id", "status"))
    assert status == {1: "draft", 2: "pending", 3: "private", 4: "future", 6: "publish", 7: "publish"}
    assert [p.reason for p in report.skipped] == ["in WordPress's trash"]
    # A draft's GMT date is 0000-00-00: its local date is moved by the offset other items show.
    assert Post.objects.get(wp_id=1).published_at == datetime(2020, 3, 1, 11, tzinfo=UTC)
    assert Post.objects.get(wp_id=4).published_at == datetime(2998, 12, 31, 23, tzinfo=UTC)
    assert Post.objects.get(wp_id=6).password == "s3cret"
    assert Post.objects.get(wp_id=7).excerpt == "Fish & chips"


def test_comments_are_threaded_mapped_and_sanitised(client):
    def comment(wp_id, parent=0, approved="1", content="Nice.", **fields):
        extra = "".join(f"<wp:comment_{key}>{value}</wp:comment_{key}>" for key, value in fields.items())
        return (
            f"<wp:comment><wp:comment_id>{wp_id}</wp:comment_id>"
            f"<wp:comment_author>Reader {wp_id}</wp:comment_author>"
            f"<wp:comment_date_gmt>2020-01-0{1 + wp_id % 8} 10:00:00</wp:comment_date_gmt>"
            f"<wp:comment_content><![CDATA[{content}]]></wp:comment_content>"
            f"<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_parent>{parent}</wp:comment_parent>"
            f"{extra}</wp:comment>"
        )

    comments = (
        comment(3, parent=2)  # a reply before the comment it answers
        + comment(2)
        + comment(4, approved="0")
        + comment(5, approved="spam")
        + comment(6, approved="trash")
        + comment(7, content='<a href="javascript:alert(1)" onclick="x()">link</a><script>x</script>')
        + comment(8, parent=99, author_IP="not an ip")
        + comment(9, author_IP="192.0.2.7")
        + "<wp:comment><wp:comment_id>10</wp:comment_id>"
        + "<wp:comment_date>2020-99-99</wp:comment_date></wp:comment>"
    )
    report = load(wxr(post_item(1, "Talk", extra=comments)))
    by_id = {c.wp_id: c for c in Comment.objects.all()}
    assert by_id[3].parent == by_id[2]
    assert {by_id[n].status for n in (2, 3, 7, 8, 9)} == {"approved"}
    assert (by_id[4].status, by_id[5].status, by_id[6].status) == ("pending", "spam", "trash")
    assert "javascript" not in by_id[7].content and "onclick" not in by_id[7].content
    assert "<script" not in by_id[7].content
    assert by_id[8].parent is None and by_id[8].author_ip is None and by_id[9].author_ip == "192.0.2.7"
    assert 10 not in by_id
    assert any("wp:comment_date" in p.reason and p.line for p in report.skipped)
    assert any("kept unthreaded" in p.reason for p in report.notes)

    html = client.get(permalink_for(Post.objects.get())).content.decode()
    for n in (2, 3, 7, 8, 9):
        assert f'id="comment-{by_id[n].pk}"' in html
    for n in (4, 5, 6):
        assert f'id="comment-{by_id[n].pk}"' not in html


# --- bad input ------------------------------------------------------------------------------


def test_item_problems_are_skipped_lines_and_the_rest_imports():
    body = "\n".join(
        [
            post_item(1, "Fine"),
            post_item(2, "Absurd", date="20200-01-01 00:00:00", gmt="0001-01-01 00:00:00"),
            post_item(3, "Orphan", post_type="page", extra="<wp:post_parent>77</wp:post_parent>"),
            post_item(
                4,
                "Menu",
                post_type="nav_menu_item",
                extra="<wp:comment><wp:comment_id>1</wp:comment_id></wp:comment>",
            ),
            "<item><title>Nameless</title><wp:post_type>post</wp:post_type></item>",
        ]
    )
    report = load(wxr(body))
    assert set(Post.objects.values_list("wp_id", flat=True)) == {1, 3}
    assert Post.objects.get(wp_id=3).parent is None
    skipped: dict[int, str] = {}
    for problem in report.skipped:
        skipped.setdefault(problem.line, problem.reason)
    lines = wxr(body).decode().splitlines()
    line_of = {t: n for n, text in enumerate(lines, 1) for t in ("Absurd", "Menu", "Nameless") if t in text}
    assert "not a date" in skipped[line_of["Absurd"]] or "implausible" in skipped[line_of["Absurd"]]
    assert "menu items" in skipped[line_of["Menu"]]
    assert "neither wp:post_id nor guid" in skipped[line_of["Nameless"]]
    assert any("their post is skipped" in p.reason for p in report.skipped)
    assert any("parent page (id 77) is not in the file" in p.reason for p in report.notes)
    text = "\n".join(report.lines())
    assert "Skipped (" in text and f"line {line_of['Absurd']}:" in text


def test_a_late_whole_file_error_undoes_everything_already_read():
    data = wxr(post_item(1, "Early") + post_item(2, "Later", extra="<wp:comment>"))
    with pytest.raises(WXRError) as refusal:
        load(data[:-40])
    assert refusal.value.line
    assert not Post.objects.exists() and not User.objects.exists() and not Comment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]><rss><channel><wp:wxr_version>1.2</wp:wxr_version>'
            b"<item><title>&c;</title></item></channel></rss>",
            id="billion-laughs",
        ),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<rss><channel><item><title>&x;</title></item></channel></rss>",
            id="xxe",
        ),
        pytest.param(b"This is not XML at all", id="not-xml"),
        pytest.param(b'<?xml version="1.0"?><feed><entry/></feed>', id="wrong-root"),
    ],
)
def test_hostile_or_foreign_files_are_refused_by_the_loader_writing_nothing(data):
    with pytest.raises(WXRError) as refusal:
        load(data)
    assert refusal.value.line
    assert not Post.objects.exists() and not User.objects.exists()


def test_a_dry_run_reports_everything_and_writes_nothing():
    before = snapshot()
    report = load("wordpress-importer/small-export.xml", dry_run=True)
    assert report.created["posts"] and report.dry_run
    assert "Dry run: nothing was written." in report.lines()
    assert snapshot() == before


def test_a_later_export_of_the_same_blog_adds_only_the_new_comments():
    def comment(wp_id: int, parent: int = 0) -> str:
        return (
            f"<wp:comment><wp:comment_id>{wp_id}</wp:comment_id><wp:comment_author>R{wp_id}</wp:comment_author>"
            f"<wp:comment_date_gmt>2020-01-0{wp_id} 10:00:00</wp:comment_date_gmt>"
            f"<wp:comment_content>Comment {wp_id}</wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved>"
            f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
        )

    load(wxr(post_item(1, "Talk", extra=comment(1))))
    report = load(wxr(post_item(1, "Talk", extra=comment(1) + comment(2, parent=1))))
    assert (report.created["comments"], report.existing["comments"], report.existing["posts"]) == (1, 1, 1)
    first, second = Comment.objects.order_by("wp_id")
    assert second.parent == first and not report.notes


def test_a_published_item_dated_in_the_future_arrives_scheduled(client):
    # WordPress's wp_insert_post schedules a "publish" whose date is to come; an export can
    # carry one (edited by hand, or from a site whose clock was wrong).
    load(wxr(post_item(8, "Tomorrow's news", date="2999-01-01 00:00:00", gmt="2998-12-31 23:00:00")))
    post = Post.objects.get(wp_id=8)
    assert post.status == "future"
    assert client.get(permalink_for(post)).status_code == 404
    assert "Tomorrow" not in client.get("/feed/").content.decode()
