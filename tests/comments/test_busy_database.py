"""A reader's comment while another process holds SQLite's write lock (a long import).

The answer is a 503 "busy, try again" with the form as it was sent and the same sum still
good — never "That sum has already been answered" — and once the lock is gone the same form
goes through.
"""

import sqlite3

import requests
from lxml import html

from tests.live import byline, clean_env, comment_form, serving

TEXT = "Written while the import ran."


def test_a_locked_database_answers_busy_and_loses_nothing(tmp_path):
    env = clean_env(BYLINE_SQLITE_TIMEOUT="0.5")
    data = tmp_path / "site"
    byline(data, "init", "--demo", env=env)
    byline(data, "option", "set", "captcha_min_seconds", "0", env=env)
    byline(data, "option", "set", "comment_flood_interval", "0", env=env)
    with serving(data, env, tmp_path / "serve.log") as base:
        session = requests.Session()
        url = base + "/2025/09/the-cranes-come-down/"
        form = comment_form(session, url)
        form.update(author="Ada Reader", email="ada@example.net", comment=TEXT)
        importer = sqlite3.connect(data / "byline.sqlite3", isolation_level=None)
        importer.execute("BEGIN IMMEDIATE")  # the write lock, as `byline import` holds it
        try:
            busy = session.post(
                base + "/wp-comments-post.php", data=form, headers={"Referer": url}, timeout=30
            )
        finally:
            importer.execute("ROLLBACK")
            importer.close()
        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "10"
        doc = html.fromstring(busy.content)
        assert doc.xpath("//div[@class='comment-error']")[0].text_content().strip() == (
            "The site is busy just now and could not save your comment. Nothing is lost: "
            "please send it again in a moment."
        )
        assert doc.xpath("//textarea[@name='comment']")[0].text_content() == TEXT
        assert doc.xpath("//input[@name='author']/@value") == ["Ada Reader"]
        assert doc.xpath("//input[@name='captcha_token']/@value") == [form["captcha_token"]]
        # The lock is gone: the same form, the same solved sum, goes through.
        sent = session.post(
            base + "/wp-comments-post.php",
            data=form,
            headers={"Referer": url},
            timeout=30,
            allow_redirects=False,
        )
        assert sent.status_code == 303, sent.text[:500]
    with sqlite3.connect(data / "byline.sqlite3") as db:
        assert db.execute(
            "SELECT count(*) FROM byline_comment WHERE content LIKE ?", (f"%{TEXT}%",)
        ).fetchone() == (1,)


def test_a_rest_comment_on_a_locked_database_answers_busy_in_json(tmp_path):
    env = clean_env(BYLINE_SQLITE_TIMEOUT="0.5")
    data = tmp_path / "site"
    byline(data, "init", "--demo", env=env)
    byline(data, "option", "set", "rest_allow_anonymous_comments", "1", env=env)
    byline(data, "option", "set", "comment_flood_interval", "0", env=env)
    with serving(data, env, tmp_path / "serve.log") as base:
        post = requests.get(base + "/wp-json/wp/v2/posts?per_page=1", timeout=30).json()[0]
        comment = {
            "post": post["id"],
            "author_name": "Ada Reader",
            "author_email": "ada@example.net",
            "content": TEXT,
        }
        importer = sqlite3.connect(data / "byline.sqlite3", isolation_level=None)
        importer.execute("BEGIN IMMEDIATE")
        try:
            busy = requests.post(base + "/wp-json/wp/v2/comments", json=comment, timeout=30)
        finally:
            importer.execute("ROLLBACK")
            importer.close()
        assert busy.status_code == 503, busy.text[:500]
        assert busy.headers["Retry-After"] == "10"
        assert busy.headers["Content-Type"] == "application/json"
        assert busy.json() == {
            "code": "rest_database_busy",
            "message": "The site is busy just now and could not save your comment. Nothing is lost: "
            "please send it again in a moment.",
            "data": {"status": 503},
        }
        sent = requests.post(base + "/wp-json/wp/v2/comments", json=comment, timeout=30)
        assert sent.status_code == 201, sent.text[:500]
    log = (data / "logs" / "byline.log").read_text()
    assert "not saved: the database is busy" in log and "Traceback" not in log
    with sqlite3.connect(data / "byline.sqlite3") as db:
        assert db.execute(
            "SELECT count(*) FROM byline_comment WHERE content LIKE ?", (f"%{TEXT}%",)
        ).fetchone() == (1,)
