"""`byline serve`: granian in a child process, its logs in a file, a short note for the person.

A person who types `make run` needs the address to open and how to sign in; granian's
start-up lines and Django's request warnings are for the log file in the data directory
(`logs/byline.log`), where they can be read when something goes wrong.

One copy of Django for the whole server: this process loads the site (`preload`), forks
granian's main process, which forks its workers, and runs the task worker on a thread.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

# Written by `byline init --demo` (cli.cmd_init): the name of a file, not a password.
ADMIN_PASSWORD_FILE = "admin-password.txt"  # noqa: S105
# A worker that ended (its database away at start, say) is started again after this many seconds.
RESTART_WORKER_AFTER = 1.0
# How long the server's stop waits for the worker, which lets running tasks finish
# (tasks.worker.STOP_GRACE_SECONDS) before the process ends.
WORKER_STOP_SECONDS = 15

log = logging.getLogger(__name__)


class ServeError(Exception):
    """The server could not start; the message says why and what to do."""


def shown_host(host: str) -> str:
    """The host to print in an address a person can open (not 0.0.0.0 or ::)."""
    if host in ("0.0.0.0", "", "::"):  # noqa: S104 - only printed, never bound here
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((shown_host(host).strip("[]"), port), timeout=0.5):
            return True
    except OSError:
        return False


def sign_in_note(data: Path, base: str) -> str:
    """How to sign in: the demo administrator's name and password file, or how to make an account."""
    from django.contrib.auth import get_user_model

    sign_in = f"{base}wp-login.php"  # WordPress's address: the desk's sign-in
    password_file = data / ADMIN_PASSWORD_FILE
    if password_file.is_file():
        return (
            f"Sign in at {sign_in} as “admin”; the password is in {password_file}\n"
            f"  (change it on your profile page, {base}wp-admin/profile.php, then delete that file)."
        )
    users = get_user_model().objects.filter(is_superuser=True, is_active=True)
    if any(user.has_usable_password() for user in users):
        return f"Sign in at {sign_in}"
    return (
        f"Nobody can sign in at {sign_in} yet. Create your account with:\n"
        "  .venv/bin/byline createuser YOURNAME --email YOU@EXAMPLE.ORG --role administrator"
    )


def run(argv: list[str], *, host: str, port: int, log_path: Path, note, worker=None) -> int:
    """Start granian with its output in `log_path`; print the note once the port answers; wait.

    `worker(stop)`, if given, is the task worker: it runs in this process (which holds Django
    already) on a thread of its own, is started again if it ends before `stop` is set, and is
    stopped with the server. Its lines go to the log too: the terminal gets the note only.
    """
    if not port_is_free(host, port):
        raise ServeError(
            f"Port {port} on {host} is already in use (another Byline, or another program). "
            f"Choose another port: make run PORT=8080, or byline serve --port 8080."
        )
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        log.write(f"\n--- byline serve on {host}:{port}, {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        log.flush()
        server = _ForkedGranian(argv, log.fileno())
    children = _Children(server, worker)
    # A process manager stops us with SIGTERM: pass it on so that no server is left behind.
    signal.signal(signal.SIGTERM, lambda *_: children.terminate())
    with _output_to(log_path) as terminal:
        try:
            deadline = time.monotonic() + 60
            while not _answers(host, port):
                if server.poll() is not None or time.monotonic() > deadline:
                    children.terminate()
                    children.stop_worker()
                    tail = log_path.read_text(errors="replace").splitlines()[-15:]
                    raise ServeError(f"The server did not start. The end of {log_path}:\n" + "\n".join(tail))
                time.sleep(0.1)
            children.start_worker()
            print(note(), file=terminal, flush=True)
            return children.wait()
        except KeyboardInterrupt:
            # Ctrl-C reached granian too (same process group); let it and the worker finish.
            children.wait_after_interrupt()
            print("Stopped.", file=terminal, flush=True)
            return 0


@contextlib.contextmanager
def _output_to(log_path: Path):
    """This process's stdout and stderr (the worker's log lines, the console mail backend's
    messages) go to the log file; yields the terminal, for what the person must read."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with log_path.open("ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    terminal = os.fdopen(os.dup(saved[0]), "w")
    try:
        yield terminal
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in saved:
            os.close(fd)
        terminal.close()


class _ForkedGranian:
    """Granian's main process forked from this one (as `subprocess.Popen` is used): it and the
    workers it forks share the pages of the Django and Byline this process has loaded."""

    def __init__(self, argv: list[str], log_fd: int):
        preload()
        sys.stdout.flush()
        sys.stderr.flush()
        self.returncode = None
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the child: coverage does not follow a fork
            os.dup2(log_fd, 1)
            os.dup2(log_fd, 2)
            code = 1
            try:
                code = granian_main(argv) or 0
            except SystemExit as exc:  # click ends granian's command line with sys.exit()
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
            finally:
                os._exit(code)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("granian", timeout)
            time.sleep(0.05)
        return self.returncode

    def terminate(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGTERM)

    def kill(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)


class _Children:
    """Granian, and the task worker's thread: started, watched, stopped together."""

    def __init__(self, server: subprocess.Popen, worker):
        self.server = server
        self.worker = worker
        self.stop = threading.Event()
        self.thread = None  # started once the site answers: its start-up would slow the server's

    def start_worker(self) -> None:
        if self.worker is not None:
            self.thread = threading.Thread(target=self._run_worker, name="task-worker", daemon=True)
            self.thread.start()

    def _run_worker(self) -> None:
        try:
            self.worker(self.stop)
        except Exception:  # noqa: BLE001 - any end is logged; wait() starts it again
            log.exception("the task worker stopped; starting it again")
            self.stop.wait(RESTART_WORKER_AFTER)

    def wait(self) -> int:
        while True:
            code = self.server.poll()
            if code is not None:
                self.stop_worker()
                return code
            if self.thread is not None and not self.thread.is_alive() and not self.stop.is_set():
                self.start_worker()  # tasks it was running are queued again (worker.requeue_abandoned)
            time.sleep(0.5)

    def terminate(self) -> None:
        self.server.terminate()
        self.stop.set()

    def stop_worker(self) -> None:
        """Tell the worker to stop and give it the time its running tasks need to finish."""
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=WORKER_STOP_SECONDS)

    def wait_after_interrupt(self) -> None:
        self.stop.set()
        try:
            self.server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.server.kill()
        self.stop_worker()


def worker_argv(data: Path) -> list[str]:
    """`byline worker` for this data dir, told to stop if this process (or granian in its place) ends."""
    import sys

    return [
        sys.executable,
        "-m",
        "byline.cli",
        "worker",
        "--data",
        str(data),
        "--with-parent",
        str(os.getpid()),
    ]


def granian_argv(granian: list[str], *, host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        *granian,
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        # No --static-path-route for /media: granian's own file route sends none of the security
        # headers; byline.security.media.MediaMiddleware serves uploads with them.
        "--respawn-failed-workers",
        "--no-access-log",
        "byline.wsgi:application",
    ]


def exec_in_foreground(argv: list[str], worker: list[str] | None = None) -> None:
    """`--log-file -`: granian takes this process's place and logs to the terminal (containers, systemd).

    The worker, started first, is granian's child then; it stops when granian does (`--with-parent`).
    """
    if worker:
        subprocess.Popen(worker)  # noqa: S603 - our own fixed argument list
    os.execv(argv[0], argv)  # noqa: S606 - our own fixed argument list


def preload() -> None:
    """Import the site (Django, every view) and freeze it: processes forked after this share
    those pages instead of importing their own copy. `gc.freeze()` keeps the collector from
    writing into them."""
    import gc

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    from django.db import connections
    from django.template import engines
    from django.urls import get_resolver

    import byline.wsgi  # noqa: F401

    get_resolver().url_patterns  # noqa: B018 - imports every view now, once, for all workers
    engines.all()  # and the template engines (Jinja2, the desk's), which a first page would load
    connections.close_all()  # a connection is never shared with a child
    gc.freeze()


def granian_main(argv: list[str]) -> int:
    """Granian's main process (`argv`: granian's arguments), the site preloaded for its workers."""
    import multiprocessing

    preload()
    multiprocessing.set_start_method("fork", force=True)  # the workers share the preloaded site
    from granian import cli

    sys.argv = ["granian", *argv]
    return cli.entrypoint()


if __name__ == "__main__":
    sys.exit(granian_main(sys.argv[1:]))
