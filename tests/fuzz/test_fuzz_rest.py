"""The REST API under arguments drawn from WordPress's own schema, and junk beside them.

Why not schemathesis: it needs an OpenAPI document, and WordPress publishes none; its
discovery document (tests/data/wp-api/wp-api-generated/Schema.json) gives each route's
arguments as JSON Schema, so the strategies below are built from those arguments directly
(valid values, values of the wrong type, and the hostile seeds). Every answer must be below
500 with WordPress's error shape, and a refused write must change nothing.
"""

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from byline.api.views import ENDPOINTS
from tests.fuzz.conftest import HOSTILE_TEXT, assert_handled, fingerprint

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "data/wp-api/wp-api-generated/Schema.json").read_text()
)
SERVED = {endpoint.route for endpoint in ENDPOINTS}
# Byline's routes are WordPress's, spelled the same: fuzz the ones it serves, with WordPress's arguments.
ROUTES = {route: SCHEMA["routes"][route] for route in sorted(SERVED) if route in SCHEMA["routes"]}
FUZZ = settings(
    max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

junk_value = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from([None, True, False, 1.5, -1, 0, 10**30, 2**63, [], {}, [[[]]], {"raw": "\x00"}]),
    st.text(max_size=20),
)


def valid_value(schema: dict, depth: int = 0):
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        return st.one_of(*[valid_value({**schema, "type": k}, depth) for k in kind])
    if "enum" in schema and schema["enum"]:
        enum = schema["enum"]
        # WordPress's schema writes some enums as a JSON object (name: name): its keys are the values.
        return st.sampled_from(sorted(enum) if isinstance(enum, dict) else enum)
    if kind == "integer":
        return st.integers(schema.get("minimum", -5), schema.get("maximum", 10**6))
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array" and depth < 2:
        return st.lists(valid_value(schema.get("items", {}), depth + 1), max_size=3)
    if kind == "object" and depth < 2:
        return st.dictionaries(st.text(max_size=6), st.text(max_size=12), max_size=2)
    if schema.get("format") == "date-time":
        return st.datetimes().map(lambda d: d.isoformat())
    return st.text(max_size=30)


def argument(schema: dict):
    return st.one_of(valid_value(schema), junk_value)


def arguments(args: dict) -> st.SearchStrategy[dict]:
    optional = {name: argument(schema) for name, schema in args.items()}
    extra = st.dictionaries(
        st.sampled_from(["_fields", "_embed", "context", "zzz", "id"]), junk_value, max_size=2
    )
    return st.tuples(st.fixed_dictionaries({}, optional=optional), extra).map(lambda p: {**p[1], **p[0]})


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, dict | list) else str(value)


def _q(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def as_query(params: dict) -> str:
    """A query string as PHP clients write one: lists as name[]=…, bytes percent-encoded."""
    parts = []
    for name, value in params.items():
        if isinstance(value, list):
            parts.extend(f"{_q(name)}[]={_q(_text(v))}" for v in value)
        else:
            parts.append(f"{_q(name)}={_q(_text(value))}")
    return "&".join(parts)


def fill(route: str, ids: dict, pick) -> str:
    def repl(m):
        name = m.group(1)
        return str(pick(ids.get(name, ["1"])))

    return "/wp-json" + re.sub(r"\(\?P<(\w+)>[^)]*\)+", repl, route)


def endpoints(methods: set[str]):
    out = []
    for route, spec in ROUTES.items():
        for endpoint in spec["endpoints"]:
            for method in endpoint["methods"]:
                if method in methods:
                    out.append((route, method, endpoint.get("args") or {}))
    return out


READS = endpoints({"GET"})
WRITES = endpoints({"POST", "PUT", "PATCH", "DELETE"})


def ids_of(site) -> dict:
    return {
        "id": [
            site["post"].pk,
            site["page"].pk,
            site["comment"].pk,
            site["category"].pk,
            site["media"].pk,
            0,
            999999,
            10**30,
        ],
        "type": ["post", "page", "attachment", "nope", "%00"],
        "status": ["publish", "draft", "nope"],
        "taxonomy": ["category", "post_tag", "nope"],
    }


def test_the_fuzzed_routes_are_the_served_ones():
    assert set(ROUTES) == SERVED  # every route Byline serves is in WordPress's schema
    assert READS and WRITES


@FUZZ
@given(data=st.data())
@example(data=None)
def test_reads_never_fail(small_site, data):
    api = small_site["anonymous"]
    if data is None:  # the seeds: issue 8's reads, one request each
        for path in [
            "/wp-json/wp/v2/posts?after=9999-12-31T23:59:59-14:00",
            "/wp-json/wp/v2/posts?before=0001-01-01T00:00:00%2B14:00",
            "/wp-json/wp/v2/posts?modified_after=9999-12-31T23:59:59-14:00",
            "/wp-json/wp/v2/comments?after=9999-12-31T23:59:59-14:00",
            "/wp-json/wp/v2/posts?search=%00",
            "/wp-json/wp/v2/posts?slug=%00",
            "/wp-json/wp/v2/posts/1000000000000000000000000000000",
            "/wp-json/wp/v2/posts?password=p%C3%A4ssw%C3%B6rd",
            "/wp-json/wp/v2/posts?categories[]=1000000000000000000000000000000",
        ]:
            assert_handled(api.client.get(path), api=True)
        return
    route, _method, args = data.draw(st.sampled_from(READS))
    ids = ids_of(small_site)
    path = fill(route, ids, lambda choices: data.draw(st.sampled_from(choices)))
    query = as_query(data.draw(arguments(args)))
    assert_handled(api.client.get(f"{path}?{query}"), api=True)


@FUZZ
@given(data=st.data())
@example(data=None)
def test_writes_never_fail_and_a_refusal_changes_nothing(small_site, data):
    api = small_site["api"]
    if data is None:  # the seeds: issue 8's writes, each refused with a 400
        for body in [
            '{"title": "x", "categories": [1000000000000000000000000000000]}',
            '{"title": "x", "date_gmt": "0001-01-01T00:00:00+14:00"}',
            '{"title": "\\ud800"}',
            '{"title": "a\\u0000b"}',
            "[" * 100_000 + "]" * 100_000,
        ]:
            before = fingerprint()
            r = api.post("posts", body)
            assert_handled(r, api=True)
            assert r.status_code == 400
            assert fingerprint() == before
        return
    route, method, args = data.draw(st.sampled_from(WRITES))
    ids = ids_of(small_site)
    path = fill(route, ids, lambda choices: data.draw(st.sampled_from(choices)))
    body = data.draw(arguments(args))
    before = fingerprint()
    if method == "DELETE":
        r = api.client.delete(path + "?" + as_query(body), **api.headers())
    else:
        raw = json.dumps(body, ensure_ascii=True)
        r = api.send(method.lower(), path, raw)
    assert_handled(r, api=True)
    if r.status_code >= 400:
        assert fingerprint() == before, (method, path, body, r.content[:300])
