"""What a hit fills in for each reader, the lean way: the same as Django and the template write it.

The CAPTCHA paragraph from markup rendered once per stored page, the CSRF cookie from a form
CsrfViewMiddleware wrote once per process, and entries kept decoded per process (bounded) with
each kind of request's headers worked out once.
"""

import gzip
import random
import re
import time
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.template import engines
from django.template.loader import get_template
from django.test import Client

from byline.comments import captcha
from byline.comments.forms import captcha_context
from byline.site import pagecache
from tests.cache.pages import warm
from tests.cache.test_early_answers import early, environ, through_django

OPERATIONS = ("+", "-", "×", "÷")


def test_the_captcha_paragraph_filled_in_is_the_templates_own(db):
    markup = pagecache._captcha_markup()
    assert markup is not None
    template = get_template("partials/captcha.html")
    rng = random.Random(11)
    for n in range(200):
        sum_ = captcha.new_challenge(
            operations=OPERATIONS, style=("digits", "words", "mixed")[n % 3], rng=rng
        )
        token = captcha.issue_token(sum_, post_id=n)
        expected = template.render({"captcha": captcha_context(sum_, token), "invalid_attrs": ""})
        assert pagecache._fill_captcha(markup, sum_, token) == expected


def test_a_field_escaped_as_jinja_escapes_it(db):
    markup = pagecache._captcha_markup()
    filled = pagecache._fill_captcha(markup, captcha.new_challenge(), "a\"<b>&'")
    assert 'value="a&#34;&lt;b&gt;&amp;&#39;"' in filled


def test_a_template_that_changes_a_field_is_rendered_for_each_reader(db, monkeypatch):
    shouting = engines["jinja2"].from_string(
        '<p class="comment-form-captcha">{{ captcha.question|upper }}'
        '<input type="hidden" name="captcha_token" value="{{ captcha.token }}"></p>'
    )
    monkeypatch.setattr("django.template.loader.get_template", lambda name: shouting)
    assert pagecache._captcha_markup() is None


def _djangos_csrf_cookie(secret: str) -> str:
    response = HttpResponse()
    request = SimpleNamespace(META={"CSRF_COOKIE": secret, "CSRF_COOKIE_NEEDS_UPDATE": True})
    pagecache._csrf.process_response(request, response)
    return response.cookies["csrftoken"].OutputString()


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"CSRF_COOKIE_SECURE": True, "CSRF_COOKIE_HTTPONLY": True, "CSRF_COOKIE_SAMESITE": "Strict"},
        {"CSRF_COOKIE_DOMAIN": "example.org", "CSRF_COOKIE_PATH": "/blog/", "CSRF_COOKIE_AGE": 3600},
        {"CSRF_COOKIE_AGE": None, "CSRF_COOKIE_SAMESITE": None},
    ],
    ids=["defaults", "secure-httponly-strict", "domain-path-age", "session-cookie"],
)
def test_the_csrf_cookie_is_the_one_django_sends(settings, monkeypatch, options):
    for name, value in options.items():
        setattr(settings, name, value)
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.75)  # the expiry written in the same second
    secret = pagecache._random_csrf_string()
    assert pagecache.csrf_cookie(secret, secure=False) == _djangos_csrf_cookie(secret)
    with_secure = pagecache.csrf_cookie(secret, secure=True)
    assert with_secure.endswith("; Secure") or "; Secure;" in with_secure
    assert with_secure.replace("; Secure", "") == _djangos_csrf_cookie(secret).replace("; Secure", "")


def test_a_new_readers_csrf_secret_and_token_are_djangos_alphabet_and_unmask_to_the_secret(rf):
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token

    request = rf.get("/")
    token = pagecache._csrf_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == 32 and len(token) == 64 and set(secret + token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    assert pagecache._csrf_token(request) != token  # a new mask each time


@pytest.fixture
def form_page(post, url):
    warm(Client(), url)
    return url


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_repeated_early_hits_of_a_form_are_djangos_but_for_the_readers_tokens(form_page, encoding):
    expires = re.compile(r"expires=[^;]+; ")
    env = {"HTTP_ACCEPT_ENCODING": encoding, "HTTP_COOKIE": "csrftoken=" + "k" * 32}
    django = through_django(environ(form_page, **env))
    bodies = set()
    for _ in range(3):  # the first worked out in full, the next from what it worked out
        answered = early(environ(form_page, **env))
        assert answered is not None and answered[0] == django[0] == "200 OK"
        assert [(k, expires.sub("", v)) for k, v in answered[1] if k != "Content-Length"] == [
            (k, expires.sub("", v)) for k, v in django[1] if k != "Content-Length"
        ]
        assert int(dict(answered[1])["Content-Length"]) == len(answered[2])
        body = gzip.decompress(answered[2]) if encoding else answered[2]
        assert body.count(b'name="captcha_token"') == 1
        bodies.add(body)
    assert len(bodies) == 3  # each reader's own sum and tokens
    head = early(environ(form_page, method="HEAD", **env))
    assert head[2] == b"" and int(dict(head[1])["Content-Length"]) > 0  # the length a GET would get


@pytest.mark.django_db
def test_a_kept_entry_is_not_read_from_the_store_again_but_a_change_is_seen(form_page, monkeypatch):
    early(environ(form_page))  # kept decoded from here on
    reads = []
    get = caches["pages"].get
    monkeypatch.setattr(caches["pages"], "get", lambda *a, **k: reads.append(a) or get(*a, **k))
    for _ in range(3):
        assert early(environ(form_page)) is not None
    assert reads == []  # no unpickling of the stored page per hit
    pagecache.bump("a change")
    assert early(environ(form_page)) is None  # the generation is read on every hit


@pytest.mark.django_db
def test_kept_entries_stay_within_their_bound(closed_posts, monkeypatch):
    size = pagecache._entry_size(pagecache._lookup(closed_posts[0])[1])
    monkeypatch.setattr(pagecache, "DECODED_BYTES", int(size * 4.5))
    for key in closed_posts:
        pagecache._lookup(key)
    assert pagecache._decoded_size[0] <= pagecache.DECODED_BYTES
    assert len(pagecache._decoded) == 4
    assert list(pagecache._decoded) == closed_posts[-4:]  # the least recently served went first


@pytest.mark.django_db
def test_a_kept_entry_is_not_served_after_the_store_would_have_dropped_it(form_page, settings, monkeypatch):
    assert early(environ(form_page)) is not None
    later = time.time() + settings.BYLINE_PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert early(environ(form_page)) is None


@pytest.fixture
def closed_posts(db):
    from datetime import timedelta

    from django.utils import timezone

    from byline.content.permalinks import permalink_for
    from byline.options.store import set_option
    from tests.factories import make_post

    set_option("siteurl", "http://testserver")
    day = timezone.now() - timedelta(days=1)
    posts = [make_post(f"Quiet harbour {n}", comment_status="closed", published_at=day) for n in range(6)]
    keys = []
    for post in posts:  # stored after every change, so all six are current
        path = permalink_for(post)
        warm(Client(), path)
        keys.append(pagecache.cache_key(WSGIRequest(environ(path))))
    pagecache.forget_decoded()
    return keys
