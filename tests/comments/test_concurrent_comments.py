"""Eight readers press "Post Comment" at the same moment, against a real `byline serve`.

From one address with comment_flood_interval=15 exactly one comment gets in; eight identical
comments are stored once. On SQLite always; on PostgreSQL too when the run has a server
(BYLINE_TEST_DATABASE_URL, as CI sets it), in a fresh database of its own.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.live import BACKENDS, byline, clean_env, comment_form, serving, site_database

READERS = 8
URL = "/2025/09/the-cranes-come-down/"


@pytest.fixture(params=BACKENDS)
def site(request, tmp_path):
    """A demo site in a data dir, on SQLite or in a fresh PostgreSQL database."""
    with site_database(request.param, clean_env(), "byline_comments_race") as env:
        data = tmp_path / "site"
        byline(data, "init", "--demo", env=env)
        byline(data, "option", "set", "captcha_enabled", "0", env=env)
        yield data, env


def count_comments(data, env, text_like: str) -> int:
    code = (
        "from byline.comments.models import Comment; "
        f"print(Comment.objects.filter(content__contains={text_like!r}).count())"
    )
    return int(byline(data, "manage", "shell", "--no-imports", "-c", code, env=env).strip())


def all_at_once(base, texts) -> list[int]:
    """Each reader loads the form, then all send it at the same instant; their status codes."""
    sessions, forms = [], []
    for text in texts:
        session = requests.Session()
        form = comment_form(session, base + URL)
        form.update(author="Ada Reader", email="ada@example.net", comment=text)
        sessions.append(session)
        forms.append(form)
    start = threading.Barrier(len(texts))

    def send(i):
        start.wait()
        return (
            sessions[i]
            .post(
                base + "/wp-comments-post.php",
                data=forms[i],
                headers={"Referer": base + URL},
                allow_redirects=False,
                timeout=60,
            )
            .status_code
        )

    with ThreadPoolExecutor(len(texts)) as pool:
        return sorted(pool.map(send, range(len(texts))))


def test_simultaneous_comments_pass_the_flood_and_duplicate_checks_once(site, tmp_path):
    data, env = site
    byline(data, "option", "set", "comment_flood_interval", "15", env=env)
    with serving(data, env, tmp_path / "serve.log", workers=2, threads=4) as base:
        flood = all_at_once(base, [f"Flood number {i}." for i in range(READERS)])
        assert flood == [303] + [429] * (READERS - 1)
        assert count_comments(data, env, "Flood number") == 1
        byline(data, "option", "set", "comment_flood_interval", "0", env=env)
        # A fresh minute for the address's comment throttle (10 a minute), which the first
        # eight used: this batch is about the duplicate check.
        forget = "from django.core.cache import caches; caches['shared'].clear()"
        byline(data, "manage", "shell", "--no-imports", "-c", forget, env=env)
        same = all_at_once(base, ["The very same words."] * READERS)
        assert same == [303] + [409] * (READERS - 1)
        assert count_comments(data, env, "The very same words.") == 1
