"""SQLite with many writers at once: comment posts from several readers through two server
processes, while another process keeps taking the write lock (as an admin save or an import
does), all succeed. WAL and a busy timeout make writers wait for each other, never fail with
"database is locked"."""

import sqlite3
import threading
import time

import pytest
import requests

from tests.ops.servers import byline, clean_env, csrf_and_post_id, serve

pytestmark = [pytest.mark.faults, pytest.mark.xdist_group("faults")]

READERS, COMMENTS_EACH = 6, 8


def test_concurrent_comment_posts_and_a_busy_writer_never_meet_a_locked_database(tmp_path):
    env = clean_env()
    env["BYLINE_TRUSTED_PROXIES"] = "127.0.0.1"  # so that each reader can stand for an address of their own
    # The claim is that writers queue instead of failing. SQLite's busy handler polls (up to
    # every 100 ms) rather than queueing fairly, so behind a writer that keeps retaking the lock a
    # waiter can miss its gaps for longer than the default 20 s and be answered "busy" (503): the
    # timeout working, not a lock error. A longer wait keeps the test about queueing.
    env["BYLINE_SQLITE_TIMEOUT"] = "60"
    data = tmp_path / "site"
    byline("init", "--demo", "--data", str(data), env=env)
    for name, value in (("captcha_enabled", "0"), ("comment_flood_interval", "0")):
        byline("option", "set", name, value, "--data", str(data), env=env)
    with serve(data, env, workers=2, threads=4, log_path=tmp_path / "serve.log") as base:
        url = base + "/2025/09/the-cranes-come-down/"
        results, stop = [], threading.Event()

        def admin_saves():
            # Another process's writes, each holding the lock a while, like a large admin save.
            db = sqlite3.connect(data / "byline.sqlite3", timeout=30, isolation_level=None)
            while not stop.is_set():
                db.execute("BEGIN IMMEDIATE")
                db.execute("UPDATE byline_post SET title = title")
                time.sleep(0.1)
                db.execute("COMMIT")
                time.sleep(0.1)
            db.close()

        def reader(n):
            session = requests.Session()
            for i in range(COMMENTS_EACH):
                csrf, post_id = csrf_and_post_id(session.get(url, timeout=90).text)
                r = session.post(
                    base + "/wp-comments-post.php",
                    data={
                        "csrfmiddlewaretoken": csrf,
                        "comment_post_ID": post_id,
                        "comment_parent": "0",
                        "author": f"Reader {n}",
                        "email": f"reader{n}@example.org",
                        "comment": f"Comment {n}-{i}",
                        "website_confirm": "",
                    },
                    # Each reader is a person of their own (the comment throttle counts per address;
                    # the server believes X-Forwarded-For from loopback here).
                    headers={"Referer": url, "X-Forwarded-For": f"192.0.2.{n + 1}"},
                    allow_redirects=False,
                    timeout=90,
                )
                results.append((r.status_code, r.text[:300]))

        writer = threading.Thread(target=admin_saves)
        writer.start()
        threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=300)
        finally:
            stop.set()
            writer.join(timeout=30)
        log = (tmp_path / "serve.log").read_text()

    assert [status for status, _ in results] == [303] * (READERS * COMMENTS_EACH), results
    assert "database is locked" not in log
    with sqlite3.connect(data / "byline.sqlite3") as db:
        stored = db.execute(
            "SELECT COUNT(*) FROM byline_comment WHERE content LIKE '<p>Comment %'"
        ).fetchone()[0]
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert stored == READERS * COMMENTS_EACH
