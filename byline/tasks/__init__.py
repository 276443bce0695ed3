"""Work off the request path: Django's tasks API (the `django-tasks` backport), stored in the
site's database by `django-tasks-db`, run by `byline worker` or the worker `byline serve` starts.

A Byline task is declared with `background(...)` and recorded with `defer(...)`. On top of the
library: a label for the desk's Tasks page, and retries with backoff (`retry.py`): a task that
raises is run again later, `max_attempts` times in all, unless it raised `PermanentFailure`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

try:  # Django 6 has the API itself; 5.2 takes it from the backport.
    from django.tasks import task as _task
except ImportError:  # pragma: no cover - which branch runs depends on Django's version
    from django_tasks import task as _task

DEFAULT_QUEUE = "default"
# Imports run on a queue of their own, so that a long one never holds up an email.
IMPORTS_QUEUE = "imports"
QUEUES = (DEFAULT_QUEUE, IMPORTS_QUEUE)


class PermanentFailure(Exception):
    """A failure that another attempt would repeat (a broken file): fail at once, no retry."""


def background(
    *,
    label: str,
    max_attempts: int = 5,
    queue_name: str = DEFAULT_QUEUE,
    describe: Callable[..., str] | None = None,
    takes_context: bool = False,
):
    """Make `func` a task: `label` names it in the desk, `describe(*args, **kwargs)` its arguments.

    `describe` must not show what the desk must not (a commenter's address): it is all the
    desk prints of the arguments.
    """

    def wrap(func):
        func.byline_label = label
        func.byline_max_attempts = max(1, max_attempts)
        func.byline_describe = describe
        return _task(queue_name=queue_name, takes_context=takes_context)(func)

    return wrap


def defer(task, *args, **kwargs):
    """Record `task` to run in the background; returns at once.

    With the database backend the row is written inside the caller's transaction, so the task
    exists exactly when the change that asked for it does. Another backend (RQ) is given the task
    after the commit, so that its worker never looks for a row that is not there yet.
    """
    from django_tasks_db import DatabaseBackend

    if isinstance(task.get_backend(), DatabaseBackend):
        return task.enqueue(*args, **kwargs)
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
    return None
