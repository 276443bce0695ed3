"""The index, the namespace, types, taxonomies, statuses, search, and how clients find the API."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.api_helpers import assert_wp_error
from tests.factories import CategoryFactory, TagFactory, make_post


def test_index(api, db):
    index = api.get("/wp-json/").json()
    assert index["name"] and index["url"] == "http://testserver"
    assert index["namespaces"] == ["wp/v2"]
    assert "application-passwords" in index["authentication"]
    routes = index["routes"]
    assert {"/wp/v2/posts", "/wp/v2/posts/(?P<id>[\\d]+)", "/wp/v2/settings", "/wp/v2/search"} <= set(routes)
    assert routes["/wp/v2/posts"]["methods"] == ["GET", "POST"]
    per_page = routes["/wp/v2/posts"]["endpoints"][0]["args"]["per_page"]
    assert (per_page["minimum"], per_page["maximum"], per_page["default"]) == (1, 100, 10)
    namespace = api.get("/wp-json/wp/v2").json()
    assert namespace["namespace"] == "wp/v2" and "/wp/v2/comments" in namespace["routes"]
    assert api.get("/wp-json/wp/v2/posts/").status_code == 200  # with or without the slash


def test_unknown_routes_and_methods(api, db):
    assert_wp_error(api.get("/wp-json/wp/v2/widgets"), 404, "rest_no_route")
    assert_wp_error(api.get("/wp-json/oembed/1.0/embed"), 404, "rest_no_route")
    assert_wp_error(api.post("types"), 404, "rest_no_route")
    assert_wp_error(api.delete("posts"), 404, "rest_no_route")


def test_options_and_cors(api, db):
    response = api.client.options("/wp-json/wp/v2/posts")
    assert response.status_code == 200 and response["Allow"] == "GET, POST"
    assert response.json()["endpoints"][0]["methods"] == ["GET"]
    listing = api.get("posts", HTTP_ORIGIN="https://front.example")
    assert listing["Access-Control-Allow-Origin"] == "*"
    assert "X-WP-Total" in listing["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in listing


def test_pages_point_to_the_api(client, db):
    make_post("Hello")
    home = client.get("/")
    assert home["Link"] == '<http://testserver/wp-json/>; rel="https://api.w.org/"'
    assert '<link rel="https://api.w.org/" href="http://testserver/wp-json/">' in home.content.decode()


def test_types_taxonomies_statuses(api, editor_api, db):
    assert set(api.get("types").json()) == {"post", "page", "attachment"}
    assert api.get("types/page").json()["hierarchical"] is True
    assert_wp_error(api.get("types/product"), 404, "rest_type_invalid")
    assert_wp_error(api.get("types", {"context": "edit"}), 401, "rest_cannot_view")
    assert "supports" in editor_api.get("types/post", {"context": "edit"}).json()
    assert set(api.get("taxonomies").json()) == {"category", "post_tag"}
    assert api.get("taxonomies", {"type": "page"}).json() == {}
    assert_wp_error(api.get("taxonomies/genre"), 404, "rest_taxonomy_invalid")
    assert set(api.get("statuses").json()) == {"publish"}
    assert_wp_error(api.get("statuses/draft"), 401, "rest_cannot_read_status")
    assert editor_api.get("statuses/draft").json()["date_floating"] is True
    assert_wp_error(api.get("statuses/trash"), 404, "rest_status_invalid")


def test_search(api, db):
    harbour = CategoryFactory(name="Harbour news", slug="harbour")
    TagFactory(name="harbour cranes", slug="harbour-cranes")
    post = make_post("Cranes over the harbour", categories=[harbour])
    page = make_post("About the harbour desk", post_type="page")
    make_post("Nothing to see")
    found = api.get("search", {"search": "harbour"})
    assert {(r["type"], r["subtype"], r["id"]) for r in found.json()} == {
        ("post", "post", post.pk),
        ("post", "page", page.pk),
    }
    assert found["X-WP-Total"] == "2"
    only_pages = api.get("search", {"search": "harbour", "subtype": "page"}).json()
    assert [r["id"] for r in only_pages] == [page.pk]
    terms = api.get("search", {"search": "harbour", "type": "term"}).json()
    assert {r["subtype"] for r in terms} == {"category", "post_tag"}
    embedded = api.get("search", {"search": "cranes", "_embed": "1"}).json()[0]["_embedded"]["self"][0]
    assert embedded["id"] == post.pk and embedded["title"]["rendered"] == "Cranes over the harbour"
    assert_wp_error(api.get("search", {"type": "user"}), 400, "rest_invalid_param")


def test_search_query_count_is_flat(api, db):
    def count(n: int) -> int:
        for i in range(n):
            make_post(f"Harbour story {i}")
        with CaptureQueriesContext(connection) as queries:
            assert api.get("search", {"search": "harbour", "per_page": 100, "_embed": "1"}).status_code == 200
            assert api.get("users", {"per_page": 100}).status_code == 200
            assert api.get("media", {"per_page": 100}).status_code == 200
            assert api.get("pages", {"per_page": 100}).status_code == 200
        return len(queries)

    assert count(2) == count(20)


def test_compatibility_matrix_documents_every_route():
    """docs/api.md's matrix says, for every route Byline answers, exactly which methods it takes."""
    import re
    from pathlib import Path

    from byline.api.views import ENDPOINTS

    doc = (Path(__file__).parents[2] / "docs" / "api.md").read_text()
    rows = {}
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].startswith("`/wp/v2"):
            for route in re.findall(r"`([^`]+)`", cells[0]):
                rows[route] = cells[1:5]
    for endpoint in ENDPOINTS:
        name = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", endpoint.route)
        assert name in rows, f"{name} is missing from docs/api.md"
        methods = set(endpoint().describe()["methods"])
        documented = {
            m
            for m, cell in zip(("GET", "POST", "PUT", "DELETE"), rows[name], strict=True)
            if cell in ("yes", "partial")
        }
        assert documented == methods - {"PATCH"}, name
