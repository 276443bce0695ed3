"""Redis stops: the site keeps serving without its cache, comments are still accepted, and a
solved CAPTCHA still cannot be sent twice (the claim is also kept in the database).

The node runs on a PostgreSQL cluster and a Redis of this test's own (spare ports, temp dir),
as a many-machine site does. Queued tasks live in the database, so the comments' notices are
sent by the worker while Redis is still down.
"""

import time

import pytest
import requests

from tests.ops.servers import byline, clean_env, comment_form, send_comment, serve

pytestmark = [pytest.mark.faults, pytest.mark.xdist_group("faults")]


def test_without_redis_the_site_serves_takes_comments_and_refuses_replays(tmp_path, services):
    pg, redis = services
    env = clean_env(BYLINE_DATABASE_URL=pg.url, BYLINE_CACHE_URL=redis.url)
    data = tmp_path / "site"
    byline("init", "--demo", "--data", str(data), env=env)
    for name, value in (("captcha_min_seconds", "0"), ("comment_flood_interval", "0")):
        byline("option", "set", name, value, "--data", str(data), env=env)
    with serve(data, env, log_path=tmp_path / "serve.log") as base:
        url = base + "/2025/09/the-cranes-come-down/"
        session = requests.Session()
        before = comment_form(session, url, "Sent while Redis runs")
        assert send_comment(session, base, url, before).status_code == 303

        redis.stop()
        for path in ("/", "/2025/09/the-cranes-come-down/", "/feed/"):
            assert session.get(base + path, timeout=10).status_code == 200, path
        # A token solved before Redis stopped is still spent: the database remembers it.
        replay = send_comment(session, base, url, before)
        assert replay.status_code == 400 and "already been answered" in replay.text
        during = comment_form(session, url, "Sent while Redis is down")
        assert send_comment(session, base, url, during).status_code == 303
        replay = send_comment(session, base, url, during)
        assert replay.status_code == 400 and "already been answered" in replay.text
        # The comments' notices are tasks stored in the database, not in Redis: the worker that
        # `byline serve` runs sends them all while Redis is still down.
        mail = "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s"
        deadline = time.monotonic() + 60
        while True:
            statuses = [row[0] for row in pg.query(mail, ["byline.tasks.mail.%"])]
            if statuses and set(statuses) == {"SUCCESSFUL"}:
                break
            assert time.monotonic() < deadline, f"the notices did not go out: {statuses}"
            time.sleep(0.5)
        log = (tmp_path / "serve.log").read_text()

    texts = [
        row[0]
        for row in pg.query(
            "SELECT content FROM byline_comment WHERE author_email = %s", ["reader@example.org"]
        )
    ]
    assert sorted(texts) == ["<p>Sent while Redis is down</p>", "<p>Sent while Redis runs</p>"]
    assert "Traceback" not in log
