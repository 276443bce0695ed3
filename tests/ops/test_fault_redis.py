"""Redis stops: the site keeps serving without its cache, comments are still accepted, and a
solved CAPTCHA still cannot be sent twice (the claim is also kept in the database)."""

import re
import sqlite3
from html import unescape

import pytest
import requests

from tests.data.wordnum import solve
from tests.ops.servers import Redis, byline, clean_env, csrf_and_post_id, serve

pytestmark = [pytest.mark.faults, pytest.mark.xdist_group("faults")]


@pytest.fixture
def redis():
    server = Redis()
    server.start()
    yield server
    server.stop()


def _comment_form(session, url, text) -> dict:
    page = session.get(url, timeout=10)
    assert page.status_code == 200
    csrf, post_id = csrf_and_post_id(page.text)
    question = re.search(r'<span class="captcha-question">([^<]+)</span>', page.text).group(1)
    return {
        "csrfmiddlewaretoken": csrf,
        "comment_post_ID": post_id,
        "comment_parent": "0",
        "author": "Reader",
        "email": "reader@example.org",
        "comment": text,
        "website_confirm": "",
        "captcha_token": unescape(re.search(r'name="captcha_token" value="([^"]+)"', page.text).group(1)),
        "captcha_answer": str(solve(unescape(question))),
    }


def _send(session, base, url, form):
    return session.post(
        base + "/wp-comments-post.php", data=form, headers={"Referer": url}, allow_redirects=False, timeout=10
    )


def test_without_redis_the_site_serves_takes_comments_and_refuses_replays(tmp_path, redis):
    env = clean_env(BYLINE_CACHE_URL=redis.url)
    data = tmp_path / "site"
    byline("init", "--demo", "--data", str(data), env=env)
    for name, value in (("captcha_min_seconds", "0"), ("comment_flood_interval", "0")):
        byline("option", "set", name, value, "--data", str(data), env=env)
    with serve(data, env, log_path=tmp_path / "serve.log") as base:
        url = base + "/2025/09/the-cranes-come-down/"
        session = requests.Session()
        before = _comment_form(session, url, "Sent while Redis runs")
        assert _send(session, base, url, before).status_code == 303

        redis.stop()
        for path in ("/", "/2025/09/the-cranes-come-down/", "/feed/"):
            assert session.get(base + path, timeout=10).status_code == 200, path
        # A token solved before Redis stopped is still spent: the database remembers it.
        replay = _send(session, base, url, before)
        assert replay.status_code == 400 and "already been answered" in replay.text
        during = _comment_form(session, url, "Sent while Redis is down")
        assert _send(session, base, url, during).status_code == 303
        replay = _send(session, base, url, during)
        assert replay.status_code == 400 and "already been answered" in replay.text

    with sqlite3.connect(data / "byline.sqlite3") as db:
        texts = [
            row[0]
            for row in db.execute(
                "SELECT content FROM byline_comment WHERE author_email = ?", ["reader@example.org"]
            )
        ]
    assert sorted(texts) == ["<p>Sent while Redis is down</p>", "<p>Sent while Redis runs</p>"]
