"""`byline createuser` never leaves an administrator without a usable password; `byline user reset-link`."""

import fcntl
import os
import re
import subprocess
import termios
import time

import pytest
import requests

from tests.test_cli import BYLINE, _free_port, byline


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("desk-site")
    byline("init", data=data)
    return data


def _env():
    return {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}


def on_a_terminal(args, answers: list[str], data) -> str:
    """Run `byline ARGS` with a pseudo-terminal as its controlling terminal, typing `answers`."""
    main, child = os.openpty()
    proc = subprocess.Popen(
        [BYLINE, *args, "--data", str(data)],
        stdin=child,
        stdout=child,
        stderr=child,
        env=_env(),
        start_new_session=True,
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),  # noqa: PLW1509 - the pty must be the child's terminal
    )
    os.close(child)
    out, pending = b"", list(answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if pending and out.endswith(b": "):  # a fresh prompt, waiting for its line
            os.write(main, pending.pop(0).encode() + b"\n")
    proc.wait(timeout=30)
    os.close(main)
    return out.decode(errors="replace")


def test_an_administrator_on_a_terminal_is_asked_twice_and_validated(site):
    out = on_a_terminal(
        ["createuser", "chief", "--email", "chief@example.org", "--role", "administrator"],
        [
            "tidewater-lantern-42",
            "tidewater-lantern-4",
            "password",
            "password",
            "tidewater-lantern-42",
            "tidewater-lantern-42",
        ],
        site,
    )
    assert "The two passwords differ" in out
    assert "This password is too common." in out
    assert "Created administrator chief." in out and "one-time link" not in out


def test_with_no_terminal_an_administrator_gets_a_set_password_link_that_works_once(site, tmp_path):
    out = byline("createuser", "night", "--email", "night@example.org", "--role", "administrator", data=site)
    assert "Created administrator night." in out.stdout
    path = re.search(r"http://127\.0\.0\.1(/wp-login\.php\?action=rp\S+)", out.stdout).group(1)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")  # closed in the finally below
    server = subprocess.Popen(
        [BYLINE, "serve", "--data", str(site), "--port", str(port), "--workers", "1"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=_env(),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(450):
            try:
                requests.get(base + "/wp-login.php", timeout=10)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        s = requests.Session()
        form = s.get(base + path, timeout=10)
        assert form.status_code == 200 and "New password" in form.text
        token = s.cookies["csrftoken"]
        done = s.post(
            base + path,
            data={
                "csrfmiddlewaretoken": token,
                "new_password1": "harbour-light-77",
                "new_password2": "harbour-light-77",
            },
            headers={"Referer": base + path},
            timeout=10,
            allow_redirects=False,
        )
        assert done.status_code == 302 and done.headers["Location"] == "/wp-login.php?password=changed"
        assert s.get(base + path, timeout=10).status_code == 400  # used once, dead after
        signin = s.post(
            base + "/wp-login.php",
            data={
                "csrfmiddlewaretoken": s.cookies["csrftoken"],
                "username": "night",
                "password": "harbour-light-77",
            },
            headers={"Referer": base + "/wp-login.php"},
            timeout=10,
            allow_redirects=False,
        )
        assert signin.headers["Location"] == "/wp-admin/"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_a_weak_password_on_the_command_line_is_refused_and_creates_nobody(site):
    bad = byline(
        "createuser",
        "weak",
        "--email",
        "w@example.org",
        "--role",
        "editor",
        "--password",
        "123",
        data=site,
        check=False,
    )
    assert bad.returncode == 2 and "too short" in bad.stderr
    link = byline("user", "reset-link", "weak", data=site, check=False)
    assert link.returncode == 2 and "no user called 'weak'" in link.stderr


def test_reset_link_prints_a_set_password_address(site):
    byline(
        "createuser",
        "ola",
        "--email",
        "ola@example.org",
        "--role",
        "author",
        "--password",
        "tidewater-lantern-42",
        data=site,
    )
    out = byline("user", "reset-link", "ola", "--site-url", "https://news.example/", data=site)
    assert re.search(
        r"^https://news\.example/wp-login\.php\?action=rp&login=\w+&key=[\w-]+$", out.stdout, re.M
    )
