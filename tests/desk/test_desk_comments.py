"""/wp-admin/edit-comments.php: opens on Pending; one-click decisions; history and reason; bulk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from byline.comments.models import Comment, CommentStatus
from tests.factories import make_post

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def comment(post, status=CommentStatus.PENDING, email="reader@example.org", text="Is this true?", **fields):
    return Comment.objects.create(
        post=post,
        author_name=fields.pop("name", "Reader"),
        author_email=email,
        content=f"<p>{text}</p>",
        status=status,
        reason=fields.pop("reason", "held: contains the moderation word “casino”"),
        **fields,
    )


def rows(response):
    return html.fromstring(response.content.decode()).xpath("//li[contains(@class, 'comment-row')]")


def test_opens_on_pending_with_post_history_and_reason(signed_in):
    client, _ = signed_in("editor", "eda")
    post = make_post("Quay plan")
    for _ in range(3):
        comment(post, status=CommentStatus.APPROVED, text="Earlier")
    held = comment(post, text="Casino on the quay?")
    comment(post, status=CommentStatus.APPROVED, text="Later")
    r = client.get("/wp-admin/edit-comments.php")
    page = html.fromstring(r.content.decode())
    assert (
        page.xpath("//nav[@class='tabs']//a[@aria-current='page']")[0].text_content().split()[0] == "Pending"
    )
    [row] = rows(r)
    assert row.get("id") == f"comment-{held.pk}"
    text = " ".join(row.text_content().split())
    assert "3 approved before" in text and "On Quay plan" in text
    assert "Why: held: contains the moderation word “casino”" in text
    labels = [b.text_content().strip() for b in row.xpath(".//button | .//summary")]
    assert labels[:5] == ["Approve", "Spam", "Trash", "Reply", "Send reply"] and "Edit" in labels


def test_one_click_approve_without_javascript(signed_in, client):
    editor, _ = signed_in("editor", "eda")
    post = make_post("Quay plan")
    held = comment(post, text="Worth publishing")
    r = editor.post(
        "/wp-admin/edit-comments.php", {"row_action": f"approve:{held.pk}", "back": "comment_status=pending"}
    )
    assert r["Location"] == "/wp-admin/edit-comments.php?comment_status=pending"
    held.refresh_from_db()
    assert held.status == CommentStatus.APPROVED
    assert "Worth publishing" in client.get("/2025/09/quay-plan/").content.decode()
    follow = editor.get(r["Location"])
    assert "1 comment approved." in follow.content.decode() and rows(follow) == []


@pytest.mark.parametrize(
    ("action", "status"), [("spam", "spam"), ("trash", "trash"), ("unapprove", "pending")]
)
def test_row_actions_answer_json_with_the_new_pending_count(signed_in, action, status):
    client, _ = signed_in("editor", "eda")
    post = make_post("Quay plan")
    target = comment(post, status=CommentStatus.APPROVED if action == "unapprove" else CommentStatus.PENDING)
    comment(post)
    r = client.post("/wp-admin/edit-comments.php", {"row_action": f"{action}:{target.pk}"}, **JSON)
    assert r.status_code == 200
    target.refresh_from_db()
    assert target.status == status
    assert r.json()["pending"] == (2 if action == "unapprove" else 1)


def test_reply_approves_the_held_parent_and_edit_sanitises(signed_in, client):
    editor, eda = signed_in("editor", "eda")
    post = make_post("Quay plan")
    held = comment(post, text="When does work start?")
    r = editor.post(
        "/wp-admin/edit-comments.php", {"row_action": f"reply:{held.pk}", f"reply-{held.pk}": "In May."}
    )
    assert r.status_code == 302
    held.refresh_from_db()
    reply = Comment.objects.get(parent=held)
    assert (
        held.status == CommentStatus.APPROVED and reply.status == CommentStatus.APPROVED and reply.user == eda
    )
    editor.post(
        "/wp-admin/edit-comments.php",
        {"row_action": f"edit:{held.pk}", f"edit-{held.pk}": "When <script>x()</script>does work start?"},
    )
    held.refresh_from_db()
    assert "<script>" not in held.content and "does work start?" in held.content
    empty = editor.post(
        "/wp-admin/edit-comments.php", {"row_action": f"reply:{held.pk}", f"reply-{held.pk}": " "}
    )
    assert empty.status_code == 400 and "the text is empty" in empty.content.decode()


def test_bulk_approve_and_delete_from_the_trash(signed_in):
    client, _ = signed_in("editor", "eda")
    post = make_post("Quay plan")
    a, b = comment(post), comment(post, email="other@example.org")
    client.post("/wp-admin/edit-comments.php", {"action": "trash", "comment[]": [a.pk, b.pk]})
    assert set(Comment.objects.values_list("status", flat=True)) == {"trash"}
    client.post("/wp-admin/edit-comments.php", {"action": "delete", "comment[]": [a.pk]})
    assert list(Comment.objects.values_list("pk", flat=True)) == [b.pk]


def test_the_menu_count_and_tabs_cost_no_query_per_row(signed_in):
    client, _ = signed_in("editor", "eda")
    post = make_post("Quay plan")
    comment(post)
    with CaptureQueriesContext(connection) as few:
        client.get("/wp-admin/edit-comments.php")
    for i in range(8):
        comment(make_post(f"Post {i}"), email=f"r{i}@example.org")
    with CaptureQueriesContext(connection) as many:
        r = client.get("/wp-admin/edit-comments.php")
    assert len(many) == len(few) and len(rows(r)) == 9
    assert html.fromstring(r.content.decode()).xpath(
        "//nav[@id='desk-nav']//span[@class='count']/text()"
    ) == ["9"]


def test_an_author_moderates_only_comments_on_own_posts(signed_in, make_user):
    client, ola = signed_in("author", "ola")
    mine = comment(make_post("Mine", author=ola))
    theirs = comment(make_post("Theirs", author=make_user("author", "per")))
    assert [r.get("data-id") for r in rows(client.get("/wp-admin/edit-comments.php"))] == [str(mine.pk)]
    r = client.post("/wp-admin/edit-comments.php", {"row_action": f"approve:{theirs.pk}"})
    assert r.status_code == 403 and "may not moderate" in r.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == CommentStatus.PENDING


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"row_action": "explode:1"}, 400, "Unknown action"),
        ({"action": "approve"}, 400, "Tick at least one comment"),
        ({"row_action": "approve:999999"}, 404, "no longer exists"),
        ({"row_action": "approve:abc"}, 400, "Tick at least one comment"),
    ],
)
def test_bad_moderation_requests_change_nothing(signed_in, data, status, message):
    client, _ = signed_in("editor", "eda")
    held = comment(make_post("Quay plan"))
    r = client.post("/wp-admin/edit-comments.php", data, **JSON)
    assert r.status_code == status and message in r.json()["message"]
    held.refresh_from_db()
    assert held.status == CommentStatus.PENDING


def test_a_refused_reply_leaves_the_parent_held(signed_in):
    client, _ = signed_in("editor", "eda")
    post = make_post("Closed thread", comment_status="closed")
    held = comment(post)
    r = client.post(
        "/wp-admin/edit-comments.php", {"row_action": f"reply:{held.pk}", f"reply-{held.pk}": "Thanks"}
    )
    assert r.status_code == 403 and "comments are closed" in r.content.decode()
    held.refresh_from_db()
    assert held.status == CommentStatus.PENDING and not Comment.objects.filter(parent=held).exists()
