"""The `byline` command as a site owner runs it: real processes, a real data dir, a real server."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

BYLINE = str(Path(sys.executable).with_name("byline"))


def byline(*args, data, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    result = subprocess.run(
        [BYLINE, *args, "--data", str(data)], capture_output=True, text=True, env=env, timeout=120
    )
    if check and result.returncode != 0:
        raise AssertionError(f"byline {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("site")
    out = byline("init", "--demo", data=data)
    assert "Demo content added." in out.stdout
    return data


def test_init_creates_the_data_dir(site):
    assert (site / "byline.sqlite3").is_file()
    assert (site / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (site / "byline.toml").is_file()
    assert list((site / "media").rglob("*.jpg"))


def test_init_is_idempotent(site):
    again = byline("init", "--demo", data=site)
    assert "already there" in again.stdout


def test_option_get_and_set(site):
    assert byline("option", "get", "posts_per_page", data=site).stdout.strip() == "10"
    byline("option", "set", "posts_per_page", "5", data=site)
    assert byline("option", "get", "posts_per_page", data=site).stdout.strip() == "5"
    byline("option", "set", "blogname", "Quay Notes", data=site)
    assert byline("option", "get", "blogname", data=site).stdout.strip() == "Quay Notes"


@pytest.mark.parametrize(
    "name,value,says",
    [
        ("posts_per_page", "many", "a whole number from 1 to 100"),
        ("posts_per_page", "0", "a whole number from 1 to 100"),
        ("timezone_string", "Mars/Olympus", "Europe/London"),
        ("default_comment_status", "maybe", "open, closed"),
        ("blog_public", "perhaps", "0 or 1"),
        ("permalink_structure", "/%slug%/", "%postname%"),
        ("permalink_structure", "/%year%/", "must contain %postname% or %post_id%"),
        ("no_such_option", "1", "there is no option"),
    ],
)
def test_invalid_option_values_are_refused_and_change_nothing(site, name, value, says):
    before = byline("option", "list", data=site).stdout
    result = byline("option", "set", name, value, data=site, check=False)
    assert result.returncode == 2
    assert says in result.stderr
    assert byline("option", "list", data=site).stdout == before


def test_createuser_with_each_role(site):
    for role in ("administrator", "editor", "author", "contributor", "subscriber"):
        out = byline(
            "createuser",
            f"user-{role}",
            "--email",
            f"{role}@example.org",
            "--role",
            role,
            "--password",
            "correct horse battery",
            data=site,
        )
        assert f"Created {role}" in out.stdout
    dup = byline(
        "createuser", "user-editor", "--email", "x@example.org", "--role", "editor", data=site, check=False
    )
    assert dup.returncode == 2 and "already a user" in dup.stderr
    bad = byline(
        "createuser", "someone", "--email", "x@example.org", "--role", "king", data=site, check=False
    )
    assert bad.returncode == 2 and "administrator" in bad.stderr


def test_manage_passes_through_to_django(site):
    out = byline("manage", "showmigrations", "content", data=site)
    assert "[X] 0001_initial" in out.stdout


def test_serve_on_a_missing_data_dir_says_to_init(tmp_path):
    result = byline("serve", "--port", "1", data=tmp_path / "nothing", check=False)
    assert result.returncode == 2
    assert "byline init" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_pages_static_files_and_media(site, tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [BYLINE, "serve", "--data", str(site), "--port", str(port), "--workers", "1"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # collectstatic and migrate first: slow on a busy machine
        while True:
            try:
                home = requests.get(base + "/", timeout=10)
                break
            except requests.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("byline serve did not answer: " + (tmp_path / "serve.log").read_text())
                time.sleep(0.2)
        assert home.status_code == 200
        name = byline("option", "get", "blogname", data=site).stdout.strip()
        assert f"<title>{name}" in home.text
        post = requests.get(base + "/2025/09/the-cranes-come-down/", timeout=5)
        assert post.status_code == 200
        css = post.text.split('rel="stylesheet" href="')[1].split('"')[0]
        assert css.startswith("/static/byline/theme.") and css != "/static/byline/theme.css"  # cache-busted
        static = requests.get(base + css, headers={"Accept-Encoding": "gzip"}, timeout=5)
        assert static.status_code == 200 and "max-age" in static.headers["Cache-Control"]
        img = post.text.split('<img src="')[1].split('"')[0]
        media = requests.get(base + img, timeout=5)
        assert media.status_code == 200 and media.content[:2] == b"\xff\xd8"  # a JPEG
        assert requests.get(base + "/no-such-thing/", timeout=5).status_code == 404
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.mark.parametrize(
    "argv",
    [
        ["option", "set", "blogname", "Ctl\x1b[2J"],
        ["option", "set", "blogdescription", "\ufffe"],
        ["createuser", "bell\x07", "--email", "b@example.org", "--role", "author"],
        ["import", "caf\udce9.xml"],  # a file name in bytes that are not UTF-8
    ],
)
def test_arguments_with_forbidden_characters_are_refused(argv, tmp_path, capsys):
    from byline.cli import main

    assert main([*argv, "--data", str(tmp_path / "site")]) == 2
    assert "not allowed" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()  # refused before anything was created
