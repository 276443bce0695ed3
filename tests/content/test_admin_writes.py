"""The admin's user, profile and comment forms write through the services, as the desk and the API do.

So a profile saved in the admin is cleaned and checked, its role takes effect, and the
`site_changed` signal says a public page changed — whichever form the owner used.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from byline.comments import services as comment_services
from byline.comments.models import Comment
from byline.content import services
from byline.content.models import AuthorProfile, Post, Status
from byline.content.permalinks import permalink_for
from byline.signals import site_changed
from tests.content.test_admin_roles import form_values, person, signed_in
from tests.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_changes():
    """The reasons `site_changed` was sent with, in order."""
    reasons: list[str] = []

    def listen(sender, reason, **kwargs):
        reasons.append(reason)

    site_changed.connect(listen)
    yield reasons
    site_changed.disconnect(listen)


def profile_change(profile) -> str:
    return f"/admin/content/authorprofile/{profile.pk}/change/"


# --- author profiles ----------------------------------------------------------------------------


def test_a_role_given_in_the_profile_admin_gives_its_powers(client, site_changes):
    signed_in(client, "administrator", "owner")
    writer = person("author", "writer")
    other = make_post("By someone else", author=person("author", "someone"), status=Status.DRAFT)

    values = form_values(client.get(profile_change(writer.profile)), "authorprofile_form")
    values.update(role="editor", display_name="Wri\x07ter  ")
    site_changes.clear()
    answer = client.post(profile_change(writer.profile), values)

    assert answer.status_code == 302
    writer.refresh_from_db()
    assert writer.profile.role == "editor"
    assert writer.profile.display_name == "Writer"
    # The editor's powers, as services.apply_role gives them: others' posts and the queue.
    assert writer.has_perm("content.edit_others_posts") and writer.has_perm("comments.moderate_comments")
    client.force_login(writer)
    assert client.get(f"/admin/content/post/{other.pk}/change/").status_code == 200
    assert site_changes == [f"profile of user {writer.pk} saved"]


def test_a_website_that_is_not_http_is_refused_in_the_profile_admin(client):
    signed_in(client, "administrator", "owner")
    writer = person("author", "writer")
    values = form_values(client.get(profile_change(writer.profile)), "authorprofile_form")
    values.update(website="ftp://files.example.org/me")

    answer = client.post(profile_change(writer.profile), values)

    assert answer.status_code == 200
    assert "A website must be an http or https address." in answer.content.decode()
    assert AuthorProfile.objects.get(pk=writer.profile.pk).website == ""


def test_a_contributor_cannot_change_a_profile_in_the_admin_or_through_the_service(client):
    contributor = signed_in(client, "contributor")
    writer = person("author", "writer")
    values = {"user": writer.pk, "display_name": "Taken over", "role": "editor", "bio": "", "website": ""}

    assert client.post(profile_change(writer.profile), values).status_code == 403

    writer.profile.display_name = "Taken over"
    with pytest.raises(PermissionDenied):
        services.save_profile(writer.profile, by=contributor)
    mine = contributor.profile
    mine.role = "editor"
    with pytest.raises(PermissionDenied, match="role"):
        services.save_profile(mine, by=contributor)
    assert AuthorProfile.objects.get(pk=writer.profile.pk).display_name == "writer"
    assert AuthorProfile.objects.get(pk=mine.pk).role == "contributor"


def test_the_profile_service_refuses_an_unsafe_website():
    owner = person("administrator", "owner")
    writer = person("author", "writer")
    writer.profile.website = "javascript:alert(1)"
    with pytest.raises(ValidationError):
        services.save_profile(writer.profile, by=owner)
    assert AuthorProfile.objects.get(pk=writer.profile.pk).website == ""


# --- users --------------------------------------------------------------------------------------


def test_the_user_admin_saves_the_profile_through_the_service(client, site_changes):
    owner = signed_in(client, "administrator", "owner")
    writer = person("author", "writer")
    post = make_post("Signed", author=writer)
    change = f"/admin/auth/user/{writer.pk}/change/"

    values = form_values(client.get(change), "user_form")
    values.update({"profile-0-display_name": "Wen\x1b[2J Writer", "profile-0-role": "editor"})
    answer = client.post(change, values)

    assert answer.status_code == 302, answer.content.decode()[:2000]
    writer.refresh_from_db()
    assert (writer.profile.display_name, writer.profile.role) == ("Wen[2J Writer", "editor")
    assert writer.has_perm("comments.moderate_comments")
    assert f"profile of user {writer.pk} saved" in site_changes
    assert "Wen[2J Writer" in client.get(permalink_for(post)).content.decode()
    # The role still decides the account's flags: an editor is no superuser, whatever was ticked.
    values = form_values(client.get(change), "user_form")
    values["is_superuser"] = "on"
    client.post(change, values)
    writer.refresh_from_db()
    assert not writer.is_superuser and owner.is_superuser


# --- comments -----------------------------------------------------------------------------------


def comment_on(post, **fields) -> Comment:
    defaults = {"author_name": "Reader", "content": "<p>First words.</p>", "status": "approved"}
    return Comment.objects.create(post=post, **{**defaults, **fields})


def test_editing_an_approved_comment_in_the_admin_says_the_page_changed(client, site_changes):
    signed_in(client, "editor")
    post = make_post("Discussed", comment_status="open")
    comment = comment_on(post)
    change = f"/admin/comments/comment/{comment.pk}/change/"

    values = form_values(client.get(change), "comment_form")
    site_changes.clear()
    values.update(content='<p>Second words <a href="javascript:alert(1)">here</a>.</p>')
    assert client.post(change, values).status_code == 302

    comment.refresh_from_db()
    assert comment.content == '<p>Second words <a rel="nofollow ugc">here</a>.</p>'
    assert site_changes == [f"comment {comment.pk} edited"]
    assert "Second words" in client.get(permalink_for(post)).content.decode()


def test_approving_in_the_comment_form_is_the_queues_approval(client, site_changes):
    signed_in(client, "editor")
    post = make_post("Discussed", comment_status="open")
    comment = comment_on(post, status="pending", author_name="Held")
    change = f"/admin/comments/comment/{comment.pk}/change/"

    values = form_values(client.get(change), "comment_form")
    values.update(status="approved")
    site_changes.clear()
    assert client.post(change, values).status_code == 302

    comment.refresh_from_db()
    assert (comment.status, comment.reason) == ("approved", "approved by editor")
    assert site_changes == ["1 comments now approved"]


def test_a_website_that_is_not_http_is_refused_in_the_comment_admin(client):
    signed_in(client, "editor")
    comment = comment_on(make_post("Discussed", comment_status="open"))
    change = f"/admin/comments/comment/{comment.pk}/change/"
    values = form_values(client.get(change), "comment_form")
    values.update(author_url="ftp://files.example.org/")

    answer = client.post(change, values)

    assert answer.status_code == 200
    assert "A website must be an http or https address." in answer.content.decode()
    assert Comment.objects.get(pk=comment.pk).author_url == ""


def test_the_comment_service_refuses_a_contributor_and_cleans_a_moderators_edit():
    post = make_post("Discussed", comment_status="open")
    comment = comment_on(post)
    fields = {"author_email": "", "author_url": "", "content": "<p>Changed.</p>"}

    with pytest.raises(PermissionDenied):
        comment_services.update_comment(comment, by=person("contributor"), author_name="X", **fields)
    assert Comment.objects.get(pk=comment.pk).content == "<p>First words.</p>"

    comment_services.update_comment(
        comment, by=person("editor"), author_name="Ctl\x1b[2J\ufffe\ud800", **fields
    )
    assert Comment.objects.get(pk=comment.pk).author_name == "Ctl[2J"
    assert Post.objects.filter(pk=post.pk).exists()
