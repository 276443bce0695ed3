"""The reference-shaped post page (REFERENCE-PAGE.md sections 1 and 2), as readers and machines read it."""

import json
import re

import mf2py
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from byline.content import services
from byline.content.models import Media, Post
from tests.factories import CategoryFactory, TagFactory, make_post

pytestmark = pytest.mark.django_db

URL = "/2025/09/the-cranes-come-down/"


@pytest.fixture
def page(client, demo):
    r = client.get(URL)
    assert r.status_code == 200
    return r.content.decode()


def test_elements_appear_in_the_reference_order(page):
    doc = html.fromstring(page)
    text = " ".join(doc.text_content().split())
    order = [
        "The Cranes Come Down",  # headline
        "Three stories about the North Quay",  # dek
        "Cranes that outlived their ships",  # first section
        "RIVERTON —",  # dateline
        "By Jonas Berg, September 12, 2025",  # byline of a quoted story
        "The North Quay cranes at dusk",  # photo caption
        "Credit: Ingrid Solberg/Harbour Photo Agency",  # photo credit
        "We are not closing a quay",  # quote
        "Credit: Tomas Varga/The Riverton Courier",  # second photo
        "Correction: September 16, 2025 —",  # corrections, oldest first
        "Correction: September 18, 2025 —",
        "About Mara Lindqvist",  # author box
        "born in 1961",  # bio
        "This entry was posted in Harbour. Bookmark the permalink.",  # taxonomy line, no tags
    ]
    positions = [text.find(piece) for piece in order]
    assert all(p >= 0 for p in positions), [o for o, p in zip(order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert "tagged ." not in text and "tagged  ." not in text


def test_figures_keep_caption_and_credit_apart(page):
    doc = html.fromstring(page)
    figures = doc.xpath("//div[contains(@class,'e-content')]//figure")
    assert len(figures) == 2
    for fig in figures:
        img = fig.xpath(".//img")[0]
        assert img.get("alt") and img.get("srcset") and img.get("width")
        assert len(img.get("srcset").split(",")) >= 3
        credit = fig.xpath(".//figcaption/span[@class='credit']")[0]
        assert credit.text_content().startswith("Credit: ")
        caption_only = fig.xpath(".//figcaption")[0].text
        assert caption_only.strip() and "Credit" not in caption_only


def test_sections_get_anchor_ids(page):
    doc = html.fromstring(page)
    ids = doc.xpath("//div[contains(@class,'e-content')]//h2/@id")
    assert "cranes-that-outlived-their-ships" in ids and len(ids) == len(set(ids)) == 4


def test_quotes_survive_with_their_sources(page):
    doc = html.fromstring(page)
    assert doc.xpath("//blockquote[@cite='https://example.org/port-authority/statement']")
    assert doc.xpath("//q[@cite]")


def test_microformats(page):
    parsed = mf2py.parse(doc=page, url="http://testserver" + URL)
    entry = next(i for i in parsed["items"] if "h-entry" in i["type"])
    p = entry["properties"]
    assert p["name"] == ["The Cranes Come Down"]
    assert p["published"][0].startswith("2025-09-15T10:00")
    assert p["category"] == ["Harbour"]
    assert "Cranes that outlived their ships" in p["content"][0]["value"]
    assert "http://testserver" + URL in p["url"]
    author = p["author"][0]
    assert "h-card" in author["type"]
    assert author["properties"]["name"] == ["Mara Lindqvist"]
    assert "born in 1961" in author["properties"]["note"][0]


def test_json_ld_blogposting_with_corrections(page):
    doc = html.fromstring(page)
    data = json.loads(doc.xpath("//script[@type='application/ld+json']/text()")[0])
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "The Cranes Come Down"
    assert data["datePublished"] == "2025-09-15T10:00:00+00:00"
    assert data["dateModified"] == "2025-09-18T15:05:00+00:00"  # the latest correction
    assert data["author"]["name"] == "Mara Lindqvist"
    assert len(data["image"]) == 2
    assert [c["@type"] for c in data["correction"]] == ["CorrectionComment"] * 2
    assert data["correction"][0]["datePublished"].startswith("2025-09-16")


def test_opengraph_canonical_and_bookmark(page):
    doc = html.fromstring(page)
    meta = {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}
    assert meta["og:title"] == "The Cranes Come Down"
    assert meta["og:type"] == "article"
    assert meta["og:url"] == "http://testserver" + URL
    assert meta["og:image"].startswith("http://testserver/media/2025/09/north-quay-cranes")
    assert doc.xpath("//link[@rel='canonical']/@href") == ["http://testserver" + URL]
    assert URL in doc.xpath("//a[contains(concat(' ', @rel, ' '), ' bookmark ')]/@href")
    assert doc.xpath("//meta[@name='description']/@content")[0].startswith("Three stories")


def test_the_comment_section_has_its_place(page):
    doc = html.fromstring(page)
    assert doc.xpath("//section[@id='comments']")


def test_no_third_party_requests(page):
    doc = html.fromstring(page)
    sources = doc.xpath("//script/@src | //link[@rel='stylesheet']/@href | //img/@src | //iframe/@src")
    assert sources and all(s.startswith("/") for s in sources), sources


@pytest.mark.parametrize(
    "cats,tags,expected",
    [
        (0, 0, "Bookmark the permalink."),
        (1, 0, "This entry was posted in C0. Bookmark the permalink."),
        (2, 0, "This entry was posted in C0 and C1. Bookmark the permalink."),
        (0, 1, "This entry was tagged t0. Bookmark the permalink."),
        (1, 1, "This entry was posted in C0 and tagged t0. Bookmark the permalink."),
        (3, 3, "This entry was posted in C0, C1 and C2 and tagged t0, t1 and t2. Bookmark the permalink."),
    ],
)
def test_taxonomy_line_is_worded_for_zero_one_or_many(client, cats, tags, expected):
    post = make_post(
        "Worded",
        categories=[CategoryFactory(name=f"C{i}", slug=f"c{i}") for i in range(cats)],
        tags=[TagFactory(name=f"t{i}", slug=f"t{i}") for i in range(tags)],
    )
    doc = html.fromstring(client.get(f"/2025/09/{post.slug}/").content)
    line = " ".join(doc.xpath("//p[@class='entry-taxonomy']")[0].text_content().split())
    assert line == expected


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_post_page_query_count_does_not_grow(client, demo):
    client.get("/")  # the first page served records the site's address (once; not a page's cost)
    base = queries_for(client, URL)
    assert base <= 10
    # Many more categories, tags, figures and corrections on the same post: the same queries.
    post = Post.objects.get(pk=demo.pk)
    photo = Media.objects.first()
    post.body += "".join(f"\n[media id={photo.pk}]" for _ in range(5))
    cats = [CategoryFactory() for _ in range(8)]
    tags = [TagFactory() for _ in range(8)]
    services.save_post(post, categories=cats, tags=tags)
    for i in range(5):
        services.add_correction(post, f"Correction number {i}.")
    assert queries_for(client, URL) == base


def test_list_pages_query_count_does_not_grow(client, demo):
    client.get("/")  # the first page served records the site's address (once; not a page's cost)
    counts = {
        path: queries_for(client, path) for path in ("/", "/category/harbour/", "/author/mara/", "/2025/")
    }
    for i in range(12):
        make_post(
            f"Extra {i}",
            categories=[CategoryFactory(), CategoryFactory()],
            tags=[TagFactory()],
            author=demo.author,
        )
    for path, before in counts.items():
        assert queries_for(client, path) == before, path
        assert before <= 10, (path, before)


def test_markdown_bodies_render(client):
    make_post(
        "Markdown piece",
        body="## A heading\n\nSome *emphasis* and a [link](https://example.org).",
        body_format="markdown",
    )
    page = client.get("/2025/09/markdown-piece/").content.decode()
    assert re.search(r'<h2 id="a-heading">A heading</h2>', page)
    assert "<em>emphasis</em>" in page


def test_author_html_is_sanitised(client):
    make_post(
        "Hostile body", body='<p onclick="x()">Hi<script>alert(1)</script></p><a href="javascript:x()">y</a>'
    )
    page = client.get("/2025/09/hostile-body/").content.decode()
    assert "alert(1)" not in page and "onclick" not in page and "javascript:" not in page


def test_a_comment_edited_or_stored_hostile_shows_as_it_is_now_on_every_view(client):
    # Each server process remembers the sanitiser's answer for a comment's text: an edit shows
    # on the next view, and a stored hostile comment is cleaned on every view, not only the first.
    from byline.comments.models import Comment

    post = make_post("Talked about", comment_status="open")
    comment = Comment.objects.create(
        post=post,
        author_name="Reader",
        author_email="reader@example.org",
        content='<p>First words <a href="javascript:alert(1)" onclick="x()">here</a></p>',
        status="approved",
    )
    url = "/2025/09/talked-about/"
    for _ in range(2):
        page = client.get(url).content.decode()
        assert "First words" in page
        assert "javascript:" not in page and "onclick" not in page
    comment.content = "<p>Second thoughts</p>"
    comment.save()
    page = client.get(url).content.decode()
    assert "Second thoughts" in page and "First words" not in page


def test_a_long_discussion_shown_again_is_not_sanitised_again(client, monkeypatch):
    # The count, not the time: the second view of 30 comments runs the sanitiser for none.
    from byline.comments.models import Comment
    from byline.site import comments as section

    post = make_post("Much discussed", comment_status="open")
    for i in range(30):
        Comment.objects.create(
            post=post,
            author_name=f"Reader {i}",
            author_email=f"r{i}@example.org",
            content=f"<p>Comment number {i} on a much discussed post.</p>",
            status="approved",
        )
    calls = []
    real = section.clean_stored_comment
    monkeypatch.setattr(section, "clean_stored_comment", lambda html: calls.append(html) or real(html))
    url = "/2025/09/much-discussed/"
    first = client.get(url).content.decode()
    assert len(calls) == 30
    second = client.get(url).content.decode()
    assert len(calls) == 30
    assert first.count('class="comment-content') == second.count('class="comment-content') == 30
