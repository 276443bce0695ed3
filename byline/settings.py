"""Byline's one settings module.

Everything a site owner may change lives in the data directory (``--data DIR``,
``$BYLINE_DATA_DIR`` or ``./byline-data``): the SQLite database, uploaded media, the
generated secret key and ``byline.toml``. Environment variables override that file, so
several app nodes can share one configuration (``BYLINE_DATABASE_URL``,
``BYLINE_CACHE_URL``). Site options that the owner edits at run time (blog name,
permalinks, comment rules) are not settings: they live in the database, see
``byline.options``.
"""

import os
import secrets
import sys
import tempfile
import tomllib
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

PACKAGE_DIR = Path(__file__).resolve().parent
TESTING = os.environ.get("BYLINE_TESTING") == "1" or "pytest" in sys.modules
if TESTING:
    # A test run never touches a real site: each test process gets its own data dir.
    DATA_DIR = Path(tempfile.mkdtemp(prefix="byline-test-"))
    (DATA_DIR / "static").mkdir()  # WhiteNoise expects it; tests serve the theme through finders
else:
    DATA_DIR = Path(os.environ.get("BYLINE_DATA_DIR") or "byline-data").resolve()


def _config() -> dict:
    path = DATA_DIR / "byline.toml"
    if path.is_file():
        with path.open("rb") as fh:
            return tomllib.load(fh)
    return {}


CONFIG = _config()


def _setting(name: str, default=None):
    """An environment variable BYLINE_<NAME>, else byline.toml's <name>, else the default."""
    env = os.environ.get("BYLINE_" + name.upper())
    if env is not None:
        return env
    return CONFIG.get(name, default)


def _secret_key() -> str:
    # The key signs sessions, CSRF tokens and CAPTCHA challenges: every app node of one
    # site must share it, so it lives in the data dir (or the environment), never in code.
    key = _setting("secret_key")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    # No data dir yet (`byline init` writes the key before anything else runs): an
    # ephemeral key keeps management commands such as `--help` working.
    return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
DEBUG = str(_setting("debug", "0")).lower() in ("1", "true", "yes")
ALLOWED_HOSTS = [h.strip() for h in str(_setting("allowed_hosts", "127.0.0.1,localhost,[::1]")).split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in str(_setting("csrf_trusted_origins", "")).split(",") if o]
# Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (addresses or
# networks, comma-separated).
BYLINE_TRUSTED_PROXIES = [p for p in str(_setting("trusted_proxies", "")).split(",") if p.strip()]
BYLINE_BEHIND_HTTPS = str(_setting("behind_https_proxy", "0")).lower() in ("1", "true", "yes")
if BYLINE_BEHIND_HTTPS:
    # A proxy ends TLS: believe its X-Forwarded-Proto (byline/proxy.py drops it from anyone
    # else), send http readers to https, keep cookies off plain http, and tell browsers so.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    BYLINE_TRUSTED_PROXIES = BYLINE_TRUSTED_PROXIES or ["127.0.0.1", "::1"]  # nginx on this machine
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(_setting("hsts_seconds", 31_536_000))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "byline.options",
    "byline.content",
    "byline.comments",
    "byline.wxr",
    "byline.api",
    "byline.site",
    "byline.desk",
    "django_prose_editor",
    "byline.security",
    "csp",
    "axes",  # failed sign-ins per address, in the database (byline.security.login)
    "django_tasks",  # Django 6's tasks API, backported
    "django_tasks_db",  # tasks stored in the site's database (byline/tasks/)
    "byline.tasks",
]

MIDDLEWARE = [
    "byline.proxy.TrustedProxyMiddleware",
    # Headers for every response: these sit before WhiteNoise so static files get them too.
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "byline.security.headers.PermissionsPolicyMiddleware",
    "byline.security.media.MediaMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "byline.text.TextHygieneMiddleware",
    # Anonymous GETs answered from stored pages (byline/site/pagecache.py): after the request's
    # text is checked, inside the header middleware above, so a stored page gets this
    # response's CSP, nosniff and frame headers; before sessions, so a hit reads no database.
    # byline.wsgi answers hits before all of this, standing in for the middleware above
    # (pagecache.OUTER_MIDDLEWARE): another list above turns those early answers off.
    "byline.site.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "byline.security.throttle.ThrottleMiddleware",
    "byline.security.login.RefusalStatusMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "byline.urls"
WSGI_APPLICATION = "byline.wsgi.application"

THEME_DIR = PACKAGE_DIR / "themes" / str(_setting("theme", "default"))
TEMPLATES = [
    {
        # The public theme: Jinja2 renders long pages several times faster than Django's engine.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [THEME_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "byline.site.jinja.environment"},
    },
    {
        # Django's admin keeps its own templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "byline.desk.shell.context.desk",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("BYLINE_TEST_DATABASE_URL") if TESTING else None
    url = url or _setting("database_url")
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "byline.sqlite3",
        # Keep each server thread's connection: opening one (and its PRAGMAs) per request costs
        # more than most page views.
        "CONN_MAX_AGE": 600,
        "OPTIONS": {
            # WAL lets readers go on while a comment is written; IMMEDIATE takes the write
            # lock up front so two writers queue (busy timeout) instead of failing mid-way.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            # Seconds a writer waits for another's lock (BYLINE_SQLITE_TIMEOUT) before the
            # request is answered "busy, try again".
            "timeout": float(_setting("sqlite_timeout", 20)),
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Longest a stored page is kept (a change outdates it at once; this bounds memory and the
# time-driven changes nothing announces, such as comments closing on old posts).
BYLINE_PAGE_CACHE_SECONDS = int(_setting("page_cache_seconds", 600))


def _caches() -> dict:
    url = _setting("cache_url")
    shared_database = {
        "BACKEND": "byline.sharedcache.SharedDatabaseCache",
        "LOCATION": "byline_cache_shared",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
    if url:
        # Redis may stop: byline/cache.py then bypasses it (and keeps CAPTCHA claims in the
        # database), and these timeouts keep a vanished Redis from holding requests.
        options = {"socket_connect_timeout": 1, "socket_timeout": 1}
        redis = {"BACKEND": "byline.cache.ResilientRedisCache", "LOCATION": url, "OPTIONS": options}
        shared = {**redis, "BACKEND": "byline.cache.SharedRedisCache", "KEY_PREFIX": "shared"}
        pages = {**redis, "KEY_PREFIX": "page", "TIMEOUT": BYLINE_PAGE_CACHE_SECONDS}
        return {"default": redis, "shared": shared, "shared_database": shared_database, "pages": pages}
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "byline"},
        # What every server process must see the same (single-use CAPTCHA tokens): with no
        # Redis, a table in the site's own database; its add() is atomic across processes.
        "shared": {
            # Django's DatabaseCache, but a locked database is an error, not "already taken".
            "BACKEND": "byline.sharedcache.SharedDatabaseCache",
            "LOCATION": "byline_cache_shared",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        # Stored pages, per process; the generation that outdates them is a file in the data
        # dir, so every process of the machine sees a change at once (site/pagecache.py).
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "byline-pages",
            "TIMEOUT": BYLINE_PAGE_CACHE_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": int(_setting("page_cache_entries", 500))},
        },
    }


def _on(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


# The full-page cache (byline/site/pagecache.py): BYLINE_PAGE_CACHE=0 turns it off, e.g. to
# measure the uncached path. Off by default under pytest, where most tests change rows
# directly; tests/cache/ turns it on.
BYLINE_PAGE_CACHE = _on(_setting("page_cache", "0" if TESTING else "1"))
BYLINE_CACHE_URL = _setting("cache_url", "")
# Options, the menu and the next scheduled post are remembered per process under the page
# cache's generation (byline/sitewide.py). Off under pytest, where most tests change rows
# directly, not through the services that send site_changed; tests/test_sitewide.py turns it on.
BYLINE_SITEWIDE_MEMO = not TESTING
# How long a CDN in front may keep a page (s-maxage) and serve it stale while it asks again;
# `page_cache_purge` (a dotted callable or a URL to POST to) is told when every page changed.
BYLINE_PAGE_CACHE_CDN_SECONDS = int(_setting("page_cache_cdn_seconds", 10))
BYLINE_PAGE_CACHE_STALE_SECONDS = int(_setting("page_cache_stale_seconds", 30))
BYLINE_PAGE_CACHE_PURGE = _setting("page_cache_purge", "")
CACHES = _caches()
if TESTING and not _setting("cache_url"):
    # Unit tests run outside a database transaction too; tests/comments/test_captcha_processes.py
    # checks the database-backed shared cache across real processes.
    CACHES["shared"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    # Hashing at full strength would make every test login take a quarter second.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"  # storage is UTC; the site's own zone is the `timezone_string` option
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [THEME_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(_setting("media_dir", DATA_DIR / "media"))
STORAGES = {
    # Django's file system storage, but a write that fails (a full disk) leaves no part of the file.
    "default": {"BACKEND": "byline.content.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "byline.staticfiles.GzipManifestStaticFilesStorage"
        if not (TESTING or DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Tests and development serve static files straight from the theme folder.
WHITENOISE_USE_FINDERS = TESTING or DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Pillow refuses images above this many pixels (decompression bombs).
BYLINE_MAX_IMAGE_PIXELS = int(_setting("max_image_pixels", 40_000_000))
# Larger photos get their thumbnails from the worker, after the upload has answered.
BYLINE_THUMBNAILS_LATER_PIXELS = int(_setting("thumbnails_later_pixels", 8_000_000))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The desk's sign-in page, at WordPress's address (the admin's own login leads there too).
LOGIN_URL = "/wp-login.php"

# Sign-in throttling (byline.security.login): axes refuses an address after this many failed
# sign-ins or application passwords, for this long; the account ceiling counts every address.
AUTHENTICATION_BACKENDS = [
    "byline.security.login.AddressBackend",  # django-axes' per-address check
    "byline.security.login.AccountCeilingBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(_setting("login_failure_limit", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(_setting("login_lockout_minutes", 15)))
BYLINE_LOGIN_ACCOUNT_FAILURE_LIMIT = int(_setting("login_account_failure_limit", 50))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "byline.security.throttle.ip_address"
AXES_LOCKOUT_CALLABLE = "byline.security.login.lockout_response"
# Not reset by a success: an attacker with an account of their own could clear their count.
AXES_RESET_ON_SUCCESS = False
# Attempts during a lockout do not extend it: the time the form names stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
EMAIL_BACKEND = _setting("email_backend", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = _setting("default_from_email", "byline@localhost")
# Operations (docs/deployment.md): the SMTP server for notices and password resets, and how
# many app nodes share this site (`byline check` judges SQLite and the cache by it).
EMAIL_HOST = _setting("email_host", "localhost")
EMAIL_PORT = int(_setting("email_port", 25))
EMAIL_HOST_USER = _setting("email_host_user", "")
EMAIL_HOST_PASSWORD = _setting("email_host_password", "")
EMAIL_USE_TLS = str(_setting("email_use_tls", "0")).lower() in ("1", "true", "yes")
BYLINE_NODES = int(_setting("nodes", 1))

# Background tasks (byline/tasks/): stored in the site's own database, so they survive a
# restart and need no other service; `byline serve` starts a worker, `byline worker` is one.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "imports"],
    }
}
# Uploaded WordPress exports wait here for the worker (not in media: they hold commenters'
# addresses). Several app nodes need it on shared storage, as media.
BYLINE_IMPORTS_DIR = Path(_setting("imports_dir", DATA_DIR / "imports"))
# A failed task is tried again after this many seconds, then 4× longer each time.
BYLINE_TASK_RETRY_SECONDS = float(_setting("task_retry_seconds", 30))

CSRF_FAILURE_VIEW = "byline.site.comments.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No page of Byline is meant to be framed by another; a page that is opts out with Django's
# xframe_options_* decorators and django-csp's csp_replace (see byline/security/headers.py).
X_FRAME_OPTIONS = "DENY"
# Extra origins a site's posts may show images, audio, video or frames from (space-separated),
# e.g. "https://www.youtube-nocookie.com": by default a page loads nothing from anyone else.
_EMBEDS = str(_setting("csp_embed_sources", "")).split()
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # No inline script without the response's nonce (request.csp_nonce in templates).
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *_EMBEDS],
        "media-src": [SELF, *_EMBEDS],
        "frame-src": [SELF, *_EMBEDS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
