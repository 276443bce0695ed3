"""A WordPress import started from the desk or the admin runs here, in the worker.

The request stores the uploaded file in the data directory's `imports/` folder and records
the task; it answers at once. The task reads the whole file first, counting what it holds
(the progress bar's totals): a broken file fails the task there, with its line and the
problem, before anything is written. Then it imports, committing about every half second so
that the site keeps taking comments, and updates the task's `TaskProgress` after each batch.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from byline.tasks import IMPORTS_QUEUE, PermanentFailure, background, defer
from byline.tasks.models import TaskProgress

from .loader import count_records, import_wxr
from .reader import WXRError

BATCH_SECONDS = 0.5


class ImportRefused(PermanentFailure):
    """The file is not a WordPress export Byline can read: another attempt would fail the same way."""


def imports_dir() -> Path:
    return Path(settings.BYLINE_IMPORTS_DIR)


def _describe(stored: str, name: str, user_id=None, dry_run: bool = False) -> str:
    return f"{name}{' (dry run)' if dry_run else ''}"


def start_import(upload, *, user, dry_run: bool = False):
    """Keep the uploaded file and record its import; returns django-tasks' result (its `id`)."""
    folder = imports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}.xml"
    with (folder / stored).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    name = Path(upload.name or "export.xml").name[:200]
    return defer(import_file, stored, name, user.pk if user else None, dry_run)


@background(
    label="WordPress import",
    max_attempts=3,
    queue_name=IMPORTS_QUEUE,
    describe=_describe,
    takes_context=True,
)
def import_file(context, stored: str, name: str, user_id: int | None = None, dry_run: bool = False) -> dict:
    """Import one uploaded export; the return value is the report the desk shows."""
    path = imports_dir() / Path(stored).name
    if not path.is_file():
        raise ImportRefused(f"{name}: the uploaded file is no longer on the server; upload it again.")
    task_id = context.task_result.id
    progress, _ = TaskProgress.objects.update_or_create(
        task_id=task_id, defaults={"stage": "Reading the file", "done": {}, "total": {}}
    )
    try:
        totals = count_records(path)
    except WXRError as refusal:
        raise ImportRefused(f"{name}: {refusal}. Nothing was imported.") from None
    progress.total, progress.stage = totals, "Importing"
    progress.done = dict.fromkeys(totals, 0)
    progress.save()

    def on_batch(counts: dict[str, int]) -> None:
        TaskProgress.objects.filter(task_id=task_id).update(done=counts)

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    report = import_wxr(
        path,
        dry_run=dry_run,
        default_author=user,
        name=name,
        batch_seconds=BATCH_SECONDS,
        on_batch=on_batch,
    )
    TaskProgress.objects.filter(task_id=task_id).update(done=totals, stage="Done")
    path.unlink(missing_ok=True)  # kept until now so that a failed import can be retried
    return {"lines": report.lines(), "ok": report.ok}
