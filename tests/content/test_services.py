"""The content services that the admin, the CLI and importers all go through."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from byline.content import services
from byline.content.models import Category, Media, OldPermalink, Post, PostType, Status
from byline.content.permalinks import permalink_for
from tests.factories import UserFactory, make_post

pytestmark = pytest.mark.django_db


def png(width=1800, height=1200, fmt="PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buf, fmt)
    return buf.getvalue()


def test_slugs_are_made_unique_the_wordpress_way():
    a = make_post("Harbour news")
    b = make_post("Harbour news")
    c = make_post("Harbour news")
    assert [a.slug, b.slug, c.slug] == ["harbour-news", "harbour-news-2", "harbour-news-3"]
    # A page may share a post's slug (different namespaces in WordPress too).
    page = services.save_post(
        Post(post_type=PostType.PAGE, title="Harbour news", author=a.author, status=Status.PUBLISH)
    )
    assert page.slug == "harbour-news"


def test_unicode_titles_keep_their_letters():
    post = make_post("Överfart till Ön")
    assert post.slug == "överfart-till-ön"


def test_a_post_needs_a_title():
    with pytest.raises(ValidationError):
        make_post("   ")
    assert Post.objects.count() == 0


def test_scheduled_post_in_the_past_is_published():
    post = make_post("Late schedule", status=Status.FUTURE, published_at=timezone.now() - timedelta(hours=1))
    assert post.status == Status.PUBLISH


def test_scheduled_post_is_public_once_due_without_cron():
    post = make_post("Scheduled", status=Status.FUTURE, published_at=timezone.now() + timedelta(hours=1))
    assert not post.is_public
    assert not Post.objects.public().filter(pk=post.pk).exists()
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert Post.objects.public().filter(pk=post.pk).exists()


def test_old_permalink_is_recorded_once_and_cleared_when_reused():
    post = make_post("Original")
    first = permalink_for(post)
    post.slug = "renamed"
    services.save_post(post)
    assert OldPermalink.objects.get().path == first
    post.slug = "original"  # back to the first address: it must not redirect to itself
    services.save_post(post)
    assert not OldPermalink.objects.filter(path=first).exists()


def test_media_upload_makes_thumbnails_for_srcset():
    media = services.create_media(png(), "Harbour View.png", caption="A view", credit="Jo/Agency")
    assert (media.width, media.height, media.mime_type) == (1800, 1200, "image/png")
    assert [s["width"] for s in media.sizes] == [320, 640, 1024, 1600]
    assert media.file.name.endswith("harbour-view.png")


def test_small_images_get_no_bigger_thumbnails():
    media = services.create_media(png(500, 300, "JPEG"), "small.jpg")
    assert [s["width"] for s in media.sizes] == [320]


@pytest.mark.parametrize(
    "data,says",
    [
        (b"not an image at all", "not an image"),
        (png()[:200], "not an image"),
        (b"GIF89a" + b"\x00" * 50, "not an image"),
        (b"", "not an image"),
    ],
)
def test_broken_uploads_are_refused_and_store_nothing(data, says, settings):
    with pytest.raises(ValidationError, match=says):
        services.create_media(data, "broken.png")
    assert Media.objects.count() == 0
    assert not list(settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else True


def test_decompression_bombs_are_refused(settings):
    settings.BYLINE_MAX_IMAGE_PIXELS = 1000 * 1000
    with pytest.raises(ValidationError, match="too large"):
        services.create_media(png(2100, 1000), "bomb.png")
    assert Media.objects.count() == 0


def test_editing_a_caption_renders_the_posts_that_show_it_again():
    media = services.create_media(png(), "quay.png", caption="Old caption")
    post = make_post("With photo", body=f"<p>Intro</p>[media id={media.pk}]")
    assert "Old caption" in post.content_html
    media.caption = "New caption"
    media.save()
    services.rerender_posts_showing(media)
    post.refresh_from_db()
    assert "New caption" in post.content_html and "Old caption" not in post.content_html
    assert list(post.figures.all()) == [media]


def test_a_deleted_photo_leaves_no_broken_image():
    post = make_post("Ghost photo", body="<p>Intro</p>[media id=987654]")
    assert "<img" not in post.content_html and "[media" not in post.content_html


def test_corrections_are_sanitised_and_update_the_post():
    post = make_post("Corrected")
    Post.objects.filter(pk=post.pk).update(modified_at=datetime(2025, 9, 15, tzinfo=UTC))
    post = Post.objects.get(pk=post.pk)
    assert post.updated_at == datetime(2025, 9, 15, tzinfo=UTC)
    c = services.add_correction(
        post, "Fixed <script>x()</script><b>the</b> date.", date=datetime(2025, 9, 16, tzinfo=UTC)
    )
    assert c.text == "Fixed <b>the</b> date."
    assert Post.objects.get(pk=post.pk).updated_at == datetime(2025, 9, 16, tzinfo=UTC)
    with pytest.raises(ValidationError):
        services.add_correction(post, "  ")
    assert post.corrections.count() == 1


@pytest.mark.parametrize(
    "role,staff,superuser",
    [
        ("administrator", True, True),
        ("editor", True, False),
        ("author", True, False),
        ("contributor", True, False),
        ("subscriber", False, False),
    ],
)
def test_roles_as_wordpress(role, staff, superuser):
    user = services.create_user(
        f"u-{role}", email=f"{role}@example.org", role=role, password="long enough pw"
    )
    assert (user.is_staff, user.is_superuser) == (staff, superuser)
    assert user.profile.role == role
    user = get_user_model().objects.get(pk=user.pk)  # fresh permission cache
    assert user.has_perm("content.publish_post") == (role in ("administrator", "editor", "author"))
    assert user.has_perm("content.edit_others_posts") == (role in ("administrator", "editor"))


def test_get_or_create_term_reuses_by_slug():
    a = services.get_or_create_term(Category, "World News")
    b = services.get_or_create_term(Category, "world news")
    assert a == b and a.slug == "world-news"


def test_contributors_cannot_publish_from_the_admin(client):
    user = services.create_user("cont", email="c@example.org", role="contributor", password="long enough pw")
    client.force_login(user)
    form = client.get("/admin/content/post/add/").content.decode()
    assert 'value="draft"' in form and 'value="publish"' not in form
    r = client.post(
        "/admin/content/post/add/",
        {
            "title": "My draft",
            "body": "<p>Hi</p>",
            "body_format": "html",
            "status": "publish",
            "published_at_0": "2025-09-01",
            "published_at_1": "10:00",
            "comment_status": "open",
            "ping_status": "closed",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 200  # the form comes back: "publish" is not a choice for them
    assert not Post.objects.filter(status="publish").exists()


def test_an_editor_writes_a_post_in_the_admin_and_readers_see_it(client):
    editor = services.create_user("ed", email="ed@example.org", role="editor", password="long enough pw")
    cat = Category.objects.create(name="City", slug="city")
    client.force_login(editor)
    r = client.post(
        "/admin/content/post/add/",
        {
            "title": "Written in the admin",
            "subtitle": "A dek",
            "body": "## Section\n\nText.",
            "body_format": "markdown",
            "status": "publish",
            "published_at_0": "2025-09-01",
            "published_at_1": "10:00",
            "author": editor.pk,
            "comment_status": "open",
            "ping_status": "closed",
            "categories": [cat.pk],
            "corrections-TOTAL_FORMS": "1",
            "corrections-INITIAL_FORMS": "0",
            "corrections-0-date_0": "2025-09-02",
            "corrections-0-date_1": "09:00",
            "corrections-0-text": "A fix <script>bad()</script>",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    client.logout()
    page = client.get("/2025/09/written-in-the-admin/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="section"' in text and "Correction:" in text and "bad()" not in text
    assert "This entry was posted in" in text and "/category/city/" in text


def test_authors_only_see_their_own_posts_in_the_admin(client):
    mine = services.create_user("me", email="me@example.org", role="author", password="long enough pw")
    make_post("Someone else's", author=UserFactory())
    make_post("My own", author=mine)
    client.force_login(mine)
    listing = client.get("/admin/content/post/").content.decode()
    assert "My own" in listing and "Someone else" not in listing


def test_changing_a_role_in_the_admin_changes_the_powers(admin_client):
    user = services.create_user(
        "moving", email="m@example.org", role="contributor", password="long enough pw"
    )
    page = admin_client.get(f"/admin/auth/user/{user.pk}/change/")
    assert page.status_code == 200 and b"Display name" in page.content
    from django.contrib.auth.models import Group

    services.apply_role(user, "editor")
    user = get_user_model().objects.get(pk=user.pk)
    assert user.has_perm("content.edit_others_posts") and user.has_perm("comments.moderate_comments")
    assert list(user.groups.values_list("name", flat=True)) == ["Editor"]
    services.apply_role(user, "subscriber")
    user = get_user_model().objects.get(pk=user.pk)
    assert not user.is_staff and not user.groups.exists()
    assert Group.objects.filter(name="Author").exists()


def test_the_media_list_shows_how_to_put_a_photo_in_a_post(admin_client):
    media = services.create_media(png(), "quay.png", caption="Quay")
    listing = admin_client.get("/admin/content/media/").content.decode()
    assert f"[media id={media.pk}]" in listing


def test_uploading_a_photo_in_the_admin(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = admin_client.post(
        "/admin/content/media/add/",
        {
            "file": SimpleUploadedFile("harbour.png", png(), content_type="image/png"),
            "title": "Harbour",
            "alt": "The harbour",
            "caption": "At dawn",
            "credit": "Jo/Agency",
        },
    )
    assert r.status_code == 302, r.content.decode()[:1000]
    media = Media.objects.get()
    assert (media.alt, media.credit, media.width) == ("The harbour", "Jo/Agency", 1800)
    assert len(media.sizes) == 4
    bad = admin_client.post(
        "/admin/content/media/add/",
        {
            "file": SimpleUploadedFile("fake.png", b"not a picture", content_type="image/png"),
            "title": "x",
        },
    )
    assert bad.status_code == 200  # the form again, with the reason
    assert Media.objects.count() == 1
