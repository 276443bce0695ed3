"""The page cache in Redis: shared by every node, and never an error when Redis stops."""

import shutil

import pytest
import requests
from django.test import Client

from byline.options.store import set_option
from byline.site.pagecache import HEADER
from tests.cache.pages import text_of
from tests.live import byline, clean_env, comment_form, serving
from tests.ops.servers import Redis

pytestmark = [pytest.mark.faults, pytest.mark.xdist_group("faults")]


@pytest.fixture
def redis():
    server = Redis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pages_in_redis(settings, redis):
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "byline.cache.ResilientRedisCache",
            "LOCATION": redis.url,
            "KEY_PREFIX": "page",
            "OPTIONS": options,
        },
    }
    settings.BYLINE_CACHE_URL = redis.url
    return redis


@pytest.mark.django_db
def test_redis_stopped_means_slower_pages_never_errors(post, url, pages_in_redis):
    for address in ("/", url):
        Client().get(address)
        assert Client().get(address)[HEADER] == "hit"
    pages_in_redis.stop()
    for address in ("/", url, "/feed/"):
        page = Client().get(address)
        assert page.status_code == 200 and page[HEADER] == "bypass"
    set_option("blogname", "Changed while Redis was away")  # the change itself must not fail
    assert "Changed while Redis was away" in text_of(Client().get("/"))


URL = "/2025/09/the-cranes-come-down/"


def test_a_change_on_one_node_is_seen_on_the_next_request_to_another(tmp_path, redis):
    """Two `byline serve` nodes with data dirs of their own, one database, one Redis."""
    first = tmp_path / "node-a"
    env = clean_env(BYLINE_CACHE_URL=redis.url, BYLINE_PAGE_CACHE="1")
    byline(first, "init", "--demo", env=env)
    env["BYLINE_DATABASE_URL"] = f"sqlite:///{first / 'byline.sqlite3'}"
    for name, value in (("captcha_min_seconds", "0"), ("comment_previously_approved", "0")):
        byline(first, "option", "set", name, value, env=env)
    second = tmp_path / "node-b"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("byline.sqlite3*", "page-cache.generation"))
    with (
        serving(first, env, tmp_path / "a.log", workers=1, threads=2) as node_a,
        serving(second, env, tmp_path / "b.log", workers=1, threads=2) as node_b,
    ):
        for _ in range(3):
            seen = requests.get(node_b + URL, timeout=20)
        assert seen.headers[HEADER] == "hit"
        reader = requests.Session()
        form = comment_form(reader, node_a + URL)
        form.update(author="Node Reader", email="node@example.net", comment="Written on node A")
        sent = reader.post(node_a + "/wp-comments-post.php", data=form, allow_redirects=False, timeout=20)
        assert sent.status_code == 303, sent.text[:1000]
        after = requests.get(node_b + URL, timeout=20)
        assert after.headers[HEADER] == "miss"
        assert "Written on node A" in after.text
