"""The worker as a site runs it: beside a real `byline serve`, or as `byline worker` started
later or killed mid-task. SQLite, in data dirs of their own; nothing is mocked."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.live import BYLINE, byline, clean_env, comment_form, serving
from tests.tasks.exports import write_export

URL = "/2025/09/the-cranes-come-down/"


def query(data, sql: str, *params):
    with sqlite3.connect(f"file:{data / 'byline.sqlite3'}?mode=ro", uri=True, timeout=30) as db:
        return db.execute(sql, params).fetchall()


def task_rows(data):
    return query(data, "SELECT task_path, status, worker_ids FROM django_tasks_database_dbtaskresult")


@pytest.fixture
def site(tmp_path):
    # Readers come through a proxy on this machine, each from an address of its own.
    env = clean_env(BYLINE_TASK_RETRY_SECONDS="0.5", BYLINE_TRUSTED_PROXIES="127.0.0.1")
    data = tmp_path / "site"
    byline(data, "init", "--demo", env=env)
    byline(data, "option", "set", "captcha_min_seconds", "0", env=env)  # readers here type fast
    return data, env


def sign_in(base: str, data) -> requests.Session:
    session = requests.Session()
    form = session.get(base + "/wp-login.php", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    password = (data / "admin-password.txt").read_text().strip()
    answer = session.post(
        base + "/wp-login.php",
        data={"username": "admin", "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/wp-login.php"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.headers["Location"] == "/wp-admin/"
    return session


def upload(session: requests.Session, base: str, path) -> str:
    page = session.get(base + "/wp-admin/import.php", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    with path.open("rb") as fh:
        answer = session.post(
            base + "/wp-admin/import.php",
            data={"csrfmiddlewaretoken": token},
            files={"file": (path.name, fh, "text/xml")},
            headers={"Referer": base + "/wp-admin/import.php"},
            allow_redirects=False,
            timeout=60,
        )
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"].split("task=")[1]


def post_comment(base: str, n: int) -> tuple[int, float]:
    """A reader from an address of its own (through the loopback proxy's X-Forwarded-For)."""
    session = requests.Session()
    headers = {"X-Forwarded-For": f"198.51.100.{n}"}
    session.headers.update(headers)
    form = comment_form(session, base + URL)
    form.update(author=f"Reader {n}", email=f"reader{n}@example.net", comment=f"Said during the import, {n}.")
    started = time.monotonic()
    answer = session.post(
        base + "/wp-comments-post.php",
        data=form,
        headers={"Referer": base + URL},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 303:
        from lxml import html

        errors = html.fromstring(answer.content).xpath("//*[@role='alert']")
        print(answer.status_code, " ".join(" ".join(e.text_content().split()) for e in errors))
    return answer.status_code, time.monotonic() - started


def test_comments_are_taken_while_a_2000_post_import_runs_on_sqlite(site, tmp_path):
    data, env = site
    export = tmp_path / "big.xml"
    write_export(export, posts=2000, comments_per_post=3)
    with serving(data, env, tmp_path / "serve.log", workers=2, threads=4) as base:
        session = sign_in(base, data)
        task = upload(session, base, export)
        during, statuses, seen = [], [], []
        deadline = time.monotonic() + 300
        with ThreadPoolExecutor(max_workers=2) as pool:
            n = 0
            while time.monotonic() < deadline:
                state = session.get(f"{base}/wp-admin/task-status.json?task={task}", timeout=30).json()
                seen.append(state["fraction"])
                if state["finished"]:
                    break
                if state["status"] == "RUNNING" and 0 < state["fraction"] < 1:
                    n += 1
                    code, seconds = pool.submit(post_comment, base, n).result()
                    after = session.get(f"{base}/wp-admin/task-status.json?task={task}", timeout=30).json()
                    statuses.append(code)
                    if after["status"] == "RUNNING" and after["fraction"] < 1:
                        during.append(seconds)
                else:
                    time.sleep(0.2)
        assert state["status"] == "SUCCESSFUL", state
        assert state["done"] == state["total"] == {"posts": 2000, "comments": 6000, "photos": 0}
        assert seen == sorted(seen)  # the bar only moves forward
    assert len(during) >= 5, f"only {len(during)} comments were sent while the import ran"
    assert set(statuses) == {303}  # every one accepted (held or shown), none "busy, try again"
    stored = query(data, "SELECT COUNT(*) FROM byline_comment WHERE content LIKE '%during the import%'")
    assert stored == [(len(statuses),)]
    assert query(data, "SELECT COUNT(*) FROM byline_post WHERE guid LIKE 'https://old.example.org/?p=%'") == [
        (2000,)
    ]
    print(f"{len(during)} comments during the import; slowest {max(during):.2f} s")


def test_a_task_recorded_while_no_worker_runs_is_run_by_a_worker_started_later(site, tmp_path):
    data, env = site
    log = tmp_path / "serve.log"
    # The server without its worker: the comment's moderation notice is recorded, not sent.
    with serving_without_worker(data, env, log) as base:
        code, _ = post_comment(base, 7)
        assert code == 303
    assert [(path, status) for path, status, _ in task_rows(data)] == [
        ("byline.tasks.mail.send_email", "READY")
    ]
    done = subprocess.run(
        [BYLINE, "worker", "--batch", "--data", str(data)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Please moderate:" in done.stdout  # the console email backend prints what it sends
    assert [status for _, status, _ in task_rows(data)] == ["SUCCESSFUL"]


def test_an_import_whose_worker_is_killed_is_finished_by_the_next_worker(site, tmp_path):
    data, env = site
    export = tmp_path / "big.xml"
    write_export(export, posts=800, comments_per_post=2)
    with serving_without_worker(data, env, tmp_path / "serve.log") as base:
        task = upload(sign_in(base, data), base, export)
    worker = start_worker(data, env, tmp_path / "worker1.log")
    try:
        for _ in range(600):
            done = query(data, "SELECT done FROM tasks_taskprogress")
            if done and '"posts": 0' not in done[0][0] and done[0][0] != "{}":
                break
            time.sleep(0.1)
        else:
            raise AssertionError(
                "the import did not start: " + (tmp_path / "worker1.log").read_text()[-2000:]
            )
    finally:
        os.kill(worker.pid, signal.SIGKILL)  # the machine loses the worker mid-import
        worker.wait()
    status, attempts = query(
        data,
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?",
        task.replace("-", ""),
    )[0]
    assert status == "RUNNING"
    posts_then = query(
        data, "SELECT COUNT(*) FROM byline_post WHERE guid LIKE 'https://old.example.org/?p=%'"
    )[0][0]
    assert 0 < posts_then < 800  # committed batches stay

    worker = start_worker(data, env, tmp_path / "worker2.log")
    try:
        for _ in range(1200):
            status = query(
                data,
                "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
                task.replace("-", ""),
            )[0][0]
            if status in ("SUCCESSFUL", "FAILED"):
                break
            time.sleep(0.25)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    assert status == "SUCCESSFUL", (tmp_path / "worker2.log").read_text()[-3000:]
    # The second run completed the first: every post and comment once, none twice.
    assert query(data, "SELECT COUNT(*) FROM byline_post WHERE guid LIKE 'https://old.example.org/?p=%'") == [
        (800,)
    ]
    assert query(data, "SELECT COUNT(*), COUNT(DISTINCT wp_id || '-' || post_id) FROM byline_comment") == [
        (1600, 1600)
    ]


def start_worker(data, env, log) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            [BYLINE, "worker", "--data", str(data), "--interval", "0.2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def serving_without_worker(data, env, log):
    """`byline serve --no-worker`: tasks are recorded and wait."""
    return serving(data, env, log, workers=1, extra=("--no-worker",))


def test_a_worker_outlasts_a_locked_database_and_runs_the_task_afterwards(site, tmp_path):
    data, env = site
    code = "from byline.tasks.mail import send_email; send_email.enqueue('Hello', 'Body', ['a@example.net'])"
    byline(data, "manage", "shell", "--no-imports", "-c", code, env=env)
    importer = sqlite3.connect(data / "byline.sqlite3", isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")  # another process holds the write lock (a long CLI import)
    log = tmp_path / "worker.log"
    worker = start_worker(data, {**env, "BYLINE_SQLITE_TIMEOUT": "0.3"}, log)
    try:
        for _ in range(100):
            if "the database is unavailable" in log.read_text():
                break
            time.sleep(0.1)
        importer.execute("ROLLBACK")
        importer.close()
        for _ in range(100):
            if [status for _, status, _ in task_rows(data)] == ["SUCCESSFUL"]:
                break
            time.sleep(0.1)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    text = log.read_text()
    assert "the database is unavailable (database is locked); trying again" in text
    assert "Traceback" not in text
    assert [status for _, status, _ in task_rows(data)] == ["SUCCESSFUL"]
    assert "Subject: Hello" in text  # the console email backend's print
