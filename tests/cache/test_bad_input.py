"""Odd query strings, cookies and Accept-Encoding never make new stored entries."""

import pytest
from django.core.cache import caches
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from byline.site.pagecache import HEADER
from tests.cache.pages import warm

pytestmark = pytest.mark.django_db


def stored() -> int:
    return len(caches["pages"]._cache)


def test_unknown_parameters_bypass_the_cache_and_store_nothing(client, post):
    warm(client, "/")
    before = stored()
    for n in range(20):
        page = client.get("/", {f"junk{n}": "x" * n})
        assert page.status_code == 200 and page[HEADER] == "bypass"
    assert stored() == before


def test_tracking_parameters_are_left_out_of_the_key(client, post):
    warm(client, "/")
    before = stored()
    for source in ("hn", "twitter", "newsletter"):
        assert client.get("/", {"utm_source": source, "fbclid": "abc" + source})[HEADER] == "hit"
    assert stored() == before


def test_a_huge_query_string_is_answered_uncached(client, post):
    page = client.get("/?s=" + "harbour+" * 400)
    assert page.status_code == 200 and page[HEADER] == "bypass"
    assert client.get("/", {"s": ["a"] * 50})[HEADER] == "bypass"


def test_known_parameters_are_part_of_the_key(client, post):
    from tests.cache.pages import text_of

    assert "Talk of the town" in text_of(warm(client, "/", data={"s": "town"}))
    assert "Talk of the town" not in text_of(client.get("/", {"s": "nothing-matches"}))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    accept=st.text(max_size=300),
    cookie_name=st.from_regex(r"[a-z_]{1,20}", fullmatch=True),
    cookie_value=st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=';,"\\'), max_size=100
    ),
)
def test_accept_encoding_and_cookies_never_add_entries(post, accept, cookie_name, cookie_value):
    reader = Client()
    warm(reader, "/")
    before = stored()
    visitor = Client()
    visitor.cookies[cookie_name] = cookie_value
    page = visitor.get("/", HTTP_ACCEPT_ENCODING=accept)
    assert page.status_code == 200
    assert stored() == before
