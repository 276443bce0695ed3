"""No reader gets a stale page after a change: one test per kind of change (issue 11).

Each test stores the pages that show the thing (a second GET is a hit), makes the change the
way the desk, the admin or the API make it (through the services), and reads again.
"""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from byline.comments import services as comments
from byline.comments.models import Comment, CommentStatus
from byline.content import services
from byline.content.models import AuthorProfile, Category, Post, Status
from byline.content.permalinks import permalink_for
from byline.options.store import set_option
from byline.site.pagecache import HEADER
from byline.wxr.loader import import_wxr
from tests.api.api_helpers import png_bytes
from tests.cache.pages import text_of, warm
from tests.factories import make_post

pytestmark = pytest.mark.django_db

SMALL_WXR = Path(__file__).resolve().parents[1] / "data" / "wxr" / "wordpress-importer" / "small-export.xml"


def read(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    assert response[HEADER] == "miss", f"{address} was served from before the change"
    return text_of(response)


def comment_on(post, text, status=CommentStatus.APPROVED):
    return Comment.objects.create(
        post=post,
        author_name="Ada Reader",
        author_email="ada@example.net",
        content=f"<p>{text}</p>",
        status=status,
    )


def test_a_post_published_appears_on_the_home_page_and_in_the_feed(client, post):
    draft = make_post("Fresh from the quay", status=Status.DRAFT, published_at=timezone.now())
    assert "Fresh from the quay" not in text_of(warm(client, "/"))
    warm(client, "/feed/")
    draft.status = Status.PUBLISH
    services.save_post(draft)
    assert "Fresh from the quay" in read(client, "/")
    assert "Fresh from the quay" in read(client, "/feed/")


def test_a_post_edited_shows_its_new_title_everywhere(client, post, url):
    for address in (url, "/", "/feed/", "/sitemap.xml", "/sitemap-posts-1.xml", "/wp-json/wp/v2/posts"):
        warm(client, address)
    post.title = "Talk of the harbour"
    services.save_post(post)
    new_url = permalink_for(post)
    assert "Talk of the harbour" in read(client, new_url)
    for address in ("/", "/feed/", "/wp-json/wp/v2/posts"):
        assert "Talk of the harbour" in read(client, address)
    read(client, "/sitemap.xml")
    sitemap = read(client, "/sitemap-posts-1.xml")
    assert new_url in sitemap or "talk-of-the-harbour" in sitemap


def test_a_post_unpublished_leaves_the_home_page_and_its_address(client, post, url):
    warm(client, url)
    warm(client, "/")
    post.status = Status.DRAFT
    services.save_post(post)
    assert client.get(url).status_code == 404
    assert "Talk of the town" not in read(client, "/")


def test_a_post_deleted_is_gone(client, post, url):
    warm(client, url)
    warm(client, "/wp-json/wp/v2/posts")
    services.delete_post(post)
    assert client.get(url).status_code == 404
    assert "Talk of the town" not in read(client, "/wp-json/wp/v2/posts")


def test_a_scheduled_post_appears_when_its_time_comes(client, post, monkeypatch):
    make_post("Tomorrow's news", status=Status.FUTURE, published_at=timezone.now() + timedelta(seconds=60))
    assert "Tomorrow&#39;s news" not in text_of(warm(client, "/"))
    later = timezone.now() + timedelta(seconds=120)  # both clocks: the site's and the page cache's
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", lambda: later.timestamp())
    assert "Tomorrow&#39;s news" in read(client, "/")
    assert Post.objects.get(title="Tomorrow's news").status == Status.PUBLISH


def test_a_comment_approved_appears(client, post, url):
    held = comment_on(post, "Held for a while", status=CommentStatus.PENDING)
    assert "Held for a while" not in text_of(warm(client, url))
    comments.approve_comment(held)
    assert "Held for a while" in read(client, url)


def test_a_comment_edited_shows_its_new_text(client, post, url):
    shown = comment_on(post, "Teh crane")
    assert "Teh crane" in text_of(warm(client, url))
    warm(client, "/comments/feed/")
    comments.edit_comment(shown, content="The crane")
    page = read(client, url)
    assert "The crane" in page and "Teh crane" not in page
    assert "The crane" in read(client, "/comments/feed/")


def test_a_comment_marked_spam_disappears(client, post, url):
    shown = comment_on(post, "Cheap watches")
    assert "Cheap watches" in text_of(warm(client, url))
    comments.set_status([shown], CommentStatus.SPAM)
    assert "Cheap watches" not in read(client, url)


def test_a_comment_deleted_disappears(client, post, url):
    shown = comment_on(post, "Posted by mistake")
    assert "Posted by mistake" in text_of(warm(client, url))
    warm(client, "/wp-json/wp/v2/comments")
    comments.delete_comment(shown)
    assert "Posted by mistake" not in read(client, url)
    assert "Posted by mistake" not in read(client, "/wp-json/wp/v2/comments")


def test_a_correction_added_shows_on_the_post(client, post, url):
    warm(client, url)
    services.add_correction(post, "An earlier version misnamed the harbour master.")
    assert "misnamed the harbour master" in read(client, url)


def test_a_photo_caption_and_credit_edited_show_on_the_post(client, post, url):
    photo = services.create_media(png_bytes(800, 600), "crane.png", title="Crane", caption="The old crane")
    post.body = f"<p>Before.</p>\n\n[media id={photo.pk}]\n\n<p>After.</p>"
    services.save_post(post)
    assert "The old crane" in text_of(warm(client, url))
    services.update_media(photo, caption="The crane, at dawn", credit="Photo: Ada Reader")
    page = read(client, url)
    assert "The crane, at dawn" in page and "Ada Reader" in page


def test_a_category_renamed_shows_its_new_name(client, post, url):
    harbour = Category.objects.create(name="Harbour", slug="harbour")
    services.save_post(post, categories=[harbour])
    warm(client, url)
    warm(client, "/category/harbour/")
    services.save_term(harbour, name="Waterfront")
    assert "Waterfront" in read(client, url)
    assert "Waterfront" in read(client, "/category/harbour/")


def test_an_author_renamed_shows_their_new_name(client, post, url):
    assert "Writer" in text_of(warm(client, url))
    services.update_profile(post.author, display_name="Ada Lovelace-Quay", email="ada@example.org")
    assert "Ada Lovelace-Quay" in read(client, url)
    assert AuthorProfile.objects.get(user=post.author).display_name == "Ada Lovelace-Quay"


def test_an_option_changed_shows_on_every_page(client, post, url):
    warm(client, "/")
    warm(client, url)
    set_option("blogname", "The Quay Gazette")
    assert "The Quay Gazette" in read(client, "/")
    assert "The Quay Gazette" in read(client, url)


def test_an_import_shows_the_imported_posts(client, post):
    assert "Hello world!" not in text_of(warm(client, "/"))
    import_wxr(SMALL_WXR)
    assert "Hello world!" in read(client, "/")


def test_comments_closing_on_an_old_post_close_the_stored_form(client, post, url, monkeypatch):
    set_option("close_comments_for_old_posts", "1")
    set_option("close_comments_days_old", "1")
    post.published_at = timezone.now() - timedelta(days=1) + timedelta(seconds=60)
    services.save_post(post)
    assert 'id="commentform"' in text_of(warm(client, url))
    # Two minutes later (both clocks: the site's and the page cache's).
    later = timezone.now() + timedelta(seconds=120)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", lambda: later.timestamp())
    page = read(client, url)
    assert 'id="commentform"' not in page and "Comments are closed." in page
