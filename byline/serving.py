"""`byline serve`: granian in a child process, its logs in a file, a short note for the person.

A person who types `make run` needs the address to open and how to sign in; granian's
start-up lines and Django's request warnings are for the log file in the data directory
(`logs/byline.log`), where they can be read when something goes wrong.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

# Written by `byline init --demo` (cli.cmd_init): the name of a file, not a password.
ADMIN_PASSWORD_FILE = "admin-password.txt"  # noqa: S105


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


def run(
    argv: list[str], *, host: str, port: int, log_path: Path, note, worker_argv: list[str] | None = None
) -> int:
    """Start granian (and the task worker) with their output in `log_path`; print the note once
    the port answers; wait. A worker that dies is started again."""
    if not port_is_free(host, port):
        raise ServeError(
            f"Port {port} on {host} is already in use (another Byline, or another program). "
            f"Choose another port: make run PORT=8080, or byline serve --port 8080."
        )
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        log.write(f"\n--- byline serve on {host}:{port}, {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        log.flush()
        server = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603 - our argv
    children = _Children(server, worker_argv, log_path)
    # A process manager stops us with SIGTERM: pass it on so that no server is left behind.
    signal.signal(signal.SIGTERM, lambda *_: children.terminate())
    try:
        deadline = time.monotonic() + 60
        while not _answers(host, port):
            if server.poll() is not None or time.monotonic() > deadline:
                children.terminate()
                tail = log_path.read_text(errors="replace").splitlines()[-15:]
                raise ServeError(f"The server did not start. The end of {log_path}:\n" + "\n".join(tail))
            time.sleep(0.1)
        children.start_worker()
        print(note(), flush=True)
        return children.wait()
    except KeyboardInterrupt:
        # Ctrl-C reached granian and the worker too (same process group); let them finish.
        children.wait_after_interrupt()
        print("Stopped.", flush=True)
        return 0


class _Children:
    """Granian and the task worker: started, watched, stopped together."""

    def __init__(self, server: subprocess.Popen, worker_argv: list[str] | None, log_path: Path):
        self.server = server
        self.worker_argv = worker_argv
        self.log_path = log_path
        self.worker = None  # started once the site answers: its start-up would slow the server's

    def start_worker(self) -> None:
        if self.worker_argv:
            self.worker = self._start_worker()

    def _start_worker(self) -> subprocess.Popen:
        with self.log_path.open("ab") as log:
            return subprocess.Popen(self.worker_argv, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603

    def wait(self) -> int:
        while True:
            code = self.server.poll()
            if code is not None:
                self._stop_worker()
                return code
            if self.worker is not None and self.worker.poll() is not None:
                self.worker = self._start_worker()  # tasks it was running are queued again on start
            time.sleep(0.5)

    def terminate(self) -> None:
        self.server.terminate()
        if self.worker is not None:
            self.worker.terminate()

    def _stop_worker(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.worker.kill()

    def wait_after_interrupt(self) -> None:
        for child in (self.server, self.worker):
            if child is None:
                continue
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()


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


def granian_argv(granian: str, *, host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        granian,
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
