"""/wp/v2/comments: readers see approved comments without anyone's email or IP; writing goes
through the comment services; moderators moderate."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.comments.models import Comment, CommentStatus
from byline.content.models import Status
from byline.options.store import set_option
from tests.api.api_helpers import assert_wp_error
from tests.factories import UserFactory, make_post


@pytest.fixture
def discussion(db):
    set_option("comment_flood_interval", "0")
    post = make_post("Open for comments", author=UserFactory(username="mara"))
    approved = Comment.objects.create(
        post=post,
        author_name="Reader",
        author_email="reader@example.org",
        author_ip="192.0.2.1",
        user_agent="Firefox",
        content="<p>Well said.</p>",
        status=CommentStatus.APPROVED,
    )
    reply = Comment.objects.create(
        post=post,
        parent=approved,
        author_name="Other",
        author_email="other@example.org",
        author_ip="192.0.2.2",
        content="<p>Agreed.</p>",
        status=CommentStatus.APPROVED,
    )
    held = Comment.objects.create(
        post=post,
        author_name="Spammy",
        author_email="spam@example.org",
        author_ip="192.0.2.3",
        content="<p>Buy now</p>",
        status=CommentStatus.PENDING,
    )
    return {"post": post, "approved": approved, "reply": reply, "held": held}


def test_readers_see_approved_comments_and_no_personal_data(api, discussion):
    response = api.get("comments", {"post": discussion["post"].pk})
    assert response.status_code == 200
    body = response.json()
    assert [c["id"] for c in body] == [discussion["reply"].pk, discussion["approved"].pk]
    text = response.content.decode()
    for secret in ("reader@example.org", "192.0.2.1", "Firefox", "Buy now"):
        assert secret not in text
    assert body[0]["status"] == "approved" and body[0]["parent"] == discussion["approved"].pk
    assert body[0]["link"].endswith(f"#comment-{discussion['reply'].pk}")
    assert body[1]["author_avatar_urls"]["48"].startswith("data:image/svg+xml,")  # never a third party's
    assert [c["id"] for c in api.get("comments", {"parent": 0}).json()] == [discussion["approved"].pk]


def test_private_arguments_and_items_are_refused_to_readers(api, discussion):
    assert_wp_error(api.get("comments", {"status": "hold"}), 401, "rest_forbidden_param")
    assert_wp_error(api.get("comments", {"author_email": "reader@example.org"}), 401, "rest_forbidden_param")
    assert_wp_error(api.get("comments", {"context": "edit"}), 401, "rest_forbidden_context")
    assert_wp_error(api.get(f"comments/{discussion['held'].pk}"), 401, "rest_cannot_read")
    assert_wp_error(api.get("comments/999999"), 404, "rest_comment_invalid_id")


def test_moderators_see_the_queue_with_personal_data(editor_api, discussion):
    held = editor_api.get("comments", {"status": "hold", "context": "edit"}).json()
    assert [c["id"] for c in held] == [discussion["held"].pk]
    assert held[0]["author_email"] == "spam@example.org" and held[0]["author_ip"] == "192.0.2.3"
    assert held[0]["status"] == "hold"


def test_moderation(editor_api, author_api, discussion):
    held = discussion["held"]
    assert_wp_error(author_api.post(f"comments/{held.pk}", {"status": "approved"}), 403, "rest_cannot_edit")
    approved = editor_api.post(f"comments/{held.pk}", {"status": "approved"}).json()
    assert approved["status"] == "approved"
    held.refresh_from_db()
    assert held.status == CommentStatus.APPROVED and "by eddie" in held.reason
    assert_wp_error(
        editor_api.post(f"comments/{held.pk}", {"content": "Rewritten"}), 400, "rest_invalid_param"
    )
    assert_wp_error(editor_api.post(f"comments/{held.pk}", {"status": "maybe"}), 400, "rest_invalid_param")
    trashed = editor_api.delete(f"comments/{held.pk}").json()
    assert trashed["status"] == "trash"
    assert_wp_error(editor_api.delete(f"comments/{held.pk}"), 410, "rest_already_trashed")
    gone = editor_api.delete(f"comments/{discussion['approved'].pk}", "?force=true").json()
    assert gone["deleted"] is True
    discussion["reply"].refresh_from_db()
    assert discussion["reply"].parent is None  # replies move up a level


def test_post_authors_moderate_their_own_posts(client, discussion):
    from byline.api.passwords import create_app_password
    from tests.api.api_helpers import Api

    writer = discussion["post"].author
    writer.profile.role = "author"
    writer.profile.save()
    _record, password = create_app_password(writer, "tests")
    mara = Api(client, writer, password)
    assert mara.post(f"comments/{discussion['held'].pk}", {"status": "spam"}).json()["status"] == "spam"


def test_signed_in_users_comment_through_the_services(author_api, discussion):
    response = author_api.post(
        "comments", {"post": discussion["post"].pk, "content": "<p>Hi <script>x</script></p>"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    comment = Comment.objects.get(pk=body["id"])
    assert comment.user == author_api.user and comment.author_name == "Arthur"
    assert "<script" not in comment.content  # the comment sanitiser ran
    assert comment.author_ip == "127.0.0.1"
    duplicate = author_api.post(
        "comments", {"post": discussion["post"].pk, "content": "<p>Hi <script>x</script></p>"}
    )
    assert_wp_error(duplicate, 409, "comment_duplicate")


def test_anonymous_comments_need_the_option(api, discussion):
    post = discussion["post"]
    body = {"post": post.pk, "author_name": "Visitor", "author_email": "v@example.org", "content": "Hello"}
    before = Comment.objects.count()
    assert_wp_error(api.post("comments", body), 401, "rest_comment_login_required")
    assert Comment.objects.count() == before
    set_option("rest_allow_anonymous_comments", "1")
    created = api.post("comments", body)
    assert created.status_code == 201, created.content
    assert "v@example.org" not in created.content.decode()
    assert created.json()["status"] in ("hold", "approved")
    assert_wp_error(
        api.post("comments", {**body, "author_email": ""}), 400, "rest_comment_author_data_required"
    )
    assert_wp_error(
        api.post("comments", {**body, "author_email": "not an email", "content": "x2"}),
        400,
        "rest_invalid_param",
    )
    assert_wp_error(
        api.post("comments", {**body, "status": "approved", "content": "x3"}),
        401,
        "rest_comment_invalid_status",
    )
    assert_wp_error(api.post("comments", {**body, "content": "   "}), 400, "rest_comment_content_invalid")
    assert_wp_error(
        api.post("comments", {**body, "author_name": "x" * 300, "content": "x4"}),
        400,
        "comment_author_column_length",
    )
    assert Comment.objects.count() == before + 1


def test_where_comments_cannot_go(editor_api, discussion):
    draft = make_post("Draft", status=Status.DRAFT, author=editor_api.user)
    closed = make_post("Closed", comment_status="closed")
    assert_wp_error(editor_api.post("comments", {"content": "x"}), 403, "rest_comment_invalid_post_id")
    assert_wp_error(
        editor_api.post("comments", {"post": 999999, "content": "x"}), 403, "rest_comment_invalid_post_id"
    )
    assert_wp_error(
        editor_api.post("comments", {"post": draft.pk, "content": "x"}), 403, "rest_comment_draft_post"
    )
    assert_wp_error(
        editor_api.post("comments", {"post": closed.pk, "content": "x"}), 403, "rest_comment_closed"
    )
    bad_ip = editor_api.post(
        "comments", {"post": discussion["post"].pk, "author_ip": "300.1.1.1", "content": "x"}
    )
    assert_wp_error(bad_ip, 400, "rest_invalid_param")
    assert_wp_error(
        editor_api.post("comments", {"post": discussion["post"].pk, "parent": 999999, "content": "x"}),
        400,
        "rest_comment_invalid_parent",
    )


def test_embedded_replies_and_post(api, discussion):
    post = api.get(f"posts/{discussion['post'].pk}", {"_embed": "replies"}).json()
    assert {c["id"] for c in post["_embedded"]["replies"][0]} == {
        discussion["approved"].pk,
        discussion["reply"].pk,
    }
    assert "author_email" not in post["_embedded"]["replies"][0][0]
    comment = api.get(f"comments/{discussion['reply'].pk}", {"_embed": "1"}).json()
    assert comment["_embedded"]["up"][0]["id"] == discussion["post"].pk
    assert comment["_embedded"]["in-reply-to"][0]["id"] == discussion["approved"].pk


def test_comment_list_query_count_is_flat(api, discussion):
    post = discussion["post"]

    def count(extra: int) -> int:
        for i in range(extra):
            Comment.objects.create(
                post=post,
                parent=discussion["approved"],
                author_name=f"R{i}",
                content=f"<p>{i}</p>",
                status=CommentStatus.APPROVED,
            )
        with CaptureQueriesContext(connection) as queries:
            response = api.get("comments", {"per_page": 100, "_embed": "1"})
        assert response.status_code == 200
        return len(queries)

    assert count(1) == count(30)


def test_user_agents_are_stored_clean_and_capped(api, editor_api, discussion):
    set_option("rest_allow_anonymous_comments", "1")
    post = discussion["post"]
    body = {"post": post.pk, "author_name": "Visitor", "author_email": "v@example.org"}

    hostile = "Agent\x01\x1b[2J\ud800/1.0\r\n" + "y" * 10_000
    created = api.post("comments", {**body, "content": "From the header."}, HTTP_USER_AGENT=hostile)
    assert created.status_code == 201, created.content
    assert Comment.objects.get(pk=created.json()["id"]).user_agent == ("Agent[2J/1.0 " + "y" * 10_000)[:255]

    # A moderator may name the agent (WordPress's author_user_agent): cleaned and capped the same.
    named = editor_api.post(
        "comments", {**body, "content": "Named.", "author_user_agent": "Named/2.0 " + "z" * 10_000}
    )
    assert named.status_code == 201, named.content
    assert Comment.objects.get(pk=named.json()["id"]).user_agent == ("Named/2.0 " + "z" * 10_000)[:255]
    assert_wp_error(
        editor_api.post("comments", {**body, "content": "Bad.", "author_user_agent": "Bad\x07/1.0"}),
        400,
        "rest_invalid_param",
    )
