"""An import started from the desk: the request stores the file and records a task; the worker
imports it in batches with a progress record; a poisoned file fails the task, naming its line,
with the site untouched. Real database, the real worker loop in-process."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult
from lxml import html

from byline.comments.models import Comment
from byline.content.models import Media, Post
from byline.options.store import get_option
from tests.tasks.exports import write_export


def upload(admin_client, path, name="blog.xml"):
    response = admin_client.post(
        "/wp-admin/import.php", {"file": SimpleUploadedFile(name, path.read_bytes())}
    )
    assert response.status_code == 302
    return response["Location"]


def status(admin_client, page: str) -> dict:
    task = page.split("task=")[1]
    return admin_client.get(f"/wp-admin/task-status.json?task={task}", HTTP_ACCEPT="application/json").json()


def test_the_desk_import_page_records_a_task_and_shows_progress_then_the_report(
    admin_client, tmp_path, run_tasks, monkeypatch, settings
):
    export = tmp_path / "blog.xml"
    write_export(export, posts=60, comments_per_post=3, photos=4)
    from byline.wxr import tasks

    monkeypatch.setattr(tasks, "BATCH_SECONDS", 0.0)  # a batch per item: many progress records
    page = upload(admin_client, export)
    assert Post.objects.count() == 0  # nothing imported by the request
    first = status(admin_client, page)
    assert first["status"] == "READY" and first["finished"] is False and first["fraction"] == 0.0
    shown = html.fromstring(admin_client.get(page).content)
    assert shown.xpath("//progress") and shown.xpath("//*[@data-task-status]")
    assert shown.xpath("//script[@src]") and not shown.xpath(
        "//script[not(@src)]"
    )  # strict CSP: no inline script

    fractions = []
    real_on_batch = tasks.import_wxr

    def import_and_watch(*args, on_batch, **kwargs):
        def on_batch_and_poll(counts):
            on_batch(counts)
            fractions.append(status(admin_client, page)["fraction"])  # what the page's poll reads

        return real_on_batch(*args, on_batch=on_batch_and_poll, **kwargs)

    monkeypatch.setattr(tasks, "import_wxr", import_and_watch)
    run_tasks()
    assert len(fractions) > 10 and fractions == sorted(fractions) and 0 < fractions[len(fractions) // 2] < 1
    final = status(admin_client, page)
    assert final["status"] == "SUCCESSFUL" and final["fraction"] == 1.0
    assert final["done"] == final["total"] == {"posts": 60, "comments": 180, "photos": 4}
    assert Post.objects.count() == 60 and Comment.objects.count() == 180 and Media.objects.count() == 4
    report = " ".join(html.fromstring(admin_client.get(page).content).text_content().split())
    assert "The import is finished." in report and "Imported “Harbour Ledger” from blog.xml" in report
    assert not list(settings.BYLINE_IMPORTS_DIR.glob("*.xml"))  # the upload is removed once imported

    # The same file again: a re-run finds everything there and adds nothing.
    page = upload(admin_client, export)
    run_tasks()
    assert status(admin_client, page)["status"] == "SUCCESSFUL"
    assert Post.objects.count() == 60 and Comment.objects.count() == 180 and Media.objects.count() == 4


def test_a_poisoned_file_fails_its_task_with_the_line_and_the_site_is_untouched(
    admin_client, tmp_path, run_tasks
):
    good = tmp_path / "good.xml"
    write_export(good, posts=5, comments_per_post=1)
    run_tasks(), upload(admin_client, good), run_tasks()
    before = (Post.objects.count(), Comment.objects.count(), Media.objects.count(), get_option("blogname"))

    poisoned = tmp_path / "poisoned.xml"
    line = write_export(poisoned, posts=400, comments_per_post=2, poison_at=300)
    page = upload(admin_client, poisoned, name="poisoned.xml")
    run_tasks()
    task = DBTaskResult.objects.get(pk=page.split("task=")[1])
    assert task.status == "FAILED" and len(task.worker_ids) == 1  # no retry: the file would fail again
    assert (
        Post.objects.count(),
        Comment.objects.count(),
        Media.objects.count(),
        get_option("blogname"),
    ) == before
    failed = status(admin_client, page)
    assert failed["error"].startswith(f"poisoned.xml: line {line}: ")
    assert failed["error"].endswith("Nothing was imported.")
    shown = " ".join(html.fromstring(admin_client.get(page).content).text_content().split())
    assert f"The import failed: poisoned.xml: line {line}:" in shown
    assert "Correct the file and upload it again" in shown and "Retry" not in shown  # retrying cannot help
    tasks_page = " ".join(
        html.fromstring(admin_client.get("/wp-admin/tasks.php").content).text_content().split()
    )
    assert "WordPress import: poisoned.xml Failed" in tasks_page and f"line {line}" in tasks_page
