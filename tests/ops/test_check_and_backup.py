"""`byline check` names what a public site lacks and fails on the serious; `byline backup`
copies a live SQLite site that can be served again."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from byline.ops import findings

BYLINE = str(Path(sys.executable).with_name("byline"))


def _production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["blog.example.org"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.BYLINE_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://blog.example.org"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "blog@example.org"
    settings.CONFIG = {"secret_key": "k" * 50}
    settings.SECRET_KEY = "k" * 50
    settings.BYLINE_NODES = 1


def test_a_well_set_up_site_has_nothing_to_fix(settings):
    _production(settings)
    assert findings(settings) == []


@pytest.mark.parametrize(
    ("change", "topic", "words"),
    [
        ({"DEBUG": True}, "debug", "debug is on"),
        ({"ALLOWED_HOSTS": ["127.0.0.1", "localhost"]}, "allowed hosts", "answers only to 127.0.0.1"),
        ({"SECURE_PROXY_SSL_HEADER": None}, "https", "set behind_https_proxy = 1"),
        ({"BYLINE_TRUSTED_PROXIES": []}, "trusted proxies", "trusted_proxies is empty"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "email", "password resets"),
        ({"CONFIG": {}}, "secret key", "no secret key"),
        ({"SECRET_KEY": "short", "CONFIG": {"secret_key": "short"}}, "secret key", "shorter than 40"),
        (
            {"BYLINE_NODES": 2, "ENGINE": "django.db.backends.sqlite3"},
            "database",
            "nodes = 2 but the database is SQLite",
        ),
        ({"BYLINE_NODES": 2}, "cache", "in-process cache"),
    ],
)
def test_each_serious_lack_is_named(settings, monkeypatch, change, topic, words):
    _production(settings)
    for name, value in change.items():
        if name == "ENGINE":  # the suite may run on PostgreSQL: only the engine's name is read
            monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", value)
        else:
            setattr(settings, name, value)
    serious = [f for f in findings(settings) if f.serious and f.topic == topic]
    assert len(serious) == 1 and words in serious[0].message


def test_a_from_address_at_localhost_is_advice_not_serious(settings):
    _production(settings)
    settings.DEFAULT_FROM_EMAIL = "byline@localhost"
    assert [(f.serious, f.topic) for f in findings(settings)] == [(False, "email")]


def _byline(*args, env=None):
    return subprocess.run([BYLINE, *args], env=env, capture_output=True, text=True, timeout=120)


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    return {**env, **extra}


def test_byline_check_fails_a_fresh_site_and_passes_a_configured_one(tmp_path):
    data = str(tmp_path / "site")
    assert _byline("init", "--data", data, env=_clean_env()).returncode == 0
    fresh = _byline("check", "--data", data, env=_clean_env())
    assert fresh.returncode == 1
    assert "SERIOUS  allowed hosts" in fresh.stdout and "SERIOUS  email" in fresh.stdout
    assert "serious problem(s)" in fresh.stdout and "Traceback" not in fresh.stderr
    ready = _byline(
        "check",
        "--data",
        data,
        env=_clean_env(
            BYLINE_ALLOWED_HOSTS="blog.example.org",
            BYLINE_BEHIND_HTTPS_PROXY="1",
            BYLINE_TRUSTED_PROXIES="127.0.0.1",
            BYLINE_CSRF_TRUSTED_ORIGINS="https://blog.example.org",
            BYLINE_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            BYLINE_DEFAULT_FROM_EMAIL="blog@example.org",
        ),
    )
    assert ready.returncode == 0, ready.stdout
    assert "SERIOUS" not in ready.stdout


def test_byline_check_on_a_missing_site_says_how_to_make_one(tmp_path):
    result = _byline("check", "--data", str(tmp_path / "nowhere"), env=_clean_env())
    assert result.returncode == 2 and "byline init" in result.stderr


def test_byline_backup_copies_a_site_that_serves_the_same_posts(tmp_path):
    env = _clean_env()
    data, dest = tmp_path / "site", tmp_path / "backup"
    assert _byline("init", "--demo", "--data", str(data), env=env).returncode == 0
    (data / "media" / "2025").mkdir(parents=True, exist_ok=True)
    (data / "media" / "2025" / "crane.jpg").write_bytes(b"jpeg bytes")
    result = _byline("backup", "--data", str(data), str(dest), env=env)
    assert result.returncode == 0, result.stderr
    assert (dest / "media" / "2025" / "crane.jpg").read_bytes() == b"jpeg bytes"
    assert (dest / "secret_key").read_text() == (data / "secret_key").read_text()
    copy = sqlite3.connect(dest / "byline.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    original = sqlite3.connect(data / "byline.sqlite3")
    query = "SELECT title FROM byline_post ORDER BY id"
    assert copy.execute(query).fetchall() == original.execute(query).fetchall() != []
    # The copy is a site: the option store answers from it.
    assert _byline("option", "get", "blogname", "--data", str(dest), env=env).stdout.strip() != ""
    again = _byline("backup", "--data", str(data), str(dest), env=env)
    assert again.returncode == 2 and "is not empty" in again.stderr
