"""Hits answered before Django's handler (byline.wsgi → `pagecache.answer()`): the same answer as
the middleware's, for anonymous readers only; everything else goes to Django as before."""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import requests
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.utils import timezone

from byline.comments.display import HELD_COOKIE
from byline.options.store import set_option
from byline.site import pagecache
from byline.site.pagecache import HEADER
from tests.cache.pages import warm
from tests.factories import make_post
from tests.live import byline, clean_env, comment_form, serving

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
)


def environ(path, method="GET", **headers) -> dict:
    """A WSGI environ as a server hands it over (Django's own test client builds the same)."""
    return RequestFactory().generic(method, path, **headers).environ


@contextmanager
def database_kept():
    # Django's handler closes "old" connections at each request's start and end: in a test's
    # transaction that would close the test database under the test (the test client does this too).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def through_django(env: dict) -> tuple[str, list, bytes]:
    """The answer of Django's handler and middleware alone, as a WSGI server gets it."""
    got = {}
    with database_kept():
        body = WSGIHandler()(env, lambda status, headers: got.update(status=status, headers=headers))
        data = b"".join(body)
        body.close()
    return got["status"], got["headers"], data


def early(env: dict) -> tuple[str, list, bytes] | None:
    found = pagecache.answer(env)
    if found is None:
        return None
    status, headers, chunks = found
    return status, headers, b"".join(chunks)


@pytest.fixture
def closed_post(db):
    """A page without a form: the same bytes for every reader."""
    set_option("siteurl", "http://testserver")  # else the first page served records it (a change)
    return make_post(
        "Quiet harbour", comment_status="closed", published_at=timezone.now() - timedelta(days=1)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["", "gzip", "gzip, deflate, br"])
def test_a_hit_before_django_is_byte_for_byte_the_middlewares_hit(closed_post, encoding):
    from byline.content.permalinks import permalink_for

    for path in ("/", permalink_for(closed_post), "/feed/", "/wp-json/wp/v2/posts"):
        env = {"HTTP_ACCEPT_ENCODING": encoding, "HTTP_ACCEPT": "text/html,*/*;q=0.8"}
        warm(Client(), path, **env)
        answered = early(environ(path, **env))
        assert answered is not None, path
        assert answered == through_django(environ(path, **env)), path
        assert dict(answered[1])[HEADER] == "hit"
        assert set(SECURITY_HEADERS) <= set(dict(answered[1])), path


@pytest.mark.django_db
def test_a_304_before_django_is_the_middlewares_304(closed_post):
    etag = warm(Client(), "/")["ETag"]
    answered = early(environ("/", HTTP_IF_NONE_MATCH=etag))
    assert answered is not None and answered[0] == "304 Not Modified"
    assert answered == through_django(environ("/", HTTP_IF_NONE_MATCH=etag))


def _without_fresh_fragments(body: bytes) -> bytes:
    """The page minus what each reader gets fresh (the CSRF token, the CAPTCHA paragraph)."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"CSRF", body)
    return re.sub(rb'<p class="comment-form-captcha">.*?</p>', b"CAPTCHA", body, flags=re.S)


@pytest.mark.django_db
def test_the_page_with_a_comment_form_is_the_middlewares_but_for_the_readers_tokens(post, url):
    warm(Client(), url)
    cookie = {"HTTP_COOKIE": "csrftoken=" + "k" * 32}  # one reader's cookie, so the cookie set matches
    answered, django = early(environ(url, **cookie)), through_django(environ(url, **cookie))
    assert answered is not None
    assert answered[0] == django[0] == "200 OK"
    assert _without_fresh_fragments(answered[2]) == _without_fresh_fragments(django[2])
    assert b"captcha_token" in answered[2] and b"csrfmiddlewaretoken" in answered[2]
    expires = re.compile(r"expires=[^;]+; ")  # the cookie's expiry may fall on another second
    assert [(k, expires.sub("", v)) for k, v in answered[1] if k != "Content-Length"] == [
        (k, expires.sub("", v)) for k, v in django[1] if k != "Content-Length"
    ]
    assert dict(answered[1])["Cache-Control"] == "private, no-cache"
    assert "csrftoken=" + "k" * 32 in dict(answered[1])["Set-Cookie"]


@pytest.mark.django_db
def test_https_behind_the_proxy_gets_hsts_and_plain_http_the_redirect(closed_post, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_SSL_REDIRECT = True
    warm(Client(), "/", secure=True)
    answered = early(environ("/", secure=True))
    assert answered is not None
    assert answered == through_django(environ("/", secure=True))
    assert dict(answered[1])["Strict-Transport-Security"] == "max-age=3600"
    assert early(environ("/")) is None  # http: Django sends the reader to https
    assert through_django(environ("/"))[0].startswith("301")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "request_",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "csrftoken=" + "k" * 32 + "; comment_author_5f2e=Ada"},
        {"HTTP_COOKIE": "wp-postpass_5f2e=x"},
        {"HTTP_COOKIE": f"{HELD_COOKIE}=x"},
        {"HTTP_COOKIE": "messages=x"},
        {"HTTP_AUTHORIZATION": "Basic YTpi"},
        {"HTTP_X_WP_NONCE": "abc"},
        {"QUERY_STRING": "unknown=1"},
        {"HTTP_HOST": "evil.example"},
        {"REQUEST_METHOD": "POST"},
    ],
    ids=lambda r: next(iter(r.items()))[1][:24],
)
def test_what_only_django_may_answer_goes_to_django(closed_post, request_):
    warm(Client(), "/")
    assert early(environ("/")) is not None  # the same page, asked plainly, is answered early
    env = {**environ("/"), **request_}
    assert early(env) is None
    with database_kept():
        status = []
        pagecache.wsgi(WSGIHandler())(dict(env), lambda s, h: status.append(s))
    assert status and not status[0].startswith("5")


@pytest.mark.django_db
def test_a_change_elsewhere_is_seen_by_the_next_early_hit(closed_post):
    warm(Client(), "/")
    assert early(environ("/")) is not None
    pagecache.bump("another process changed something")  # what another process's change writes
    assert early(environ("/")) is None  # a miss: Django renders the page again


URL = "/2025/09/the-cranes-come-down/"  # the demo site's post with an open comment form


@pytest.mark.faults  # real servers: kept with the fault tests' group
@pytest.mark.xdist_group("faults")
def test_a_real_server_answers_hits_early_and_every_reader_can_comment(tmp_path):
    """`byline serve` (byline.wsgi, two worker processes); the command line is another process."""
    site = tmp_path / "site"
    env = clean_env(BYLINE_PAGE_CACHE="1")
    byline(site, "init", "--demo", env=env)
    options = {"captcha_min_seconds": "0", "comment_previously_approved": "0", "comment_flood_interval": "0"}
    for name, value in options.items():
        byline(site, "option", "set", name, value, env=env)
    with serving(site, env, tmp_path / "serve.log", workers=2, threads=2) as base:
        for _ in range(4):  # both workers store the page
            page = requests.get(base + "/", timeout=20, headers={"Accept-Encoding": "identity"})
        assert page.headers[HEADER] == "hit"
        assert {h.lower() for h in SECURITY_HEADERS} <= {h.lower() for h in page.headers}
        byline(site, "option", "set", "blogname", "Changed from the command line", env=env)
        for _ in range(2):  # whichever worker answers
            assert "Changed from the command line" in requests.get(base + "/", timeout=20).text

        readers = [requests.Session(), requests.Session()]
        for _ in range(3):
            requests.get(base + URL, timeout=20)
        forms = [comment_form(reader, base + URL) for reader in readers]
        assert forms[0]["csrfmiddlewaretoken"] != forms[1]["csrfmiddlewaretoken"]
        assert forms[0]["captcha_token"] != forms[1]["captcha_token"]
        for n, (reader, form) in enumerate(zip(readers, forms, strict=True)):
            form.update(author=f"Reader {n}", email=f"r{n}@example.net", comment=f"Early reader {n}")
            sent = reader.post(base + "/wp-comments-post.php", data=form, allow_redirects=False, timeout=20)
            assert sent.status_code == 303, sent.text[:1000]
        after = requests.get(base + URL, timeout=20).text
        assert "Early reader 0" in after and "Early reader 1" in after
