"""The page cache on, empty, with a fresh generation, for every test in this folder.

Every test that reads pages with Django's test client runs twice: with hits answered by
PageCacheMiddleware (the test client goes through Django's handler, not byline.wsgi), and
with each request offered first to `pagecache.answer()`, as byline.wsgi does before Django.
"""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.test.client import ClientHandler
from django.utils import timezone

from byline.options.store import set_option
from byline.site import pagecache
from tests.factories import make_post


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.BYLINE_PAGE_CACHE = True
    caches["pages"].clear()
    pagecache.bump("a new test")
    yield
    caches["pages"].clear()


def pytest_generate_tests(metafunc):
    """Both ways for tests that use the database (the test client); real servers go through
    byline.wsgi already, so they run once."""
    uses_db = "db" in metafunc.fixturenames or metafunc.definition.get_closest_marker("django_db")
    ways = ["middleware", "before django"] if uses_db else ["middleware"]
    metafunc.parametrize("hits_answered", ways, indirect=True)


@pytest.fixture(autouse=True)
def hits_answered(request, monkeypatch):
    if request.param == "before django":
        monkeypatch.setattr(ClientHandler, "__call__", _answered_first(ClientHandler.__call__))
    return request.param


def _answered_first(handle):
    """The test client's handler, with `pagecache.answer()` asked first, as byline.wsgi asks it."""

    def call(self, environ):
        found = pagecache.answer(environ)
        if found is None:
            return handle(self, environ)
        status, headers, chunks = found
        response = HttpResponse(b"".join(chunks), status=int(status.split()[0]))
        del response["Content-Type"]  # only the headers answer() gave
        for name, value in headers:
            if name == "Set-Cookie":
                response.cookies.load(value)
            else:
                response[name] = value
        response.wsgi_request = WSGIRequest(environ)
        return response

    return call


@pytest.fixture
def post(db):
    set_option("captcha_min_seconds", "0")  # these tests post at machine speed
    set_option("comment_flood_interval", "0")
    set_option("siteurl", "http://testserver")  # else the first page served records it (a change)
    return make_post(
        "Talk of the town", comment_status="open", published_at=timezone.now() - timedelta(days=1)
    )


@pytest.fixture
def url(post):
    from byline.content.permalinks import permalink_for

    return permalink_for(post)
