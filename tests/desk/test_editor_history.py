"""Revisions compared and restored, the post lock, Press This, and the editor page's query count."""

import json
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from byline.content import services
from byline.content.models import Post, Revision
from byline.desk.editor import locks

pytestmark = pytest.mark.django_db


def writer(username, role="editor"):
    user = services.create_user(
        username, email=f"{username}@example.org", role=role, display_name=username.title()
    )
    client = Client()
    client.force_login(user)
    return client


def send(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_revisions_show_a_word_diff_and_restore_without_touching_the_live_post():
    ed = writer("ed")
    first = send(
        ed, "/wp-admin/post.php", {"action": "publish", "title": "T", "body": "<p>The old quay</p>"}
    ).json()
    send(
        ed,
        "/wp-admin/post.php",
        {"action": "update", "id": first["id"], "title": "T", "body": "<p>The new quay</p>"},
    )
    older, newer = Revision.objects.filter(kind="revision").order_by("created_at", "id")
    page = ed.get("/wp-admin/revision.php", {"revision": newer.pk}).content.decode()
    assert "<del>old</del>" in page and "<ins>new</ins>" in page
    assert "&lt;p&gt;" not in page  # words, never markup
    restored = ed.post(f"/wp-admin/revision.php?revision={older.pk}")
    editor = ed.get(restored["Location"]).content.decode()
    assert "The old quay" in editor and "Nothing public changes until you press Update." in editor
    assert Post.objects.get().body == "<p>The new quay</p>"


def test_a_second_editor_is_told_who_is_editing_and_may_take_over():
    ed, ana = writer("ed"), writer("ana")
    post = send(ed, "/wp-admin/post.php", {"action": "draft", "title": "Shared", "body": "<p>a</p>"}).json()
    ed.get("/wp-admin/post.php", {"post": post["id"], "action": "edit"})
    page = ana.get("/wp-admin/post.php", {"post": post["id"], "action": "edit"}).content.decode()
    assert "<strong>Ed</strong> is editing this post now." in page
    refused = send(ana, "/wp-admin/post.php", {"action": "draft", "id": post["id"], "title": "Mine"})
    assert (refused.status_code, refused.json()["message"].split(";")[0]) == (
        423,
        "Ed is editing this post now",
    )
    assert send(ana, "/wp-admin/editor/take-over", {"id": post["id"]}).json()["ok"]
    told = send(ed, "/wp-admin/post.php", {"action": "draft", "id": post["id"], "title": "His"})
    assert told.status_code == 423
    assert told.json()["message"] == (
        "Ana is editing this post now; take over to save. Your text is kept here; nothing was saved."
    )
    assert Post.objects.get().title == "Shared"


def test_an_autosave_keeps_a_live_post_unchanged_and_is_offered_on_reopening():
    ed = writer("ed")
    post = send(
        ed, "/wp-admin/post.php", {"action": "publish", "title": "Live", "body": "<p>Public</p>"}
    ).json()
    send(ed, "/wp-admin/editor/autosave", {"id": post["id"], "title": "Live", "body": "<p>Half-written</p>"})
    assert Post.objects.get().body == "<p>Public</p>"
    page = ed.get("/wp-admin/post.php", {"post": post["id"], "action": "edit"}).content.decode()
    assert "Restore the autosave" in page and "Half-written" in page


def test_a_new_post_is_kept_as_a_draft_by_its_first_autosave():
    ed = writer("ed")
    answer = send(ed, "/wp-admin/editor/autosave", {"title": "", "body": "<p>Just words</p>"}).json()
    post = Post.objects.get(pk=answer["id"])
    assert (post.status, post.title, post.body) == ("draft", "(no title)", "<p>Just words</p>")
    assert answer["edit_url"] == f"/wp-admin/post.php?post={post.pk}&action=edit"


def test_press_this_opens_a_draft_with_a_clipping_of_the_page():
    ed = writer("ed")
    page = ed.get(
        "/wp-admin/post-new.php",
        {
            "clip_url": "https://courier.example.org/q",
            "clip_title": "Quay sold",
            "clip_text": "Councillors were told.",
        },
    ).content.decode()
    state = json.loads(
        re.search(r'<script id="editor-state" type="application/json">(.*?)</script>', page).group(1)
    )
    assert state["id"] is None  # nothing stored until the writer saves
    assert state["body"].startswith(
        '<blockquote class="clipping h-cite" cite="https://courier.example.org/q">'
    )
    assert "<p>Councillors were told.</p>" in state["body"]
    assert '<a class="u-url p-name" href="https://courier.example.org/q">Quay sold</a></p>' in state["body"]


def test_the_editor_page_costs_a_bounded_number_of_queries():
    ed = writer("ed")
    post = send(
        ed, "/wp-admin/post.php", {"action": "publish", "title": "Q", "body": "<p>a</p>", "tags": ["x", "y"]}
    )
    url = f"/wp-admin/post.php?post={post.json()['id']}&action=edit"
    ed.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert ed.get(url).status_code == 200
    assert len(queries) <= 22


def test_someone_elses_post_is_refused_to_a_contributor():
    ed, cora = writer("ed"), writer("cora", role="contributor")
    post = send(ed, "/wp-admin/post.php", {"action": "draft", "title": "Ed's", "body": "<p>a</p>"}).json()
    assert cora.get("/wp-admin/post.php", {"post": post["id"], "action": "edit"}).status_code == 403
    assert (
        send(cora, "/wp-admin/post.php", {"action": "draft", "id": post["id"], "title": "x"}).status_code
        == 403
    )
    assert cora.get("/wp-admin/post.php", {"post": 99999, "action": "edit"}).status_code == 404


def test_the_address_is_shown_with_its_date_before_the_first_save():
    from django.utils import timezone

    from byline.content.permalinks import local

    ed = writer("ed")
    page = ed.get("/wp-admin/post-new.php").content.decode()
    now = local(timezone.now())
    assert f'id="ed-address-base">http://testserver/{now:%Y}/{now:%m}/</span>' in page
    page = ed.get("/wp-admin/post-new.php", {"post_type": "page"}).content.decode()
    assert 'id="ed-address-base">http://testserver/</span>' in page


def test_the_open_editors_heartbeat_keeps_the_lock_past_150_seconds(monkeypatch):
    """An idle open editor keeps its post: the page's beat renews the lock, a closed one lets it lapse."""
    clock = [1_000_000.0]
    monkeypatch.setattr(locks, "time", SimpleNamespace(time=lambda: clock[0]))
    ed, ana = writer("ed"), writer("ana")
    post = send(ed, "/wp-admin/post.php", {"action": "draft", "title": "Idle", "body": "<p>a</p>"}).json()
    ed.get("/wp-admin/post.php", {"post": post["id"], "action": "edit"})
    clock[0] += 100
    assert send(ed, "/wp-admin/editor/heartbeat", {"id": post["id"]}).json() == {"ok": True}
    clock[0] += 100  # 200 s after opening, 100 s after the beat
    page = ana.get("/wp-admin/post.php", {"post": post["id"], "action": "edit"}).content.decode()
    assert "<strong>Ed</strong> is editing this post now." in page
    # Ana's beat does not take the post from Ed; it tells her who has it.
    beat = send(ana, "/wp-admin/editor/heartbeat", {"id": post["id"]})
    assert beat.status_code == 423 and beat.json()["message"].startswith("Ed is editing this post")
    clock[0] += 151  # Ed's tab closed: no beat, the lock lapses
    page = ana.get("/wp-admin/post.php", {"post": post["id"], "action": "edit"}).content.decode()
    assert "is editing this post now" not in page


def test_the_editor_script_beats_while_open():
    ed = writer("ed")
    page = ed.get("/wp-admin/post-new.php").content.decode()
    script = re.search(r'<script type="module" src="([^"]+editor\.js)"', page).group(1)
    assert "/wp-admin/editor/heartbeat" in Client().get(script).getvalue().decode()


def test_bad_heartbeats_get_a_clear_answer():
    ed, cora = writer("ed"), writer("cora", role="contributor")
    post = send(ed, "/wp-admin/post.php", {"action": "draft", "title": "Ed's", "body": "<p>a</p>"}).json()
    assert send(ed, "/wp-admin/editor/heartbeat", {"id": "nonsense"}).status_code == 404
    refused = send(cora, "/wp-admin/editor/heartbeat", {"id": post["id"]})
    assert refused.status_code == 403 and refused.json()["message"] == "You cannot edit this post."
