"""The admin asks the capability module, object by object, as the REST API does.

Each test signs in to /admin/ as a contributor, an author or an editor, does what that
person would do with the admin's pages (a bulk action, the change form, delete), and
checks what the blog's readers then see.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from lxml import html

from byline.comments.models import Comment
from byline.content import services
from byline.content.models import Category, Correction, Media, Post, Status
from byline.content.permalinks import permalink_for
from tests.api.api_helpers import png_bytes
from tests.factories import make_post

pytestmark = pytest.mark.django_db

POSTS = "/admin/content/post/"


def person(role: str, name: str | None = None):
    return services.create_user(
        name or role, email=f"{name or role}@example.org", role=role, password="x" * 16
    )


def signed_in(client, role: str, name: str | None = None):
    user = person(role, name)
    client.force_login(user)
    return user


def messages_on(page) -> str:
    return " ".join(html.fromstring(page.content).xpath("string(//ul[@class='messagelist'])").split())


# --- publishing from the posts list -------------------------------------------------------------


def test_a_contributor_cannot_publish_their_pending_post_with_the_bulk_action(client):
    contributor = signed_in(client, "contributor")
    post = make_post("Awaiting review", author=contributor, status=Status.PENDING)

    listing = client.get(POSTS)
    assert b"publish_selected" not in listing.content  # the action is not offered
    page = client.post(POSTS, {"action": "publish_selected", "_selected_action": [post.pk]}, follow=True)

    assert "No action selected" in messages_on(page)
    post.refresh_from_db()
    assert post.status == Status.PENDING
    assert client.get(permalink_for(post)).status_code == 404


def test_an_author_publishes_their_own_post_and_nobody_elses(client):
    author = signed_in(client, "author")
    own = make_post("Mine", author=author, status=Status.DRAFT)
    others = make_post("Theirs", author=person("author", "other"), status=Status.DRAFT)

    page = client.post(
        POSTS, {"action": "publish_selected", "_selected_action": [own.pk, others.pk]}, follow=True
    )

    assert messages_on(page) == "Published 1."
    own.refresh_from_db(), others.refresh_from_db()
    assert (own.status, others.status) == (Status.PUBLISH, Status.DRAFT)
    assert client.get(permalink_for(own)).status_code == 200


def test_an_editor_publishes_anyones_post(client):
    signed_in(client, "editor")
    post = make_post("By a contributor", author=person("contributor"), status=Status.PENDING)

    client.post(POSTS, {"action": "publish_selected", "_selected_action": [post.pk]})

    post.refresh_from_db()
    assert post.status == Status.PUBLISH


def test_publishing_a_post_dated_in_the_future_schedules_it(client):
    author = signed_in(client, "author")
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    post = make_post("Tomorrow's", author=author, status=Status.DRAFT, published_at=tomorrow)

    page = client.post(POSTS, {"action": "publish_selected", "_selected_action": [post.pk]}, follow=True)

    assert messages_on(page) == "Scheduled 1 (dated in the future)."
    post.refresh_from_db()
    assert post.status == Status.FUTURE
    assert client.get(permalink_for(post)).status_code == 404
    assert "Tomorrow" not in client.get("/").content.decode()


def test_a_contributor_cannot_change_their_post_once_it_is_published(client):
    contributor = signed_in(client, "contributor")
    post = make_post("Reviewed and out", author=contributor, status=Status.PUBLISH)

    form = client.get(f"{POSTS}{post.pk}/change/")
    assert b'name="body"' not in form.content  # shown read-only
    answer = client.post(f"{POSTS}{post.pk}/change/", {"title": "Changed after review", "status": "draft"})

    assert answer.status_code == 403
    post.refresh_from_db()
    assert (post.title, post.status) == ("Reviewed and out", Status.PUBLISH)


def test_a_contributor_cannot_take_their_published_post_down_with_the_bulk_action(client):
    contributor = signed_in(client, "contributor")
    post = make_post("Reviewed and out", author=contributor, status=Status.PUBLISH)

    page = client.post(POSTS, {"action": "make_draft", "_selected_action": [post.pk]}, follow=True)

    assert messages_on(page) == "1 not changed: you may not edit it."
    post.refresh_from_db()
    assert post.status == Status.PUBLISH


def test_a_contributor_sees_no_publish_date_or_publish_status_in_the_form(client):
    signed_in(client, "contributor")
    form = html.fromstring(client.get(f"{POSTS}add/").content)
    assert form.xpath("//select[@name='status']/option/@value") == ["draft", "pending"]
    assert not form.xpath("//input[starts-with(@name, 'published_at')]")


# --- photos -------------------------------------------------------------------------------------


def stored(media: Media) -> list[Path]:
    root = media.file.storage.location
    return [Path(root) / name for name in [media.file.name, *[s["name"] for s in media.sizes]]]


def test_an_author_cannot_edit_or_replace_someone_elses_photo(client):
    owner = person("author", "photographer")
    photo = services.create_media(png_bytes(1200, 800), "harbour.png", title="Harbour", uploaded_by=owner)
    files = stored(photo)
    signed_in(client, "author")

    form = client.get(f"/admin/content/media/{photo.pk}/change/")
    assert form.status_code == 200 and b'type="file"' not in form.content  # read-only
    answer = client.post(
        f"/admin/content/media/{photo.pk}/change/",
        {"title": "Mine now", "file": _upload(png_bytes(50, 50, (0, 0, 255)), "mine.png")},
    )

    assert answer.status_code == 403
    photo.refresh_from_db()
    assert photo.title == "Harbour" and photo.width == 1200
    assert all(path.is_file() for path in files)


def _upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/png")


def test_replacing_ones_own_photo_replaces_its_thumbnails_and_leaves_no_old_files(client):
    author = signed_in(client, "author")
    photo = services.create_media(png_bytes(1200, 800), "harbour.png", title="Harbour", uploaded_by=author)
    post = make_post("With a photo", author=author, body=f"<p>Look.</p>\n[media id={photo.pk}]")
    old_files = stored(photo)
    assert len(old_files) == 4  # the original and three thumbnails

    answer = client.post(
        f"/admin/content/media/{photo.pk}/change/",
        {
            "title": "Harbour at dusk",
            "alt": "Cranes",
            "caption": "",
            "credit": "",
            "file": _upload(png_bytes(700, 400), "dusk.png"),
        },
    )

    assert answer.status_code == 302
    photo.refresh_from_db()
    assert (photo.title, photo.width, photo.height) == ("Harbour at dusk", 700, 400)
    assert [s["width"] for s in photo.sizes] == [320, 640]
    assert all(path.is_file() for path in stored(photo))
    assert not any(path.exists() for path in old_files)
    page = client.get(permalink_for(post)).content.decode()
    assert photo.file.url in page and "harbour" not in page


@pytest.mark.parametrize("how", ["delete page", "delete selected"])
def test_deleting_a_photo_in_the_admin_takes_it_out_of_posts_and_off_the_disk(client, how):
    editor = signed_in(client, "editor")
    photo = services.create_media(png_bytes(1200, 800), "harbour.png", title="Harbour", uploaded_by=editor)
    post = make_post("With a photo", author=editor, body=f"<p>Look.</p>\n[media id={photo.pk}]")
    files, url = stored(photo), photo.file.url
    assert url in client.get(permalink_for(post)).content.decode()

    if how == "delete page":
        answer = client.post(f"/admin/content/media/{photo.pk}/delete/", {"post": "yes"})
    else:
        answer = client.post(
            "/admin/content/media/",
            {"action": "delete_selected", "_selected_action": [photo.pk], "post": "yes"},
        )

    assert answer.status_code == 302
    assert not Media.objects.exists()
    assert "<figure" not in client.get(permalink_for(post)).content.decode()
    assert not any(path.exists() for path in files)
    assert client.get(url).status_code == 404


def test_an_author_cannot_delete_a_photo(client):
    author = signed_in(client, "author")
    photo = services.create_media(png_bytes(), "mine.png", uploaded_by=author)
    assert client.post(f"/admin/content/media/{photo.pk}/delete/", {"post": "yes"}).status_code == 403
    assert all(path.is_file() for path in stored(photo))


# --- posts, categories and comments deleted through their services -------------------------------


def test_deleting_a_category_moves_its_children_up_a_level(client):
    signed_in(client, "editor")
    top = services.save_term(Category(name="Harbour"))
    middle = services.save_term(Category(name="Cranes"), parent=top)
    child = services.save_term(Category(name="Gantries"), parent=middle)

    client.post(
        "/admin/content/category/",
        {"action": "delete_selected", "_selected_action": [middle.pk], "post": "yes"},
    )

    child.refresh_from_db()
    assert child.parent == top


def test_a_category_cannot_be_put_below_its_own_child(client):
    signed_in(client, "editor")
    top = services.save_term(Category(name="Harbour"))
    child = services.save_term(Category(name="Cranes"), parent=top)

    form = {"name": "Harbour", "slug": "harbour", "parent": child.pk, "description": ""}
    page = client.post(f"/admin/content/category/{top.pk}/change/", form)

    assert page.status_code == 200  # the form again, with its error
    errors = " ".join(html.fromstring(page.content).xpath("string(//ul[@class='errorlist'])").split())
    assert errors == "A category cannot sit below itself."
    top.refresh_from_db()
    assert top.parent is None


def test_deleting_a_comment_keeps_its_replies(admin_client):
    post = make_post("Discussed", comment_status="open")
    first = Comment.objects.create(post=post, author_name="A", content="<p>First</p>", status="approved")
    reply = Comment.objects.create(
        post=post, author_name="B", content="<p>Reply</p>", status="approved", parent=first
    )

    admin_client.post(
        "/admin/comments/comment/",
        {"action": "delete_selected", "_selected_action": [first.pk], "post": "yes"},
    )

    reply.refresh_from_db()
    assert reply.parent is None
    assert "Reply" in admin_client.get(permalink_for(post)).content.decode()


def test_an_author_deletes_their_own_post_with_its_comments(client):
    author = signed_in(client, "author")
    post = make_post("To go", author=author, comment_status="open")
    Comment.objects.create(post=post, author_name="A", content="<p>Hi</p>", status="approved")
    path = permalink_for(post)

    confirm = client.get(f"{POSTS}{post.pk}/delete/")
    assert b"Are you sure" in confirm.content  # the comment's lack of a delete permission does not block it
    assert client.post(f"{POSTS}{post.pk}/delete/", {"post": "yes"}).status_code == 302

    assert not Post.objects.exists() and not Comment.objects.exists()
    assert client.get(path).status_code == 404


def test_a_correction_is_withdrawn_only_by_someone_who_may_edit_the_post(client):
    editor = signed_in(client, "editor")
    post = make_post("Corrected", author=editor)
    correction = services.add_correction(post, "<p>The crane was red.</p>")
    with pytest.raises(PermissionDenied, match="not allowed"):
        services.withdraw_correction(correction, by=person("author", "outsider"))
    assert Correction.objects.get().withdrawn_at is None
    services.withdraw_correction(correction, by=editor)
    assert Correction.objects.get().withdrawn_at is not None
    shown = html.fromstring(client.get(permalink_for(post)).content.decode())
    struck = shown.xpath(f"//div[@id='correction-{correction.pk}']//del")
    assert [d.text_content().split("—")[-1].strip() for d in struck] == ["The crane was red."]
    assert struck[0].xpath("./p/text()") == ["The crane was red."]  # the <p> stays inside the <del>


def form_values(page, form_id: str = "post_form") -> dict:
    """What the browser would send back from the admin's change form, untouched."""
    form = html.fromstring(page.content).xpath(f"//form[@id='{form_id}']")[0]
    values: dict = {}
    for field in form.xpath(".//input[@name] | .//textarea[@name] | .//select[@name]"):
        name, kind = field.get("name"), field.get("type", "")
        if kind in ("submit", "file") or (kind == "checkbox" and field.get("checked") is None):
            continue
        if field.tag == "select" and field.get("multiple") is not None:
            values[name] = field.xpath("./option[@selected]/@value")
        elif field.tag == "select":
            values[name] = (field.xpath("./option[@selected]/@value") or field.xpath("./option[1]/@value"))[0]
        elif kind == "checkbox":
            values[name] = field.get("value", "on")
        else:
            values[name] = field.text or "" if field.tag == "textarea" else field.get("value", "")
    return values


def test_corrections_added_and_withdrawn_in_the_post_form_reach_the_page(client):
    editor = signed_in(client, "editor")
    post = make_post("Corrected", author=editor)
    services.add_correction(post, "<p>The crane was red.</p>")
    change = f"{POSTS}{post.pk}/change/"

    values = form_values(client.get(change))
    values["corrections-0-DELETE"] = "on"
    values.update(
        {
            "corrections-TOTAL_FORMS": "2",
            "corrections-1-text": "<p>The ferry <script>x</script>leaves at nine.</p>",
            "corrections-1-date_0": "2025-09-16",
            "corrections-1-date_1": "09:00:00",
            "corrections-1-post": str(post.pk),
        }
    )
    answer = client.post(change, values)

    assert answer.status_code == 302, messages_on(answer)
    rows = Correction.objects.order_by("date").values_list("text", "withdrawn_at")
    assert [(text, bool(gone)) for text, gone in rows] == [
        ("<p>The ferry leaves at nine.</p>", False),
        ("<p>The crane was red.</p>", True),  # "Delete" withdraws, visibly
    ]
    page = html.fromstring(client.get(permalink_for(post)).content.decode())
    notes = [n.text_content() for n in page.xpath("//section[@id='corrections']//div[@class]")]
    assert any("The ferry leaves at nine." in n and "Withdrawn" not in n for n in notes)
    assert any("The crane was red." in n and "Withdrawn" in n for n in notes)


def test_a_contributor_writing_in_the_form_submits_for_review_and_cannot_choose_publish(client):
    contributor = signed_in(client, "contributor")
    values = form_values(client.get(f"{POSTS}add/"))
    values.update({"title": "Night buses", "body": "<p>Route 7.</p>", "status": "publish"})

    refused = client.post(f"{POSTS}add/", values)
    assert refused.status_code == 200  # the form again
    assert "Select a valid choice. publish is not one of the available choices." in refused.content.decode()
    assert not Post.objects.exists()

    values["status"] = "pending"
    assert client.post(f"{POSTS}add/", values).status_code == 302
    post = Post.objects.get()
    assert (post.author, post.status) == (contributor, Status.PENDING)
    assert client.get(permalink_for(post)).status_code == 404
