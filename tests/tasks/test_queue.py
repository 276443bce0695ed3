"""Work off the request path: what a request records, what the worker does with it, retries,
failures shown in the desk and "Retry" there. Real database, the real worker loop in-process."""

from __future__ import annotations

import io
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from lxml import html
from PIL import Image

from byline.comments.models import Comment
from byline.content.models import Media, Post
from byline.content.services import create_media, create_user, save_post
from byline.options.store import set_option
from byline.signals import site_changed_later
from byline.tasks.mail import send_email
from tests.factories import make_post


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def post(db):
    author = create_user("mara", email="mara@example.org", role="author", password="x" * 20)
    return make_post(title="Talk of the town", author=author)


def comment_on(post: Post, text: str) -> int:
    set_option("captcha_enabled", "0")
    client = Client()
    from byline.content.permalinks import permalink_for

    url = permalink_for(post)
    page = html.fromstring(client.get(url).content)
    fields = {
        i.get("name"): i.get("value") or ""
        for i in page.xpath("//form[@id='commentform']//input")
        if i.get("name")
    }
    fields.update(author="Ada Reader", email="ada@example.net", comment=text)
    return client.post("/wp-comments-post.php", fields).status_code


def test_a_comment_notice_is_recorded_by_the_request_and_sent_by_the_worker(post, run_tasks):
    set_option("comments_notify", "1")
    set_option("comment_previously_approved", "0")
    assert comment_on(post, "First!") == 303
    assert Comment.objects.count() == 1
    waiting = DBTaskResult.objects.get()
    assert waiting.status == "READY" and waiting.task_path == "byline.tasks.mail.send_email"
    assert mail.outbox == []  # the request answered before any mail was sent
    run_tasks()
    assert [m.to for m in mail.outbox] == [["mara@example.org"]]
    assert 'Comment: "Talk of the town"' in mail.outbox[0].subject
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_failing_task_is_retried_with_growing_waits_then_shown_failed_and_retried_by_hand(
    db, settings, admin_client, run_tasks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()  # a mail server that is down
    settings.BYLINE_TASK_RETRY_SECONDS = 30
    result = send_email.enqueue("Hello", "Body", ["reader@example.net"])
    waits = []
    for attempt in range(1, 7):
        before = timezone.now()
        run_tasks()
        row = DBTaskResult.objects.get(pk=result.id)
        assert len(row.worker_ids) == attempt
        if attempt < 6:
            assert row.status == "READY"  # queued again, not failed
            waits.append(round((row.run_after - before).total_seconds()))
            assert "Connection refused" in row.traceback
            # Time passes: the retry is due.
            DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    assert row.status == "FAILED"
    assert [w // 10 * 10 for w in waits] == [30, 120, 480, 1920, 7680]  # 30 s × 4 each time

    page = admin_client.get("/wp-admin/tasks.php").content.decode()
    failed = html.fromstring(page).xpath("//section[contains(@class,'task-section-failed')]")[0]
    text = " ".join(failed.text_content().split())
    assert "Email: “Hello” to 1 recipient" in text
    assert "reader@example.net" not in page  # recipients are never shown
    assert "Error: [Errno 111] Connection refused" in text and "attempt 6 of 6" in text
    assert failed.xpath(".//button[text()='Retry']")

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back
    response = admin_client.post("/wp-admin/tasks.php", {"task": str(result.id)})
    assert response.status_code == 302
    assert "will run again" in admin_client.get("/wp-admin/tasks.php").content.decode()
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    run_tasks()
    assert [m.subject for m in mail.outbox] == ["Hello"]
    page = html.fromstring(admin_client.get("/wp-admin/tasks.php").content)
    done = " ".join(page.xpath("//section[contains(@class,'task-section-done')]")[0].text_content().split())
    assert "Email: “Hello” to 1 recipient" in done and "Done" in done


def test_the_tasks_page_is_for_administrators_only(db):
    create_user("ed", email="ed@example.org", role="editor", password="harbour-light-77-quay")
    client = Client()
    assert (
        client.post("/wp-login.php", {"username": "ed", "password": "harbour-light-77-quay"}).status_code
        == 302
    )
    assert client.get("/wp-admin/tasks.php").status_code == 403
    assert client.get("/wp-admin/import.php").status_code == 403
    assert "Tasks" not in [
        a.text for a in html.fromstring(client.get("/wp-admin/").content).xpath("//nav//a")
    ]
    assert Client().get("/wp-admin/tasks.php")["Location"].startswith("/wp-login.php")


def test_retry_of_a_task_that_did_not_fail_changes_nothing(admin_client, run_tasks):
    result = send_email.enqueue("Hello", "Body", ["reader@example.net"])
    admin_client.post("/wp-admin/tasks.php", {"task": str(result.id)})
    assert "has not failed" in admin_client.get("/wp-admin/tasks.php").content.decode()
    assert admin_client.post("/wp-admin/tasks.php", {"task": "not-a-task"}).status_code == 404


def jpeg(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buf, "JPEG")
    return buf.getvalue()


def test_a_large_photo_is_stored_at_once_and_its_thumbnails_come_from_the_worker(post, settings, run_tasks):
    settings.BYLINE_THUMBNAILS_LATER_PIXELS = 500_000
    photo = create_media(jpeg(1800, 1200), "quay.jpg")
    assert photo.sizes == [] and Media.objects.get().sizes == []
    assert DBTaskResult.objects.get().task_path == "byline.content.tasks.make_thumbnails_later"
    post.body = f"[media id={photo.pk}]"
    save_post(post)
    assert "1600w" not in Post.objects.get(pk=post.pk).content_html  # the original alone, for now
    run_tasks()
    sizes = Media.objects.get().sizes
    assert [s["width"] for s in sizes] == [320, 640, 1024, 1600]
    assert all((settings.MEDIA_ROOT / s["name"]).is_file() for s in sizes)
    assert "1600w" in Post.objects.get(pk=post.pk).content_html  # the post shows them now
    small = create_media(jpeg(600, 400), "small.jpg")
    assert small.sizes  # below the limit: made in the request, as before


def test_slow_purges_listen_to_site_changed_later_and_changes_coalesce(post, run_tasks):
    heard = []

    def listener(sender, reason, **kwargs):
        heard.append(reason)

    site_changed_later.connect(listener)
    try:
        save_post(post)
        save_post(post)  # a second change while the first purge waits: no second task
        purges = DBTaskResult.objects.filter(task_path="byline.tasks.purges.purge_later")
        assert purges.count() == 1 and heard == []
        run_tasks()
        assert heard == ["site changed"]
    finally:
        site_changed_later.disconnect(listener)
    save_post(post)  # nobody listens: nothing is queued
    assert (
        DBTaskResult.objects.filter(task_path="byline.tasks.purges.purge_later", status="READY").count() == 0
    )


def dead_pid() -> int:
    import subprocess

    done = subprocess.Popen(["true"])
    done.wait()
    return done.pid


def test_a_task_left_running_by_a_dead_worker_is_queued_again_or_failed_when_out_of_attempts(
    admin_client, run_tasks
):
    from byline.tasks.worker import HOST

    gone = f"{HOST}:{dead_pid()}:default"
    once = send_email.enqueue("Once", "Body", ["a@example.net"])
    spent = send_email.enqueue("Spent", "Body", ["b@example.net"])
    DBTaskResult.objects.filter(pk=once.id).update(status="RUNNING", worker_ids=[gone])
    DBTaskResult.objects.filter(pk=spent.id).update(status="RUNNING", worker_ids=[gone] * 6)
    elsewhere = send_email.enqueue("Elsewhere", "Body", ["c@example.net"])
    DBTaskResult.objects.filter(pk=elsewhere.id).update(status="RUNNING", worker_ids=["other-host:1:default"])

    run_tasks()
    assert DBTaskResult.objects.get(pk=once.id).status == "READY"  # waits for its retry
    assert DBTaskResult.objects.get(pk=elsewhere.id).status == "RUNNING"  # not ours to judge
    page = html.fromstring(admin_client.get("/wp-admin/tasks.php").content)
    failed = " ".join(
        page.xpath("//section[contains(@class,'task-section-failed')]")[0].text_content().split()
    )
    assert "Email: “Spent” to 1 recipient" in failed
    assert "Error: the worker running it (process" in failed and "stopped before it finished" in failed
