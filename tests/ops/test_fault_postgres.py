"""PostgreSQL stops for a few seconds under load: readers get a clean 503 with Retry-After,
never a traceback, and the same `byline serve` process serves again once it is back."""

import threading
import time

import pytest
import requests

from tests.ops.servers import Postgres, byline, clean_env, serve

pytestmark = [pytest.mark.faults, pytest.mark.xdist_group("faults")]


@pytest.fixture
def postgres():
    pg = Postgres()
    pg.start()
    yield pg
    pg.destroy()


def test_a_database_outage_gives_503_and_the_node_recovers_without_a_restart(tmp_path, postgres):
    env = clean_env(BYLINE_DATABASE_URL=postgres.url)
    data = tmp_path / "site"
    byline("init", "--demo", "--data", str(data), env=env)
    with serve(data, env, log_path=tmp_path / "serve.log") as base:
        url = base + "/2025/09/the-cranes-come-down/"
        assert requests.get(url, timeout=10).status_code == 200
        seen, stop = [], threading.Event()

        def reader():
            session = requests.Session()
            while not stop.is_set():
                r = session.get(url, timeout=15)
                seen.append((time.monotonic(), r.status_code, r.headers.get("Retry-After"), r.text))
                time.sleep(0.05)

        readers = [threading.Thread(target=reader) for _ in range(3)]
        for t in readers:
            t.start()
        try:
            time.sleep(1)
            down_at = time.monotonic()
            postgres.stop()
            time.sleep(3)
            postgres.start()
            up_at = time.monotonic()
            deadline = up_at + 15
            while time.monotonic() < deadline and not [s for s in seen if s[0] > up_at + 1 and s[1] == 200]:
                time.sleep(0.2)
            time.sleep(0.5)
        finally:
            stop.set()
            for t in readers:
                t.join(timeout=20)

    statuses = {s[1] for s in seen}
    assert statuses <= {200, 503}, statuses
    outage = [s for s in seen if s[1] == 503]
    assert outage, "no request met the outage"
    assert all(s[0] > down_at for s in outage)
    for _, _, retry_after, body in outage:
        assert retry_after == "10"
        assert "cannot reach its database" in body and "Traceback" not in body
    after = [s[1] for s in seen if s[0] > up_at + 1]
    # Back by itself: once a request succeeds after the restart, none fails again.
    first_ok = after.index(200)
    assert set(after[first_ok:]) == {200}
