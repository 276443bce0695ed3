"""`kill -9` of one of two app nodes in the middle of a burst of comment posts: every comment
that got its 303 is in the database, whole; the other node goes on serving and taking comments.

Both nodes are real `byline serve` processes, each with a data dir of its own (the same secret
key), on one throw-away PostgreSQL and one Redis.
"""

import os
import re
import shutil
import signal
import threading
import time

import pytest
import requests

from tests.ops.servers import byline, clean_env, comment_form, nodes, send_comment

pytestmark = [pytest.mark.faults, pytest.mark.xdist_group("faults")]

POST_PATH = "/2025/09/the-cranes-come-down/"
POSTERS_PER_NODE = 3
AFTER_THE_KILL = 4  # comments each poster on the surviving node sends once the other is dead


def test_kill_9_of_a_node_mid_burst_loses_no_acknowledged_comment_and_the_other_goes_on(tmp_path, services):
    pg, redis = services
    env = clean_env(
        BYLINE_DATABASE_URL=pg.url, BYLINE_CACHE_URL=redis.url, BYLINE_TRUSTED_PROXIES="127.0.0.1"
    )
    site_a, site_b = tmp_path / "node-a", tmp_path / "node-b"
    byline("init", "--demo", "--data", str(site_a), env=env)
    for name, value in (("captcha_min_seconds", "0"), ("comment_flood_interval", "0")):
        byline("option", "set", name, value, "--data", str(site_a), env=env)
    shutil.copytree(site_a, site_b, ignore=shutil.ignore_patterns("media", "logs"))

    sent, lock = [], threading.Lock()  # (node, text, status, location, monotonic time)
    killed_at = []
    with nodes(
        env,
        (site_a, {"workers": 2, "log_path": tmp_path / "a.log"}),
        (site_b, {"workers": 1, "log_path": tmp_path / "b.log"}),
    ) as [(base_a, proc_a), (base_b, _)]:

        def poster(name, base, n):
            session = requests.Session()
            url = base + POST_PATH
            i = 0
            while True:
                text = f"Burst {name}{n}-{i} under a dying node"
                try:
                    form = comment_form(session, url, text, author=f"Reader {name}{n}")
                    # Each poster stands for a reader of their own address (the node trusts loopback).
                    r = send_comment(
                        session, base, url, form, **{"X-Forwarded-For": f"192.0.2.{10 * n + i % 10}"}
                    )
                    outcome = (r.status_code, r.headers.get("Location", ""))
                except requests.RequestException as exc:
                    outcome = (type(exc).__name__, "")
                with lock:
                    sent.append((name, text, *outcome, time.monotonic()))
                i += 1
                if name == "a" and killed_at:
                    return  # the node is gone; its readers give up
                if (
                    name == "b"
                    and killed_at
                    and sum(
                        1
                        for s in sent
                        if s[0] == "b" and s[1].startswith(f"Burst b{n}-") and s[4] > killed_at[0]
                    )
                    >= AFTER_THE_KILL
                ):
                    return
                if time.monotonic() > started + 25:
                    return

        started = time.monotonic()
        threads = [
            threading.Thread(target=poster, args=(name, base, n))
            for name, base in (("a", base_a), ("b", base_b))
            for n in range(POSTERS_PER_NODE)
        ]
        for t in threads:
            t.start()
        # Kill node A (granian and its workers, no shutdown) once it has taken a few comments,
        # while its readers are in the middle of posting more.
        while sum(1 for s in sent if s[0] == "a" and s[2] == 303) < 6:
            assert time.monotonic() < started + 20, sent
            time.sleep(0.02)
        os.killpg(proc_a.pid, signal.SIGKILL)
        killed_at.append(time.monotonic())
        for t in threads:
            t.join(timeout=40)
        proc_a.wait(timeout=10)

        # The surviving node serves the post with the comments node A acknowledged.
        page = requests.get(base_b + POST_PATH, timeout=10)
        assert page.status_code == 200

    on_b = [s for s in sent if s[0] == "b"]
    assert {s[2] for s in on_b} == {303}, on_b  # node B never failed a reader, before or after
    assert sum(1 for s in on_b if s[4] > killed_at[0]) >= POSTERS_PER_NODE * AFTER_THE_KILL

    acknowledged = {s[1]: int(re.search(r"#comment-(\d+)$", s[3]).group(1)) for s in sent if s[2] == 303}
    rows = pg.query(
        "SELECT id, content, author_name, author_email, status, post_id FROM byline_comment"
        " WHERE content LIKE %s",
        ["<p>Burst %"],
    )
    by_text = {}
    for pk, content, author, email, status, post_id in rows:
        text = re.fullmatch(r"<p>(Burst ([ab])(\d)-\d+ under a dying node)</p>", content)
        # None half-written: every stored comment is whole, with its author and address.
        assert text, content
        assert author == f"Reader {text.group(2)}{text.group(3)}" and email == "reader@example.org"
        assert status in ("approved", "pending") and post_id is not None
        assert text.group(1) not in by_text, f"stored twice: {content}"
        by_text[text.group(1)] = pk
    # Every comment that got its 303 is there, under the id its redirect named.
    for text, pk in acknowledged.items():
        assert by_text.get(text) == pk, text
    # A comment whose reader got no answer may or may not have been committed, never anything else.
    assert set(by_text) <= {s[1] for s in sent}
    acknowledged_by_a = [pk for text, pk in acknowledged.items() if text.startswith("Burst a")]
    assert len(acknowledged_by_a) >= 6
    shown = {int(pk) for pk in re.findall(r'id="comment-(\d+)"', page.text)}
    approved = {pk for pk, _, _, _, status, _ in rows if status == "approved"}
    assert approved & set(acknowledged_by_a) <= shown
