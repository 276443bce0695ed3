"""What a newcomer meets: `byline serve` (as `make run` calls it) says where to go and how to
sign in, and nothing else; the server's log goes to a file; the site learns its address."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

BYLINE = str(Path(sys.executable).with_name("byline"))
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}


def byline(*args, data, check=True):
    result = subprocess.run(
        [BYLINE, *args, "--data", str(data)], capture_output=True, text=True, env=ENV, timeout=120
    )
    if check and result.returncode != 0:
        raise AssertionError(f"byline {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def stop(proc) -> None:
    proc.terminate()
    proc.communicate(timeout=20)  # waits, and closes the pipes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("site")
    out = byline("init", "--demo", data=data).stdout
    assert f"An administrator “admin” was created; the password is in {data}/admin-password.txt" in out
    return data


def _serve(data, port: int) -> subprocess.Popen:
    """`byline serve` with its printed lines to read (stdout) and its errors kept apart."""
    return subprocess.Popen(
        [BYLINE, "serve", "--data", str(data), "--port", str(port), "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


@pytest.fixture(scope="module")
def served(site):
    """`byline serve` as `make run` starts it; yields (base URL, the lines it printed, process)."""
    port = free_port()
    proc = _serve(site, port)
    printed = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        printed.append(line.rstrip("\n"))
        if "Ctrl-C stops the server" in line:
            break
    yield f"http://127.0.0.1:{port}", printed, proc
    stop(proc)


def test_serve_prints_the_address_and_how_to_sign_in_and_nothing_else(site, served):
    base, printed, _ = served
    assert printed == [
        f"Byline is running. Open {base}/ in your browser.",
        f"Sign in at {base}/wp-login.php as “admin”; the password is in {site}/admin-password.txt",
        f"  (change it on your profile page, {base}/wp-admin/profile.php, then delete that file).",
        f"Logs go to {site}/logs/byline.log. Ctrl-C stops the server.",
    ]


def test_the_demo_administrator_signs_in_with_the_password_in_the_file(site, served):
    base, _, _ = served
    password_file = site / "admin-password.txt"
    assert password_file.stat().st_mode & 0o777 == 0o600
    session = requests.Session()
    form = session.get(base + "/wp-login.php", timeout=5).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    signed_in = session.post(
        base + "/wp-login.php",
        data={
            "username": "admin",
            "password": password_file.read_text().strip(),
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": base + "/wp-login.php"},
        allow_redirects=False,
        timeout=5,
    )
    assert signed_in.headers["Location"] == "/wp-admin/"
    assert session.get(base + "/admin/", timeout=5).status_code == 200  # an administrator's settings too


def test_requests_are_logged_to_the_file_and_the_favicon_is_not_a_404(site, served):
    base, _, proc = served
    assert requests.get(base + "/favicon.ico", timeout=5).status_code == 200
    assert requests.get(base + "/no-such-page/", timeout=5).status_code == 404
    log = site / "logs" / "byline.log"
    for _ in range(200):
        if "Not Found: /no-such-page/" in log.read_text():
            break
        time.sleep(0.1)
    text = log.read_text()
    assert "Not Found: /no-such-page/" in text
    assert "favicon" not in text
    assert "granian" in text.lower()  # granian's own start-up lines are kept here, not shown


def test_the_first_page_served_records_the_sites_address_for_exports(site, served):
    base, _, _ = served
    assert requests.get(base + "/", timeout=5).status_code == 200
    assert byline("option", "get", "siteurl", data=site).stdout.strip() == base
    exported = byline("export-wxr", data=site).stdout
    assert f"<wp:base_site_url>{base}</wp:base_site_url>" in exported
    assert f"<link>{base}/2025/09/the-cranes-come-down/</link>" in exported


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _kib(pid: int, field: str) -> int:
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", rollup, re.M).group(1))


def test_the_task_worker_runs_in_byline_serve_and_granian_shares_its_site(site, served):
    """One Django process fewer: the worker is a thread of `byline serve`, and granian's main
    process is forked from it with the site loaded, so its workers share those pages too."""
    base, _, proc = served
    assert requests.get(base + "/", timeout=5).status_code == 200
    [granian] = _children(proc.pid)  # granian's main process, and no `byline worker` beside it
    [worker] = _children(granian)  # --workers 1
    log = site / "logs" / "byline.log"
    for _ in range(100):
        if f"worker {proc.pid} started on queues default, imports" in log.read_text():
            break
        time.sleep(0.1)
    assert f"worker {proc.pid} started on queues default, imports" in log.read_text()
    # Django and Byline, imported once before the forks, are pages the three processes share:
    # a granian started afresh shares only its own interpreter with its worker (about 8 MiB).
    assert _kib(worker, "Shared_Dirty") > 20 * 1024


def test_a_task_worker_that_ends_is_started_again_and_stops_with_the_server():
    from byline import serving

    runs = []

    def worker(stop):
        runs.append("started")
        if len(runs) == 1:
            raise RuntimeError("the database is not there yet")
        stop.wait()
        runs.append("stopped")

    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    children = serving._Children(server, worker)
    children.start_worker()
    ended = []
    waiting = threading.Thread(target=lambda: ended.append(children.wait()))
    waiting.start()
    deadline = time.monotonic() + 20
    while runs != ["started", "started"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert runs == ["started", "started"]  # the first run raised; the supervisor ran it again
    children.terminate()  # as SIGTERM to `byline serve` does
    waiting.join(timeout=30)
    assert ended == [-15] and runs == ["started", "started", "stopped"]


def test_ctrl_c_or_a_stop_signal_leaves_no_server_behind(site):
    port = free_port()
    proc = _serve(site, port)
    assert "Byline is running" in proc.stdout.readline()
    stop(proc)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/", timeout=2)


def test_a_port_in_use_is_refused_with_what_to_do(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = byline("serve", "--port", str(port), data=site, check=False)
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "make run PORT=8080" in result.stderr


def test_a_site_without_an_administrator_says_how_to_make_one(tmp_path):
    byline("init", data=tmp_path)
    port = free_port()
    proc = _serve(tmp_path, port)
    try:
        lines = [proc.stdout.readline().rstrip("\n") for _ in range(3)]
    finally:
        stop(proc)
    assert (
        lines[1]
        == f"Nobody can sign in at http://127.0.0.1:{port}/wp-login.php yet. Create your account with:"
    )
    assert lines[2] == "  .venv/bin/byline createuser YOURNAME --email YOU@EXAMPLE.ORG --role administrator"


def test_init_takes_the_sites_address(tmp_path):
    byline("init", "--url", "https://blog.example.org", data=tmp_path)
    assert byline("option", "get", "siteurl", data=tmp_path).stdout.strip() == "https://blog.example.org"
    exported = byline("export-wxr", data=tmp_path).stdout
    assert "<wp:base_site_url>https://blog.example.org</wp:base_site_url>" in exported


def test_init_refuses_an_address_that_is_not_one(tmp_path):
    result = byline("init", "--url", "blog.example.org", data=tmp_path, check=False)
    assert result.returncode == 2
    assert "siteurl: must be an http:// or https:// address" in result.stderr


def test_export_refuses_to_guess_an_address_it_does_not_know(tmp_path):
    byline("init", data=tmp_path)
    result = byline("export-wxr", data=tmp_path, check=False)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "does not know this site's address yet" in result.stderr
    assert "--site-url" in result.stderr and "byline option set siteurl" in result.stderr
