"""Home, archives and search as a reader sees them: a few lines of each post, a photo, the pinned post."""

import io

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st
from lxml import html
from PIL import Image

from byline.content import services
from byline.content.excerpts import EXCERPT_MAX_CHARS, automatic_excerpt, plain_text, trim_words
from byline.content.models import BodyFormat, Post
from tests.factories import CategoryFactory, UserFactory, make_post

pytestmark = pytest.mark.django_db

WORDS = [f"word{i}" for i in range(80)]


def photo(name="quay.jpg", width=1800, height=1200):
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buf, "JPEG")
    return services.create_media(buf.getvalue(), name, alt="The quay", caption="Caption words here")


def summary(client, url, post):
    doc = html.fromstring(client.get(url).content)
    found = doc.xpath(f"//article[@id='post-{post.pk}']")
    assert found, f"post {post.pk} is not listed on {url}"
    return found[0]


def test_an_imported_post_without_excerpt_shows_its_first_55_words(client):
    body = (
        '[caption id="x" width="300"]<img src="https://old.example/a.jpg"> A caption[/caption]\n\n'
        + " ".join(WORDS[:30])
        + " <strong>bold</strong> &amp; [contact-form to='x']\n\n"
        + " ".join(WORDS[30:])
    )
    post = make_post("Imported", body=body, body_format=BodyFormat.WORDPRESS)
    text = summary(client, "/", post).xpath(".//p[@class='p-summary']")[0].text_content()
    words = text.split()
    assert len(words) == 55
    assert words[:30] == WORDS[:30]
    assert words[30:33] == ["bold", "&", WORDS[30]]  # markup and the unknown shortcode are gone
    assert text.endswith(WORDS[52] + "…")  # cut on a word boundary, WordPress's ellipsis after it
    assert "caption" not in text.lower() and "[" not in text


def test_a_short_post_is_shown_whole_without_an_ellipsis(client):
    post = make_post("Short", body="<p>Only these five words here.</p>")
    text = summary(client, "/", post).xpath(".//p[@class='p-summary']")[0].text_content()
    assert text == "Only these five words here."


def test_the_writers_excerpt_wins_over_the_automatic_one(client):
    post = make_post("Excerpted", excerpt="The writer's own summary.", body="<p>Body words.</p>")
    item = summary(client, "/", post)
    assert [p.text_content() for p in item.xpath(".//p[@class='p-summary']")] == ["The writer's own summary."]


def test_a_protected_post_shows_no_excerpt_and_no_photo_of_its_body(client):
    media = photo()
    post = make_post(
        "Secret", password="pw", excerpt="Hidden excerpt", body=f"<p>Hidden words.</p>[media id={media.pk}]"
    )
    item = summary(client, "/", post)
    text = item.text_content()
    assert "Hidden" not in text
    assert "There is no excerpt because this is a protected post." in text
    assert not item.xpath(".//img")


def test_the_first_photo_is_shown_small_with_a_srcset(client):
    media = photo()
    post = make_post("Photo story", body=f"<p>Intro.</p>[media id={media.pk}]<p>More.</p>")
    for url in ("/", "/2025/", f"/author/{post.author.username}/", "/?s=Intro"):
        img = summary(client, url, post).xpath(".//a[@class='post-thumbnail']/img")[0]
        widths = [int(part.split()[1][:-1]) for part in img.get("srcset").split(", ")]
        assert widths == [320, 640, 1024], url  # the 1800 px original is too big for a thumbnail
        assert img.get("src").endswith("-640w.jpg")
        assert (img.get("width"), img.get("height")) == ("640", "427")
        assert img.get("alt") == ""  # the title beside it names the post


def test_the_featured_image_wins_over_the_first_photo(client):
    first, featured = photo("first.jpg"), photo("featured.jpg")
    post = make_post("Featured", featured_image=featured, body=f"[media id={first.pk}]")
    img = summary(client, "/", post).xpath(".//a[@class='post-thumbnail']/img")[0]
    assert "featured" in img.get("src")


def test_an_imported_body_image_from_the_sites_media_is_found(client):
    media = photo("harbour.jpg")
    body = f'<p>Text</p><img src="/media/{media.file.name[:-4]}-300x200.jpg" alt="">'
    post = make_post("Imported photo", body=body, body_format=BodyFormat.WORDPRESS)
    assert Post.objects.get(pk=post.pk).lead_image == media


def test_a_post_without_photo_has_no_thumbnail(client):
    post = make_post("Words only")
    assert not summary(client, "/", post).xpath(".//img")


def test_sticky_posts_carry_a_pinned_label_on_the_home_page_only(client):
    cat = CategoryFactory(slug="news")
    pinned = make_post("Pinned one", sticky=True, categories=[cat])
    plain = make_post("Newer one", categories=[cat])
    home = html.fromstring(client.get("/").content)
    articles = home.xpath("//article")
    assert articles[0].get("id") == f"post-{pinned.pk}"
    assert articles[0].xpath(".//p[@class='pinned-label']")[0].text_content() == "Pinned"
    assert not summary(client, "/", plain).xpath(".//p[@class='pinned-label']")
    assert not summary(client, "/category/news/", pinned).xpath(".//p[@class='pinned-label']")


def test_continue_reading_names_the_post_for_screen_readers(client):
    post = make_post("The Cranes & the Quay")
    link = summary(client, "/", post).xpath(".//a[@class='more-link']")[0]
    assert link.get("href") == "/2025/09/the-cranes-the-quay/"
    assert link.xpath("./span[@class='screen-reader-text']")[0].text_content() == " “The Cranes & the Quay”"
    assert " ".join(link.text_content().split()) == "Continue reading “The Cranes & the Quay”"


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_photos_and_excerpts_add_no_query_per_post(client):
    author = UserFactory()
    make_post("First", author=author, body="<p>A post body.</p>")
    urls = ("/", "/2025/", f"/author/{author.username}/", "/?s=post")
    client.get("/")  # the first page served records the site's address (once; not a list's cost)
    counts = {url: queries_for(client, url) for url in urls}
    media = [photo(f"p{i}.jpg", 400, 300) for i in range(3)]
    for i in range(8):
        make_post(f"A post {i}", author=author, body=f"<p>A post body.</p>[media id={media[i % 3].pk}]")
    for url in urls:
        assert queries_for(client, url) == counts[url], url
        assert len(html.fromstring(client.get(url).content).xpath("//a[@class='post-thumbnail']")) == 8


def test_existing_posts_get_their_excerpt_and_photo_on_upgrade():
    """The migration fills what save_post now stores, for the posts of an older site."""
    from importlib import import_module

    migration = import_module("byline.content.migrations.0007_post_auto_excerpt_lead_image")
    media = photo()
    post = make_post("Old", body=f"<p>Old words.</p>[media id={media.pk}]")
    Post.objects.filter(pk=post.pk).update(auto_excerpt="", lead_image=None)
    migration.fill(apps, None)
    post.refresh_from_db()
    assert (post.auto_excerpt, post.lead_image) == ("Old words.", media)


# --- the pure functions -----------------------------------------------------------------------


def test_plain_text_drops_captions_markup_and_entities():
    rendered = (
        '<figure class="wp-caption" id="media-1"><img src="/a.jpg" alt="x"><figcaption>Cap'
        '<span class="credit">Credit: Jo</span></figcaption></figure><p>One&nbsp;two</p><p>three</p>'
    )
    assert plain_text(rendered) == "One two three"


_ANY_WORD = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Z", "Cc"]), min_size=1)


@given(st.lists(_ANY_WORD, max_size=90))
def test_trim_words_keeps_whole_words_in_order(words):
    text = " ".join(words)
    out = trim_words(text)
    kept = out.removesuffix("…").split()
    source = text.split()
    assert len(kept) <= 55
    assert len(out) <= EXCERPT_MAX_CHARS + 1
    if len(source) <= 55 and len(text) <= EXCERPT_MAX_CHARS:
        assert out == " ".join(source)
    else:
        assert out.endswith("…")
        assert " ".join(source).startswith(" ".join(kept[:-1]))


_WORD = st.text(
    alphabet=st.characters(whitelist_categories=["L", "N", "Pd", "Po"], blacklist_characters="&<>[]"),
    min_size=1,
    max_size=12,
)


@given(st.lists(st.tuples(_WORD, st.sampled_from(["p", "em", "strong", "a", "li", "h2"])), max_size=80))
def test_the_excerpt_is_the_words_of_the_body_without_markup(tagged):
    body = " ".join(f"<{tag}>{word}</{tag}>" for word, tag in tagged)
    rendered = services.render_body(body, "html", {}).html
    assert automatic_excerpt(rendered) == trim_words(" ".join(word for word, _ in tagged))


def test_a_word_too_long_for_a_list_is_cut():
    assert trim_words("x" * 5000) == "x" * EXCERPT_MAX_CHARS + "…"
