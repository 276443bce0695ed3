"""`byline check` (what a production site still lacks) and `byline backup` (a copy of a
running site). docs/deployment.md explains both.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from byline.commands import CommandError, require_site, setup_django

TEST_EMAIL_BACKENDS = ("console", "locmem", "dummy", "filebased")


@dataclass(frozen=True)
class Finding:
    """One thing the site lacks: ``serious`` ones make `byline check` exit with status 1."""

    serious: bool
    topic: str
    message: str


def findings(settings) -> list[Finding]:
    """What the settings in force lack for a public site, serious ones first."""
    out: list[Finding] = []

    def serious(topic, message):
        out.append(Finding(True, topic, message))

    def advice(topic, message):
        out.append(Finding(False, topic, message))

    if settings.DEBUG:
        serious("debug", "debug is on: error pages show code and settings to anyone. Set debug = 0.")
    data_dir = Path(settings.DATA_DIR)
    key_from_config = settings.CONFIG.get("secret_key") or _env("BYLINE_SECRET_KEY")
    if not key_from_config and not (data_dir / "secret_key").is_file():
        serious(
            "secret key",
            f"no secret key in {data_dir / 'secret_key'} or BYLINE_SECRET_KEY: every restart would sign "
            "people out and void comment forms. Run `byline init`.",
        )
    elif len(settings.SECRET_KEY) < 40:
        serious("secret key", "the secret key is shorter than 40 characters. Generate a new one.")
    elif (data_dir / "secret_key").is_file() and (data_dir / "secret_key").stat().st_mode & 0o077:
        advice("secret key", f"{data_dir / 'secret_key'} is readable by other users: chmod 600 it.")
    local = {"127.0.0.1", "localhost", "[::1]", "::1"}
    if not [h for h in settings.ALLOWED_HOSTS if h and h not in local]:
        serious(
            "allowed hosts",
            "the site answers only to 127.0.0.1 and localhost. Set allowed_hosts to its name, "
            "e.g. blog.example.org.",
        )
    if "*" in settings.ALLOWED_HOSTS:
        advice("allowed hosts", "allowed_hosts is '*': any Host header is believed (links in emails).")
    behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not behind_proxy and not getattr(settings, "SECURE_SSL_REDIRECT", False):
        serious(
            "https",
            "the site does not know it is served over HTTPS: set behind_https_proxy = 1 behind "
            "nginx or Caddy with TLS (they send X-Forwarded-Proto), so cookies and links are secure.",
        )
    elif behind_proxy and not settings.BYLINE_TRUSTED_PROXIES:
        serious(
            "trusted proxies",
            "behind a proxy but trusted_proxies is empty: every reader has the proxy's address, "
            "so one commenter's flood limit stops everyone. Set trusted_proxies, e.g. 127.0.0.1.",
        )
    if not settings.CSRF_TRUSTED_ORIGINS and behind_proxy:
        advice("csrf", "csrf_trusted_origins is empty; set it to https://your.host if forms are refused.")
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    if backend in TEST_EMAIL_BACKENDS:
        serious(
            "email",
            f"email goes to the {backend} backend, not to people: comment notices and password "
            "resets are never delivered. Set email_backend = "
            "django.core.mail.backends.smtp.EmailBackend and email_host.",
        )
    elif settings.DEFAULT_FROM_EMAIL.endswith("@localhost"):
        advice("email", "default_from_email ends in @localhost: mail servers will reject or bin it.")
    engine = settings.DATABASES["default"]["ENGINE"]
    if settings.BYLINE_NODES > 1 and engine.endswith("sqlite3"):
        serious(
            "database",
            f"nodes = {settings.BYLINE_NODES} but the database is SQLite, a file one machine writes. "
            "Set database_url to PostgreSQL.",
        )
    caches = settings.CACHES
    if settings.BYLINE_NODES > 1 and "redis" not in caches["default"]["BACKEND"].lower():
        serious(
            "cache",
            f"nodes = {settings.BYLINE_NODES} but each node has its own in-process cache: a change "
            "shows on one node and not the others. Set cache_url to a shared Redis.",
        )
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and not _writable(media):
        serious("media", f"the media folder {media} cannot be written to: uploads will fail.")
    return sorted(out, key=lambda f: not f.serious)


def _env(name):
    import os

    return os.environ.get(name)


def _writable(folder: Path) -> bool:
    import os

    return os.access(folder, os.W_OK | os.X_OK)


def cmd_check(args, data: Path) -> None:
    require_site(data)
    setup_django()
    from django.conf import settings
    from django.db import connection

    found = findings(settings)
    try:
        connection.ensure_connection()
    except Exception as exc:  # noqa: BLE001 - any failure to connect is what we report
        found.insert(0, Finding(True, "database", f"the database cannot be reached: {exc}"))
    for f in found:
        print(f"{'SERIOUS' if f.serious else 'advice '}  {f.topic}: {f.message}")
    serious = sum(f.serious for f in found)
    if serious:
        print(f"\n{serious} serious problem(s): fix them before the site goes public.")
        sys.exit(1)
    print("Nothing serious is missing." if found else "Ready for production: nothing is missing.")


def cmd_backup(args, data: Path) -> None:
    """A consistent copy of a live site: SQLite's online backup, media, key and config."""
    require_site(data)
    setup_django()
    from django.conf import settings

    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("sqlite3"):
        raise CommandError(
            "the database is not SQLite: back it up with pg_dump (docs/deployment.md); "
            "`byline backup` copies an SQLite site."
        )
    dest = Path(args.dest).resolve()
    if dest.exists() and any(dest.iterdir()):
        raise CommandError(f"{dest} is not empty: choose a new folder for the backup.")
    dest.mkdir(parents=True, exist_ok=True)
    # The online backup API copies page by page under SQLite's own locks: readers and writers
    # go on, and the copy is one consistent moment (unlike cp, which can catch half a write).
    source = sqlite3.connect(db["NAME"], timeout=20)
    target = sqlite3.connect(dest / "byline.sqlite3")
    try:
        with target:
            source.backup(target, pages=1024)
    finally:
        target.close()
        source.close()
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, dest / "media")
    for name in ("secret_key", "byline.toml"):
        if (data / name).is_file():
            shutil.copy2(data / name, dest / name)
    print(f"Backed up {data} to {dest} (restore: use it as --data, or copy it back).")


def add_commands(sub, data_parent) -> dict:
    sub.add_parser(
        "check",
        parents=[data_parent],
        help="say what this site lacks for production (exit status 1 if anything serious)",
    )
    p = sub.add_parser(
        "backup",
        parents=[data_parent],
        help="copy the live site (SQLite online backup, media, secret key, byline.toml) into DEST",
    )
    p.add_argument("dest", metavar="DEST", help="a new or empty folder")
    return {"check": cmd_check, "backup": cmd_backup}
