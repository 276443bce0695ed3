"""`byline worker`: run background tasks (emails, imports, thumbnails) apart from the web server."""

from __future__ import annotations

import argparse


def add_commands(sub, data_parent) -> dict:
    p = sub.add_parser(
        "worker",
        parents=[data_parent],
        help="run background tasks (emails, imports, thumbnails); `byline serve` starts one itself",
    )
    p.add_argument(
        "--batch", action="store_true", help="run the tasks that are due, then stop (for cron or a check)"
    )
    p.add_argument(
        "--interval",
        type=float,
        default=1.0,
        help="seconds between looks at an empty queue (default: 1)",
    )
    p.add_argument("--with-parent", type=int, help=argparse.SUPPRESS)  # `byline serve`'s own worker
    return {"worker": cmd_worker}


def cmd_worker(args, data) -> None:
    import signal
    import threading

    from byline.commands import require_site, setup_django

    require_site(data)
    setup_django()
    from byline.tasks.worker import run_due, run_forever

    _log_each_task()
    if args.batch:
        run_due()
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    if args.with_parent:
        threading.Thread(target=_stop_with_parent, args=(args.with_parent, stop), daemon=True).start()
    print(f"Byline's worker runs the tasks of {data} (Ctrl-C stops it).", flush=True)
    run_forever(stop, interval=args.interval)


def _stop_with_parent(parent: int, stop) -> None:
    """Started by `byline serve`: stop once that process is gone (even killed), never outlive it."""
    import os

    while not stop.wait(1.0):
        if os.getppid() != parent:
            stop.set()


def _log_each_task() -> None:
    import logging

    for name in ("django_tasks_db", "django_tasks", "byline.tasks"):  # each task started and ended
        logging.getLogger(name).setLevel(logging.INFO)


def serve_worker(stop) -> None:
    """The worker `byline serve` runs on a thread of its own process, which holds Django
    already: a second process would hold a second copy (about 45 MiB)."""
    from byline.tasks.worker import run_forever

    _log_each_task()
    run_forever(stop)
