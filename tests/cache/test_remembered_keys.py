"""`answer()` works a request's cache key out once per process for each kind of request: the
remembered key is the one `_early_key` works out afresh, and the memo never outgrows its bound."""

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from byline.proxy import believe_proxy
from byline.site import pagecache

PATHS = ["/", "/2025/10/a-post/", "/feed/", "/wp-json/wp/v2/posts", "/wp-admin/", "/caf%C3%A9/", "/x\x00/"]
QUERIES = [
    "",
    "paged=2",
    "utm_source=x",
    "paged=2&utm_medium=y",
    "unknown=1",
    "rest_route=/wp/v2/posts",
    "s=a&s=b",
]
HOSTS = ["testserver", "TestServer:80", "testserver:8000", "evil.example", None]
ADDRESSES = ["127.0.0.1", "10.0.0.9", "203.0.113.7"]

FIELDS = {
    "REQUEST_METHOD": st.sampled_from(["GET", "HEAD"]),
    "wsgi.url_scheme": st.sampled_from(["http", "https"]),
    "HTTP_HOST": st.sampled_from(HOSTS),
    "PATH_INFO": st.sampled_from(PATHS),
    "QUERY_STRING": st.sampled_from(QUERIES),
    "HTTP_ACCEPT": st.sampled_from([None, "text/html,*/*", "application/rss+xml", "text/\x00html"]),
    "HTTP_AUTHORIZATION": st.sampled_from([None, None, None, "Basic YTpi"]),
    "HTTP_X_WP_NONCE": st.sampled_from([None, None, None, "abc"]),
    "REMOTE_ADDR": st.sampled_from(ADDRESSES),
    "HTTP_X_FORWARDED_FOR": st.sampled_from([None, "198.51.100.4", "10.0.0.9, 198.51.100.4"]),
    "HTTP_X_FORWARDED_PROTO": st.sampled_from([None, "https", "http"]),
    # Read by nothing the key depends on: must not change it.
    "HTTP_ACCEPT_ENCODING": st.sampled_from([None, "gzip", "br"]),
    "HTTP_USER_AGENT": st.sampled_from([None, "curl/8", "Mozilla/5.0"]),
}
requests_ = st.fixed_dictionaries(FIELDS)


def _request(fields: dict) -> WSGIRequest:
    env = RequestFactory().get("/").environ
    for name, value in fields.items():
        env.pop(name, None)
        if value is not None:
            env[name] = value
    believe_proxy(env, pagecache._early["networks"])  # as `answer()` does before the memo
    return WSGIRequest(env)


@pytest.fixture
def proxied(settings):
    settings.BYLINE_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # as behind_https_proxy
    assert pagecache._early_answers()
    pagecache._early_keys.clear()
    return settings


@pytest.mark.django_db
def test_the_remembered_key_is_the_key_worked_out_afresh(proxied):
    # One memo across every example, and each request asked after one that differs from it in
    # a single field: a field the key depends on must not be left out of what the memo reads.
    @hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(requests_, requests_)
    def check(fields, other):
        for asked in (fields, *({**fields, name: other[name]} for name in FIELDS)):
            remembered = pagecache._remembered_key(_request(asked))
            assert remembered == pagecache._early_key(_request(asked)), asked

    check()
    assert pagecache._early_keys  # the memo was used


@pytest.mark.django_db
def test_a_full_memo_starts_again_instead_of_growing(proxied, monkeypatch):
    monkeypatch.setattr(pagecache, "EARLY_KEYS", 3)
    for n in range(10):
        assert pagecache._remembered_key(_request({"PATH_INFO": f"/p{n}/"})) is not None
        assert len(pagecache._early_keys) <= 3
    assert pagecache._remembered_key(_request({"PATH_INFO": "/p9/"})) == pagecache._early_key(
        _request({"PATH_INFO": "/p9/"})
    )


@pytest.mark.django_db
def test_a_setting_changed_forgets_the_remembered_keys(proxied):
    pagecache._remembered_key(_request({"PATH_INFO": "/"}))
    assert pagecache._early_keys
    proxied.ALLOWED_HOSTS = ["elsewhere.example"]
    assert not pagecache._early_keys
    assert pagecache._early_answers()
    assert pagecache._remembered_key(_request({"PATH_INFO": "/"})) is None  # testserver no longer allowed
