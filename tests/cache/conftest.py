"""The page cache on, empty, with a fresh generation, for every test in this folder."""

from datetime import timedelta

import pytest
from django.core.cache import caches
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
