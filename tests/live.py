"""A real `byline serve` on a spare port, for tests that need several processes and threads
(tests/ops/servers.py adds throw-away PostgreSQL and Redis servers beside it).

Granian's workers and threads each hold their own database connection, as on a real site:
races and locks show themselves here as they would in production.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from lxml import html

BYLINE = str(Path(sys.executable).with_name("byline"))


def clean_env(**extra: str) -> dict:
    """The environment without this test run's own BYLINE_/DJANGO_ settings, plus `extra`.

    The server signs with this run's SECRET_KEY, so that a test can read its CAPTCHA tokens.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    env["BYLINE_SECRET_KEY"] = settings.SECRET_KEY
    env.update(extra)
    return env


def byline(data: Path, *args: str, env: dict) -> str:
    done = subprocess.run(
        [BYLINE, *args, "--data", str(data)], env=env, check=True, capture_output=True, text=True, timeout=120
    )
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(
    data: Path, env: dict, log: Path | None = None, *, workers: int = 2, threads: int = 4, extra: tuple = ()
):
    """`byline serve` on a spare port for the block's length; yields its base URL.

    The one way tests start a server (tests/ops/servers.py's `serve` is this too); its output
    goes to `log` (nothing kept without one).
    """
    options = {"workers": workers, "threads": threads, "extra": extra}
    with servers(env, (data, log, options)) as [(base, _)]:
        yield base


@contextmanager
def servers(env: dict, *nodes: tuple):
    """Several `byline serve`, started side by side, for the block's length; yields their
    (base URL, process) pairs, so that a test can also `kill -9` one (each process leads a
    process group of its own: granian and its workers go with it).

    Each node is `(data, log, options)`; options: `workers`, `threads`, `extra` (more
    arguments for `byline serve`, e.g. `--no-worker`), and `preexec_fn`
    (run in the child before `byline` starts, e.g. to set a resource limit).
    """
    started = []
    with ExitStack() as files:
        try:
            for data, log, options in nodes:
                port = free_port()
                out = files.enter_context(Path(log or os.devnull).open("w"))
                proc = subprocess.Popen(  # noqa: PLW1509 - preexec_fn only sets limits, no threads yet
                    [BYLINE, "serve", "--data", str(data), "--port", str(port)]
                    + [
                        "--workers",
                        str(options.get("workers", 2)),
                        "--threads",
                        str(options.get("threads", 4)),
                        *options.get("extra", ()),
                    ],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=env,
                    start_new_session=True,
                    preexec_fn=options.get("preexec_fn"),
                )
                started.append((f"http://127.0.0.1:{port}", proc, log))
            deadline = time.monotonic() + 90  # migrate and collectstatic first: slow on a busy machine
            for base, proc, log in started:
                while True:
                    try:
                        requests.get(base + "/", timeout=20)  # the first page warms a busy machine up
                        break
                    except requests.RequestException:
                        said = log.read_text()[-2000:] if log else ""
                        assert proc.poll() is None, "byline serve exited: " + said
                        assert time.monotonic() < deadline, "byline serve did not start: " + said
                        time.sleep(0.1)
            yield [(base, proc) for base, proc, _ in started]
        finally:
            for _, proc, _ in started:
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
            for _, proc, _ in started:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    # A slow graceful shutdown on a loaded machine must not hide the test's own result.
                    with suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)


def comment_form(session: requests.Session, url: str) -> dict:
    """The comment form's fields as the page gives them, the CAPTCHA solved.

    The server must share this test run's SECRET_KEY (`clean_env` passes it on).
    """
    from byline.comments import captcha

    doc = html.fromstring(session.get(url, timeout=10).content)
    form = doc.xpath("//form[@id='commentform']")[0]
    fields = {
        i.get("name"): i.get("value") or ""
        for i in form.xpath(".//input")
        if i.get("name") and i.get("type") not in ("checkbox", "submit")
    }
    token = fields.get("captcha_token")
    if token:
        fields["captcha_answer"] = str(captcha.challenge_from_token(token).answer)
    return fields


BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("BYLINE_TEST_DATABASE_URL") else [])


@contextmanager
def site_database(backend: str, env: dict, prefix: str):
    """`env` for a site on `backend`: SQLite in its data dir as it is, or a fresh PostgreSQL
    database (beside the suite's, on the same server) that is dropped afterwards."""
    if backend != "postgresql":
        yield env
        return
    import psycopg
    from psycopg import sql

    server = urlsplit(os.environ["BYLINE_TEST_DATABASE_URL"])
    database = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(server._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    try:
        yield {**env, "BYLINE_DATABASE_URL": urlunsplit(server._replace(path="/" + database))}
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(database)))
