"""The owner's side: the moderation queue, and the privacy tools (admin and `byline privacy`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html

from byline.comments.models import Comment
from byline.comments.services import erase_personal_data, export_personal_data
from tests.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def comments():
    post = make_post("Queue test", comment_status="open")
    rows = [
        Comment.objects.create(
            post=post,
            author_name=f"R{i}",
            author_email=f"r{i}@example.org",
            author_ip="203.0.113.9",
            content=f"<p>Text {i}</p>",
            status=status,
            reason=f"held: reason {i}",
        )
        for i, status in enumerate(["pending", "pending", "approved", "spam", "trash"])
    ]
    return post, rows


def test_queue_shows_counts_reasons_and_filters(admin_client, comments):
    page = admin_client.get("/admin/comments/comment/")
    text = " ".join(html.fromstring(page.content).text_content().split())
    assert "Pending (2)" in text and "Approved (1)" in text and "Spam (1)" in text and "Trash (1)" in text
    assert "held: reason 0" in text
    assert "Text 3" not in text  # spam and trash are not in "All"
    spam = admin_client.get("/admin/comments/comment/?status__exact=spam").content.decode()
    assert "Text 3" in spam and "Text 0" not in spam
    found = admin_client.get("/admin/comments/comment/?q=r1%40example").content.decode()
    assert "Text 1" in found and "Text 0" not in found


@pytest.mark.parametrize(
    "action,status",
    [("approve", "approved"), ("mark_spam", "spam"), ("trash", "trash"), ("unapprove", "pending")],
)
def test_bulk_actions(admin_client, comments, action, status):
    _, rows = comments
    ids = [rows[0].pk, rows[2].pk]
    r = admin_client.post("/admin/comments/comment/", {"action": action, "_selected_action": ids})
    assert r.status_code == 302
    assert set(Comment.objects.filter(pk__in=ids).values_list("status", flat=True)) == {status}
    changed = Comment.objects.filter(pk__in=ids).exclude(reason__startswith="held")
    assert all("by admin" in c.reason for c in changed)


def test_approving_makes_it_public(admin_client, client, comments):
    post, rows = comments
    from byline.content.permalinks import permalink_for

    assert "Text 0" not in client.get(permalink_for(post)).content.decode()
    admin_client.post("/admin/comments/comment/", {"action": "approve", "_selected_action": [rows[0].pk]})
    assert "Text 0" in client.get(permalink_for(post)).content.decode()


def test_authors_without_moderation_rights_do_not_see_the_queue(client, comments):
    from byline.content.services import create_user

    author = create_user("scribe", email="s@example.org", role="author", password="long enough pw")
    client.force_login(author)
    assert client.get("/admin/comments/comment/").status_code == 403


def test_export_and_erase_one_commenter(comments):
    exported = export_personal_data("R0@EXAMPLE.ORG")
    assert [e["author_ip"] for e in exported] == ["203.0.113.9"]
    assert exported[0]["content"] == "<p>Text 0</p>"
    assert erase_personal_data("r0@example.org") == 1
    erased = Comment.objects.get(content="<p>Text 0</p>")
    assert (erased.author_name, erased.author_email, erased.author_ip, erased.author_url) == (
        "Anonymous",
        "",
        None,
        "",
    )
    assert export_personal_data("r0@example.org") == []
    assert Comment.objects.filter(author_email="r1@example.org").exists()  # nobody else touched


def test_privacy_page_in_the_admin(admin_client, comments):
    r = admin_client.post("/admin/comments/comment/privacy/", {"email": "r1@example.org", "action": "export"})
    assert r.status_code == 200 and json.loads(r.content)["comments"][0]["author_name"] == "R1"
    admin_client.post("/admin/comments/comment/privacy/", {"email": "r1@example.org", "action": "erase"})
    assert not Comment.objects.filter(author_email="r1@example.org").exists()


def test_privacy_commands(tmp_path):
    byline = str(Path(sys.executable).with_name("byline"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    data = str(tmp_path / "site")

    def run(*args):
        return subprocess.run(
            [byline, *args, "--data", data], capture_output=True, text=True, env=env, check=True, timeout=120
        ).stdout

    run("init")
    code = (
        "from byline.comments.models import Comment; from tests.factories import make_post; "
        "p = make_post('P', comment_status='open'); "
        "Comment.objects.create(post=p, author_name='Kim', author_email='kim@example.org', "
        "author_ip='198.51.100.7', content='<p>hi</p>', status='approved')"
    )
    subprocess.run(
        [byline, "manage", "shell", "-c", code, "--data", data],
        env={**env, "PYTHONPATH": os.getcwd()},
        check=True,
        capture_output=True,
        timeout=120,
    )
    out = json.loads(run("privacy", "export", "kim@example.org"))
    assert out["comments"][0]["author_ip"] == "198.51.100.7"
    assert "Anonymised 1 comment by kim@example.org." in run("privacy", "erase", "kim@example.org")
    assert json.loads(run("privacy", "export", "kim@example.org"))["comments"] == []
