"""The worker: django-tasks-db's own loop, one thread per queue, and what a crash left behind.

`byline worker` and the worker `byline serve` starts run `run_forever`; tests and `byline
worker --batch` run `run_due`, which returns once nothing is due.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from django.db import DatabaseError, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from . import QUEUES
from .retry import delay_after, max_attempts

log = logging.getLogger(__name__)
HOST = socket.gethostname()[:40]
# How long a stopping worker lets running tasks finish. An import cut short is run again by the
# next worker (requeue_abandoned) and completes what the first committed.
STOP_GRACE_SECONDS = 10
RETRY_AFTER_DATABASE_ERROR = 2.0  # seconds


def worker_id(queue: str) -> str:
    """host:pid:queue, so that a later worker on this host can tell a crashed one's tasks."""
    return f"{HOST}:{os.getpid()}:{queue}"[:64]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue_abandoned() -> int:
    """Tasks left RUNNING by a worker of this host that is gone (killed, machine restarted).

    The lost run counts as an attempt: with attempts left the task is queued again (a re-run
    of an import repairs what the first left), else it is failed with a message saying so.
    Another host's tasks are left alone: this worker cannot know whether that one is alive.
    """
    count = 0
    for row in DBTaskResult.objects.running():
        host, _, rest = (row.worker_ids[-1] if row.worker_ids else "").partition(":")
        pid = rest.partition(":")[0]
        if host != HOST or not pid.isdigit() or _alive(int(pid)):
            continue
        attempts = len(row.worker_ids)
        if attempts >= max_attempts(row):
            row.status = TaskResultStatus.FAILED
            row.finished_at = timezone.now()
            row.exception_class_path = "byline.tasks.worker.WorkerLost"
            row.traceback = f"WorkerLost: the worker running it (process {pid}) stopped before it finished\n"
            row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        else:
            when = timezone.now() + delay_after(attempts)
            DBTaskResult.objects.filter(pk=row.pk).update(status=TaskResultStatus.READY, run_after=when)
        count += 1
    if count:
        log.warning("%d task(s) of a stopped worker were queued again or failed", count)
    return count


class WorkerLost(Exception):
    """Shown for a task whose worker process died while running it."""


def _worker(queues: list[str], *, batch: bool, interval: float, name: str) -> Worker:
    return Worker(
        queue_names=queues,
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id(name),
        excluded_queue_names=[],
    )


def run_due() -> None:
    """Run every task that is due, in this thread, then return (tests, `byline worker --batch`)."""
    requeue_abandoned()
    _worker(list(QUEUES), batch=True, interval=0, name="batch").run()


def run_forever(stop: threading.Event, *, interval: float = 1.0) -> None:
    """One thread per queue until `stop` is set; each finishes the task it is running first."""
    requeue_abandoned()
    workers = [_worker([queue], batch=False, interval=interval, name=queue) for queue in QUEUES]

    def loop(worker: Worker) -> None:
        # A database that is locked (a long `byline import-wxr`) or away (PostgreSQL restarting)
        # must not end the thread: say so in one line, wait, and look again.
        try:
            while worker.running and not stop.is_set():
                try:
                    worker.run()
                except DatabaseError as problem:
                    connections.close_all()
                    log.warning(
                        "worker %s: the database is unavailable (%s); trying again", worker.worker_id, problem
                    )
                    stop.wait(RETRY_AFTER_DATABASE_ERROR)
        finally:
            connections.close_all()

    # Daemon threads: a task still running STOP_GRACE_SECONDS after the stop is abandoned, and
    # requeue_abandoned gives it to the next worker.
    threads = [
        threading.Thread(target=loop, args=(w,), name=f"worker-{w.queue_names[0]}", daemon=True)
        for w in workers
    ]
    for thread in threads:
        thread.start()
    log.warning("worker %s started on queues %s", os.getpid(), ", ".join(QUEUES))
    stop.wait()
    for worker in workers:
        worker.running = False
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
