"""The desk's view of the queue: what waits, runs, failed and was done lately, in people's words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import SuspiciousOperation
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import TaskProgress
from .retry import is_permanent, max_attempts

SHOWN = 50  # rows per section
DONE_FOR = timedelta(days=1)  # "done recently"


@dataclass
class TaskRow:
    id: str
    label: str
    about: str
    status: str  # READY, RUNNING, FAILED, SUCCESSFUL
    attempts: int
    max_attempts: int
    enqueued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    next_try: datetime | None  # a retry waiting for its time
    error: str  # the last attempt's error, one line
    traceback: str
    progress: TaskProgress | None
    result: object
    permanent: bool  # failed in a way another attempt would repeat (a broken file)

    @property
    def progress_status(self) -> dict:
        return status_json(self)

    @property
    def status_label(self) -> str:
        if self.status == TaskResultStatus.READY:
            return "Waiting to retry" if self.attempts else "Pending"
        return {"RUNNING": "Running", "FAILED": "Failed", "SUCCESSFUL": "Done"}.get(self.status, self.status)


def error_line(row: DBTaskResult) -> str:
    """The exception's message from the stored traceback, without the class's module path."""
    lines = [line for line in row.traceback.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    last = lines[-1]
    name = row.exception_class_path.rsplit(".", 1)[-1]
    for prefix in (row.exception_class_path + ": ", name + ": "):
        if last.startswith(prefix):
            return last[len(prefix) :]
    return last


def _row(db: DBTaskResult, progress: dict) -> TaskRow:
    try:
        func = db.task.func
        label = getattr(func, "byline_label", db.task_name)
        describe = getattr(func, "byline_describe", None)
    except (ImportError, SuspiciousOperation):
        label, describe = db.task_path, None
    args = db.args_kwargs or {}
    try:
        about = describe(*args.get("args", []), **args.get("kwargs", {})) if describe else ""
    except TypeError:
        about = ""
    run_after = db.run_after if db.run_after != get_date_max() else None
    return TaskRow(
        id=str(db.id),
        label=label,
        about=about,
        status=db.status,
        attempts=len(db.worker_ids),
        max_attempts=max_attempts(db),
        enqueued_at=db.enqueued_at,
        started_at=db.started_at,
        finished_at=db.finished_at,
        next_try=run_after if run_after and run_after > timezone.now() else None,
        error=error_line(db) if db.traceback else "",
        traceback=db.traceback,
        progress=progress.get(db.id),
        result=db.return_value,
        permanent=db.status == TaskResultStatus.FAILED and is_permanent(db.exception_class_path),
    )


def rows(queryset) -> list[TaskRow]:
    found = list(queryset)
    progress = {p.task_id: p for p in TaskProgress.objects.filter(task_id__in=[r.id for r in found])}
    return [_row(db, progress) for db in found]


def task_row(task_id) -> TaskRow | None:
    found = rows(DBTaskResult.objects.filter(pk=task_id))
    return found[0] if found else None


def desk_sections() -> list[tuple[str, str, list[TaskRow]]]:
    """(key, heading, rows) for the Tasks page: running, pending, failed, done recently."""
    tasks = DBTaskResult.objects.all()
    since = timezone.now() - DONE_FOR
    return [
        (
            "running",
            "Running",
            rows(tasks.filter(status=TaskResultStatus.RUNNING).order_by("started_at")[:SHOWN]),
        ),
        (
            "pending",
            "Pending",
            rows(tasks.filter(status=TaskResultStatus.READY).order_by("run_after", "enqueued_at")[:SHOWN]),
        ),
        (
            "failed",
            "Failed",
            rows(tasks.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")[:SHOWN]),
        ),
        (
            "done",
            "Done recently",
            rows(
                tasks.filter(status=TaskResultStatus.SUCCESSFUL, finished_at__gte=since).order_by(
                    "-finished_at"
                )[:SHOWN]
            ),
        ),
    ]


def status_json(row: TaskRow) -> dict:
    """What the import page polls: status, counts done of total, the error."""
    progress = row.progress
    return {
        "id": row.id,
        "status": row.status,
        "status_label": row.status_label,
        "attempts": row.attempts,
        "finished": row.status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL),
        "stage": progress.stage if progress else "",
        "done": progress.done if progress else {},
        "total": progress.total if progress else {},
        "fraction": progress.fraction if progress else 0.0,
        "error": row.error if row.status == TaskResultStatus.FAILED else "",
    }
