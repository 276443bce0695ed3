"""Retries with backoff, which django-tasks leaves to its user.

django-tasks-db marks a task that raised as FAILED and sends `task_finished`; `after_task`
then puts it back in the queue (READY, with `run_after` pushed out) while attempts remain.
The row keeps its traceback meanwhile, so the desk shows why the last attempt failed, and
`worker_ids` grows by one per attempt: django-tasks' own `TaskResult.attempts` counts them.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from . import PermanentFailure

log = logging.getLogger(__name__)
MAX_DELAY = timedelta(hours=6)


def delay_after(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 30 s, 2 min, 8 min, … (×4), at most 6 h."""
    base = float(getattr(settings, "BYLINE_TASK_RETRY_SECONDS", 30))
    return min(timedelta(seconds=base * 4 ** max(0, attempts - 1)), MAX_DELAY)


def max_attempts(db_result: DBTaskResult) -> int:
    try:
        return db_result.task.func.byline_max_attempts
    except (ImportError, AttributeError, SuspiciousOperation):
        return 1  # not a Byline task, or its code is gone: one attempt, as django-tasks does


def is_permanent(exception_class_path: str) -> bool:
    try:
        cls = import_string(exception_class_path)
    except ImportError:
        return False
    return isinstance(cls, type) and issubclass(cls, PermanentFailure)


def after_task(sender, task_result, **kwargs) -> None:
    """`task_finished`: a failed attempt with attempts left goes back in the queue, later."""
    db_result = getattr(task_result, "db_result", None)
    if db_result is None or task_result.status != TaskResultStatus.FAILED:
        return
    attempts = len(db_result.worker_ids)
    if attempts >= max_attempts(db_result) or is_permanent(db_result.exception_class_path):
        return
    when = timezone.now() + delay_after(attempts)
    DBTaskResult.objects.filter(pk=db_result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=when, finished_at=None
    )
    log.warning("task %s failed (attempt %d); trying again at %s", db_result.task_path, attempts, when)


def retry_now(task_id) -> bool:
    """The desk's "Retry": a failed task runs again as soon as a worker is free, attempts afresh."""
    return bool(
        DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=get_date_max(), finished_at=None, worker_ids=[]
        )
    )
