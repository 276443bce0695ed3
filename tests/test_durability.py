"""Nothing the server acknowledged is lost: a comment survives `kill -9` right after its 303."""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import requests

BYLINE = str(Path(sys.executable).with_name("byline"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(data, port, log):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    proc = subprocess.Popen(
        [BYLINE, "serve", "--data", str(data), "--port", str(port), "--workers", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    for _ in range(150):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError("byline serve did not start")


def test_acknowledged_comments_survive_kill_9(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    data = tmp_path / "site"
    for args in (
        ["init", "--demo"],
        ["option", "set", "captcha_enabled", "0"],
        ["option", "set", "comment_flood_interval", "0"],
    ):
        subprocess.run(
            [BYLINE, *args, "--data", str(data)], env=env, check=True, capture_output=True, timeout=120
        )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with (tmp_path / "serve.log").open("w") as log:
        proc = _serve(data, port, log)
        acknowledged = []
        try:
            session = requests.Session()
            url = base + "/2025/09/the-cranes-come-down/"
            for i in range(5):
                page = session.get(url, timeout=5).text
                csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
                r = session.post(
                    base + "/wp-comments-post.php",
                    allow_redirects=False,
                    timeout=5,
                    headers={"Referer": url},
                    data={
                        "csrfmiddlewaretoken": csrf,
                        "comment_post_ID": re.search(r'name="comment_post_ID" value="(\d+)"', page).group(1),
                        "comment_parent": "0",
                        "author": "Durable",
                        "email": "d@example.org",
                        "comment": f"Keep me {i}",
                        "website_confirm": "",
                    },
                )
                assert r.status_code == 303, r.text[:500]
                acknowledged.append(f"Keep me {i}")
        finally:
            os.killpg(proc.pid, signal.SIGKILL)  # no shutdown, no flush: the machine "crashes"
            proc.wait(timeout=10)
    db = sqlite3.connect(data / "byline.sqlite3")
    stored = {row[0] for row in db.execute("SELECT content FROM byline_comment")}
    db.close()
    for text in acknowledged:
        assert f"<p>{text}</p>" in stored
