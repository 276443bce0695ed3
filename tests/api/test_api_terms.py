"""/wp/v2/categories and /wp/v2/tags: read by anyone, written by those with the powers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.content.models import Category, Tag
from tests.api.api_helpers import assert_wp_error
from tests.factories import CategoryFactory, TagFactory, make_post


@pytest.fixture
def sections(db):
    harbour = CategoryFactory(name="Harbour", slug="harbour", description="The port.")
    ferries = CategoryFactory(name="Ferries", slug="ferries", parent=harbour)
    city = CategoryFactory(name="City", slug="city")
    make_post("On the quay", categories=[harbour, ferries])
    return {"harbour": harbour, "ferries": ferries, "city": city}


def test_categories_with_counts_links_and_filters(api, sections):
    body = api.get("categories").json()
    assert [c["slug"] for c in body] == ["city", "ferries", "harbour"]
    ferries = next(c for c in body if c["slug"] == "ferries")
    assert ferries["parent"] == sections["harbour"].pk and ferries["count"] == 1
    assert ferries["link"] == "http://testserver/category/harbour/ferries/"
    assert ferries["taxonomy"] == "category"
    assert [c["slug"] for c in api.get("categories", {"hide_empty": "true"}).json()] == ["ferries", "harbour"]
    assert [c["slug"] for c in api.get("categories", {"parent": sections["harbour"].pk}).json()] == [
        "ferries"
    ]
    assert [c["slug"] for c in api.get("categories", {"slug": "city"}).json()] == ["city"]
    assert [c["slug"] for c in api.get("categories", {"orderby": "count", "order": "desc"}).json()][
        2
    ] == "city"
    assert api.get("categories", {"page": 5}).json() == []
    assert_wp_error(api.get("categories/999999"), 404, "rest_term_invalid")
    assert_wp_error(api.get("categories", {"context": "edit"}), 401, "rest_forbidden_context")


def test_terms_of_a_post(api, sections):
    post = make_post("Tagged", categories=[sections["city"]], tags=[TagFactory(slug="budget")])
    assert [c["slug"] for c in api.get("categories", {"post": post.pk}).json()] == ["city"]
    assert [t["slug"] for t in api.get("tags", {"post": post.pk}).json()] == ["budget"]


def test_editor_writes_categories(editor_api, sections):
    created = editor_api.post(
        "categories", {"name": "Culture", "description": "<p>Art</p>", "parent": sections["city"].pk}
    )
    assert created.status_code == 201, created.content
    culture = Category.objects.get(slug="culture")
    assert culture.parent == sections["city"] and created.json()["id"] == culture.pk
    duplicate = editor_api.post("categories", {"name": "Culture", "parent": sections["city"].pk})
    assert assert_wp_error(duplicate, 400, "term_exists")["data"]["term_id"] == culture.pk
    renamed = editor_api.post(f"categories/{culture.pk}", {"name": "Arts", "slug": "arts"}).json()
    assert renamed["slug"] == "arts" and renamed["name"] == "Arts"
    assert_wp_error(
        editor_api.post(f"categories/{culture.pk}", {"slug": "harbour"}), 400, "rest_invalid_param"
    )
    assert_wp_error(
        editor_api.post(f"categories/{sections['harbour'].pk}", {"parent": sections["ferries"].pk}),
        400,
        "rest_invalid_param",
    )
    assert_wp_error(
        editor_api.post("categories", {"name": "Orphan", "parent": 999999}), 400, "rest_term_invalid"
    )
    assert_wp_error(
        editor_api.post("categories", {"description": "no name"}), 400, "rest_missing_callback_param"
    )
    assert_wp_error(editor_api.delete(f"categories/{culture.pk}"), 501, "rest_trash_not_supported")
    gone = editor_api.delete(f"categories/{sections['harbour'].pk}", "?force=true").json()
    assert gone["deleted"] is True and gone["previous"]["slug"] == "harbour"
    sections["ferries"].refresh_from_db()
    assert sections["ferries"].parent is None


def test_authors_add_tags_but_not_categories(author_api, sections):
    assert_wp_error(author_api.post("categories", {"name": "Mine"}), 403, "rest_cannot_create")
    created = author_api.post("tags", {"name": "Ships"})
    assert created.status_code == 201 and created.json()["taxonomy"] == "post_tag"
    tag = Tag.objects.get()
    assert_wp_error(author_api.post(f"tags/{tag.pk}", {"name": "Boats"}), 403, "rest_cannot_update")
    assert_wp_error(author_api.delete(f"tags/{tag.pk}", "?force=true"), 403, "rest_cannot_delete")
    assert_wp_error(author_api.post("tags", {"name": "x", "parent": 1}), 400, "rest_invalid_param")
    assert Tag.objects.count() == 1 and Category.objects.count() == 3


def test_strangers_write_no_terms(api, sections):
    assert_wp_error(api.post("tags", {"name": "Spam"}), 401, "rest_cannot_create")
    assert_wp_error(api.delete(f"categories/{sections['city'].pk}", "?force=true"), 401, "rest_cannot_delete")
    assert Tag.objects.count() == 0


def test_term_list_query_count_is_flat(api, db):
    def count(n: int) -> int:
        for _ in range(n):
            make_post("p", categories=[CategoryFactory()], tags=[TagFactory()])
        with CaptureQueriesContext(connection) as queries:
            assert api.get("categories", {"per_page": 100}).status_code == 200
            assert api.get("tags", {"per_page": 100}).status_code == 200
        return len(queries)

    assert count(2) == count(25)
