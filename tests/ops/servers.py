"""Throw-away servers for the fault tests: `byline serve` nodes, a PostgreSQL cluster and a
Redis, each on a spare port of this machine, never the machine's own services."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from html import unescape
from pathlib import Path

from tests.data.wordnum import solve
from tests.live import BYLINE, free_port, servers, serving

PG_BIN = (
    sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1] if Path("/usr/lib/postgresql").is_dir() else None
)


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    return {**env, **extra}


def byline(*args, env) -> subprocess.CompletedProcess:
    result = subprocess.run([BYLINE, *args], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def serve(data, env, *, workers=1, threads=4, log_path=None):
    """`byline serve` on a spare port (tests/live.py's `serving`); yields its base URL."""
    return serving(data, env, log_path, workers=workers, threads=threads)


@contextlib.contextmanager
def node(data, env, *, workers=1, threads=4, log_path=None, preexec_fn=None):
    """One `byline serve` (tests/live.py's `servers`); yields its base URL and its process."""
    options = {"workers": workers, "threads": threads, "preexec_fn": preexec_fn}
    with servers(env, (data, log_path, options)) as [started]:
        yield started


def nodes(env, *specs):
    """Several `byline serve` started side by side, each `(data, {"workers", "log_path", ...})`;
    yields their (base URL, process) pairs (tests/live.py's `servers`)."""
    return servers(env, *((data, spec.get("log_path"), {"workers": 1, **spec}) for data, spec in specs))


def _as_postgres(argv: list[str]) -> list[str]:
    # initdb refuses to run as root; the cluster then belongs to the machine's postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


class Postgres:
    """A PostgreSQL cluster of its own in a temporary folder, stopped and started at will."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="byline-pg-"))
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run([str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres"])

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, argv):
        subprocess.run(_as_postgres(argv), check=True, capture_output=True, timeout=60)

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.dir / "data"),
                "-l",
                str(self.dir / "log"),
                "-w",
                "-o",
                options,
            ]
            + ["start"]
        )

    def stop(self):
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop"])

    def query(self, sql: str, params=()) -> list[tuple]:
        """Rows of one query, on a connection of its own (the test's view of what was stored)."""
        import psycopg

        with psycopg.connect(self.url, connect_timeout=5) as db:
            return db.execute(sql, params).fetchall()

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    """redis-server on a spare port, in the foreground of a child process, saving nothing."""

    def __init__(self):
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ]
            + ["--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1) as s,
            ):
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


def csrf_and_post_id(page: str) -> tuple[str, str]:
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    post_id = re.search(r'name="comment_post_ID" value="(\d+)"', page).group(1)
    return csrf, post_id


def comment_form(session, url, text, *, author="Reader", email="reader@example.org") -> dict:
    """The "Leave a Reply" form of the post at `url`, filled in and its CAPTCHA solved from the
    question on the page, as a reader would (no need to share the server's key)."""
    page = session.get(url, timeout=10)
    assert page.status_code == 200, page.status_code
    csrf, post_id = csrf_and_post_id(page.text)
    question = re.search(r'<span class="captcha-question">([^<]+)</span>', page.text).group(1)
    return {
        "csrfmiddlewaretoken": csrf,
        "comment_post_ID": post_id,
        "comment_parent": "0",
        "author": author,
        "email": email,
        "comment": text,
        "website_confirm": "",
        "captcha_token": unescape(re.search(r'name="captcha_token" value="([^"]+)"', page.text).group(1)),
        "captcha_answer": str(solve(unescape(question))),
    }


def send_comment(session, base, url, form, **headers):
    return session.post(
        base + "/wp-comments-post.php",
        data=form,
        headers={"Referer": url, **headers},
        allow_redirects=False,
        timeout=10,
    )
