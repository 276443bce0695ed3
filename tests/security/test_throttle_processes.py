"""The throttles count every attempt, whichever server process or node it reached.

Two `byline serve` on one data dir stand for two app nodes: attempts spread over both are
counted together. And the counters of the database-backed shared cache lose no attempt
when many processes count at the same moment (Django's own `incr` reads, then writes back).
"""

import subprocess
import time

import pytest
import requests
from lxml import html

from tests.live import BACKENDS, BYLINE, byline, clean_env, serving, site_database

PASSWORD = "a long and right pass phrase"


def sign_in(session: requests.Session, base: str, password: str) -> requests.Response:
    page = html.fromstring(session.get(base + "/wp-login.php", timeout=30).content)
    token = page.xpath("//input[@name='csrfmiddlewaretoken']/@value")[0]
    return session.post(
        base + "/wp-login.php",
        data={
            "csrfmiddlewaretoken": token,
            "username": "owner",
            "password": password,
            "redirect_to": "/wp-admin/",
        },
        headers={"Referer": base + "/wp-login.php"},
        allow_redirects=False,
        timeout=30,
    )


def login_error(response: requests.Response) -> str:
    return " ".join(html.fromstring(response.content).xpath("string(//*[@id='login-error'])").split())


def test_two_servers_on_one_data_dir_count_attempts_together(tmp_path):
    env = clean_env()
    data = tmp_path / "site"
    byline(data, "init", "--demo", env=env)
    byline(data, "createuser", "owner", "--email", "owner@example.org", "--role", "administrator",
           "--password", PASSWORD, env=env)  # fmt: skip
    with (
        serving(data, env, tmp_path / "a.log", workers=1, threads=2) as a,
        serving(data, env, tmp_path / "b.log", workers=1, threads=2) as b,
    ):
        # Comments: 10 a minute per address. Ten bare posts, alternating, are let through to
        # the view (which refuses them for their own reasons); the eleventh is refused on both.
        answers = [requests.post((a, b)[i % 2] + "/wp-comments-post.php", timeout=30) for i in range(10)]
        assert [r.status_code for r in answers].count(429) == 0
        for base in (a, b):
            over = requests.post(base + "/wp-comments-post.php", timeout=30)
            assert over.status_code == 429
            assert "Too many comments were sent from your address" in over.text

        # Sign-ins: five failures from one address, alternating, and the address is refused
        # on both servers, the right password included.
        session = requests.Session()
        for i in range(4):
            wrong = sign_in(session, (a, b)[i % 2], "wrong")
            assert wrong.status_code == 200 and "correct username and password" in login_error(wrong).lower()
        assert sign_in(session, b, "wrong").status_code == 429
        for base in (a, b):
            refused = sign_in(session, base, PASSWORD)
            assert refused.status_code == 429
            assert login_error(refused).startswith("Too many failed sign-ins from your address.")


HAMMER = """
import pathlib, sys, time
from byline.security import throttle
here = pathlib.Path({folder!r})
(here / "ready-{n}").touch()
while not (here / "go").exists():
    time.sleep(0.005)
for _ in range({hits}):
    throttle.hit("comment", "address:192.0.2.1")
print("done")
"""

# The sum over this window and the two before it, in case a minute turned during the test.
COUNT = """
import time
from django.core.cache import caches
from byline.security import throttle
rule = throttle.rules()["comment"]
start, _ = throttle._window(rule, time.time())
keys = [throttle._key(rule, "address:192.0.2.1", start - k * rule.window) for k in range(3)]
print(sum(caches["shared"].get(key, 0) for key in keys))
"""


@pytest.fixture(params=BACKENDS)
def site(request, tmp_path):
    """A site with no Redis (the counters live in its database), on SQLite or a fresh PostgreSQL database."""
    with site_database(request.param, clean_env(), "byline_throttle") as env:
        data = tmp_path / "site"
        byline(data, "init", env=env)
        yield data, env


def test_the_database_counters_lose_no_hit_when_processes_count_at_once(tmp_path, site):
    data, env = site
    processes, hits = 6, 40

    def shell(code: str) -> subprocess.Popen:
        return subprocess.Popen(
            [BYLINE, "manage", "shell", "--no-imports", "-c", code, "--data", str(data)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    running = [shell(HAMMER.format(folder=str(tmp_path), n=n, hits=hits)) for n in range(processes)]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready-*"))) < processes:
        assert time.monotonic() < deadline, "the counting processes did not start"
        time.sleep(0.05)
    (tmp_path / "go").touch()  # all at once
    for proc in running:
        out, err = proc.communicate(timeout=120)
        assert out.strip() == "done" and "could not count" not in err, err[-2000:]

    counted = shell(COUNT).communicate(timeout=120)[0]
    assert int(counted) == processes * hits
