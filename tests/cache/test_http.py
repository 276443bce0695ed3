"""What a browser or a CDN gets from a stored page: validators, 304s, compression, Cache-Control."""

import gzip

import brotli
import pytest

from byline.site.pagecache import HEADER
from tests.cache.pages import text_of, warm

pytestmark = pytest.mark.django_db


def test_a_stored_page_has_a_strong_etag_and_last_modified_and_answers_304(client, post):
    page = warm(client, "/", HTTP_ACCEPT_ENCODING="identity")
    etag, modified = page["ETag"], page["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get("/", HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING="identity")
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get("/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_after_a_change_the_old_etag_gets_the_new_page(client, post):
    from byline.options.store import set_option

    etag = warm(client, "/")["ETag"]
    set_option("blogname", "The Quay Gazette")
    fresh = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and "The Quay Gazette" in text_of(fresh)
    assert fresh["ETag"] != etag


def test_the_etag_is_a_hash_of_the_bytes(client, post):
    a = warm(client, "/", HTTP_ACCEPT_ENCODING="identity")
    b = warm(client, "/feed/", HTTP_ACCEPT_ENCODING="identity")
    assert a["ETag"] != b["ETag"]
    assert client.get("/", HTTP_ACCEPT_ENCODING="identity")["ETag"] == a["ETag"]


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("", None), ("identity", None)],
)
def test_compressed_once_and_chosen_by_accept_encoding(client, post, accept, encoding):
    plain = text_of(warm(client, "/", HTTP_ACCEPT_ENCODING="identity"))
    got = client.get("/", HTTP_ACCEPT_ENCODING=accept)
    assert got[HEADER] == "hit"
    assert got.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in got["Vary"]
    assert int(got["Content-Length"]) == len(got.content)
    body = got.content
    if encoding == "br":
        body = brotli.decompress(body)
    elif encoding == "gzip":
        body = gzip.decompress(body)
    assert body.decode() == plain
    if encoding:
        assert len(got.content) < len(plain.encode()) / 2


def test_the_stored_entry_holds_the_compressed_bytes(client, post, monkeypatch):
    """Compressing happens when a page is stored, not on each request."""
    warm(client, "/")
    calls = []
    monkeypatch.setattr(gzip, "compress", lambda *a, **k: calls.append("gzip") or b"")
    monkeypatch.setattr(brotli, "compress", lambda *a, **k: calls.append("br") or b"")
    for accept in ("br", "gzip", "gzip, br"):
        assert client.get("/", HTTP_ACCEPT_ENCODING=accept)[HEADER] == "hit"
    assert calls == []


def test_cache_control_fit_for_a_cdn(client, post, settings):
    settings.BYLINE_PAGE_CACHE_CDN_SECONDS = 15
    settings.BYLINE_PAGE_CACHE_STALE_SECONDS = 45
    page = warm(client, "/")
    assert page["Cache-Control"] == "public, max-age=0, s-maxage=15, stale-while-revalidate=45"


def test_head_gets_the_headers_without_the_body(client, post):
    warm(client, "/feed/")
    head = client.head("/feed/", HTTP_ACCEPT_ENCODING="gzip")
    assert head.status_code == 200 and head.content == b""
    assert head[HEADER] == "hit" and head["ETag"]


def test_security_headers_on_a_stored_page_and_no_nonce_in_it(client, post, url):
    page = warm(client, url)
    policy = page["Content-Security-Policy"]
    assert "nonce-" not in policy and "'unsafe-inline'" not in policy
    assert page["X-Frame-Options"] == "DENY" and page["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in text_of(page) and "nonce=" not in text_of(page)


def test_feeds_keep_their_type_for_browsers_and_feed_readers(client, post):
    browser = warm(client, "/feed/", HTTP_ACCEPT="text/html,application/xhtml+xml")
    reader = warm(client, "/feed/", HTTP_ACCEPT="application/rss+xml")
    assert browser["Content-Type"].startswith("application/xml")
    assert reader["Content-Type"].startswith("application/rss+xml")
