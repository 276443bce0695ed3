"""/wp/v2/posts and /wp/v2/pages: what readers list and filter, what writers create and change."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.content.models import OldPermalink, Post, Status
from tests.api.api_helpers import assert_wp_error
from tests.factories import CategoryFactory, TagFactory, UserFactory, make_post


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()]


@pytest.fixture
def newsroom(db):
    """Three published posts in two sections, a draft, a private post and a page."""
    harbour, city = CategoryFactory(name="Harbour", slug="harbour"), CategoryFactory(name="City", slug="city")
    ships = TagFactory(name="ships", slug="ships")
    writer = UserFactory(username="mara")
    day = lambda d: datetime(2025, 9, d, 9, tzinfo=UTC)  # noqa: E731
    posts = {
        "cranes": make_post(
            "The cranes come down", author=writer, categories=[harbour], tags=[ships], published_at=day(15)
        ),
        "budget": make_post(
            "Five numbers in the budget", author=writer, categories=[city], published_at=day(10)
        ),
        "tides": make_post(
            "Why the tide tables were wrong",
            author=writer,
            categories=[harbour],
            published_at=day(5),
            sticky=True,
        ),
        "draft": make_post("A draft", author=writer, status=Status.DRAFT),
        "private": make_post("Private notes", author=writer, status=Status.PRIVATE),
    }
    posts["about"] = make_post("About", post_type="page", author=writer)
    return {
        "harbour": harbour,
        "city": city,
        "ships": ships,
        "writer": writer,
        **{k: v for k, v in posts.items()},
    }


def test_readers_see_published_posts_newest_first(api, newsroom):
    response = api.get("posts")
    assert response.status_code == 200
    n = newsroom
    assert ids(response) == [n["cranes"].pk, n["budget"].pk, n["tides"].pk]
    assert response["X-WP-Total"] == "3" and response["X-WP-TotalPages"] == "1"
    first = response.json()[0]
    assert first["title"] == {"rendered": "The cranes come down"}
    assert first["link"] == "http://testserver/2025/09/the-cranes-come-down/"
    assert first["date"] == "2025-09-15T09:00:00" and first["date_gmt"] == "2025-09-15T09:00:00"
    assert first["categories"] == [n["harbour"].pk] and first["tags"] == [n["ships"].pk]
    assert "raw" not in first["content"] and "password" not in first


def test_filters(api, newsroom):
    n = newsroom
    assert ids(api.get("posts", {"slug": "the-cranes-come-down"})) == [n["cranes"].pk]
    assert ids(api.get("posts", {"slug": "the-cranes-come-down,five-numbers-in-the-budget"})) == [
        n["cranes"].pk,
        n["budget"].pk,
    ]
    assert ids(api.get("posts", {"categories": n["harbour"].pk})) == [n["cranes"].pk, n["tides"].pk]
    assert ids(api.get("posts", {"categories_exclude": n["harbour"].pk})) == [n["budget"].pk]
    assert ids(api.get("posts", {"tags": n["ships"].pk})) == [n["cranes"].pk]
    assert ids(api.get("posts", {"search": "tide tables"})) == [n["tides"].pk]
    assert ids(api.get("posts", {"include[]": [n["tides"].pk, n["cranes"].pk], "orderby": "include"})) == [
        n["tides"].pk,
        n["cranes"].pk,
    ]
    assert ids(api.get("posts", {"exclude": n["cranes"].pk})) == [n["budget"].pk, n["tides"].pk]
    assert ids(api.get("posts", {"author": n["writer"].pk, "order": "asc"})) == [
        n["tides"].pk,
        n["budget"].pk,
        n["cranes"].pk,
    ]
    assert ids(api.get("posts", {"sticky": "true"})) == [n["tides"].pk]
    assert ids(api.get("posts", {"after": "2025-09-08T00:00:00", "before": "2025-09-12T00:00:00"})) == [
        n["budget"].pk
    ]
    assert ids(api.get("posts", {"orderby": "title", "order": "asc"})) == [
        n["budget"].pk,
        n["cranes"].pk,
        n["tides"].pk,
    ]
    assert ids(api.get("pages")) == [n["about"].pk]


def test_pagination_headers(api, newsroom):
    response = api.get("posts", {"per_page": 1, "page": 2})
    assert ids(response) == [newsroom["budget"].pk]
    assert response["X-WP-Total"] == "3" and response["X-WP-TotalPages"] == "3"
    assert response["Link"] == (
        '<http://testserver/wp-json/wp/v2/posts?per_page=1&page=1>; rel="prev", '
        '<http://testserver/wp-json/wp/v2/posts?per_page=1&page=3>; rel="next"'
    )
    assert_wp_error(api.get("posts", {"page": 4}), 400, "rest_post_invalid_page_number")


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"per_page": 1000}, "per_page"),
        ({"per_page": 0}, "per_page"),
        ({"page": -1}, "page"),
        ({"page": "two"}, "page"),
        ({"order": "sideways"}, "order"),
        ({"orderby": "colour"}, "orderby"),
        ({"categories": "harbour"}, "categories"),
        ({"after": "last tuesday"}, "after"),
        ({"sticky": "maybe"}, "sticky"),
        ({"context": "admin"}, "context"),
    ],
)
def test_bad_arguments_are_rest_invalid_param(api, newsroom, params, bad):
    body = assert_wp_error(api.get("posts", params), 400, "rest_invalid_param")
    assert list(body["data"]["params"]) == [bad]
    assert body["data"]["details"][bad]["code"].startswith("rest_")


def test_drafts_are_for_writers(api, author_api, editor_api, newsroom):
    body = assert_wp_error(api.get("posts", {"status": "draft"}), 400, "rest_invalid_param")
    assert body["data"]["details"]["status"]["code"] == "rest_forbidden_status"
    assert_wp_error(api.get(f"posts/{newsroom['draft'].pk}"), 401, "rest_forbidden")
    assert_wp_error(api.get(f"posts/{newsroom['private'].pk}"), 401, "rest_forbidden")
    # An author sees only their own drafts; an editor sees everyone's.
    assert ids(author_api.get("posts", {"status": "draft"})) == []
    assert set(ids(editor_api.get("posts", {"status": "draft,private"}))) == {
        newsroom["private"].pk,
        newsroom["draft"].pk,
    }
    assert set(ids(editor_api.get("posts", {"status": "any"}))) == {
        newsroom[k].pk for k in ("cranes", "budget", "tides", "draft", "private")
    }
    draft = editor_api.get(f"posts/{newsroom['draft'].pk}", {"context": "edit"}).json()
    assert draft["title"]["raw"] == "A draft" and draft["link"].endswith(f"/?p={newsroom['draft'].pk}")


def test_edit_context_needs_powers(api, subscriber_api, newsroom):
    assert_wp_error(api.get("posts", {"context": "edit"}), 401, "rest_forbidden_context")
    assert_wp_error(subscriber_api.get("posts", {"context": "edit"}), 403, "rest_forbidden_context")
    assert_wp_error(
        api.get(f"posts/{newsroom['cranes'].pk}", {"context": "edit"}), 401, "rest_forbidden_context"
    )


def test_missing_post(api, db):
    assert_wp_error(api.get("posts/999999"), 404, "rest_post_invalid_id")
    assert_wp_error(api.get("pages/999999"), 404, "rest_post_invalid_id")


def test_password_protected_post(api, editor_api, db):
    post = make_post("Locked", body="<p>The secret text.</p>", password="open sesame")
    public = api.get(f"posts/{post.pk}").json()
    assert public["content"] == {"rendered": "", "protected": True}
    assert public["excerpt"]["rendered"] == ""
    assert "secret" not in api.get("posts").content.decode()
    unlocked = api.get(f"posts/{post.pk}", {"password": "open sesame"}).json()
    assert "The secret text." in unlocked["content"]["rendered"]
    assert_wp_error(api.get(f"posts/{post.pk}", {"password": "wrong"}), 403, "rest_post_incorrect_password")
    assert "The secret text." in editor_api.get(f"posts/{post.pk}").json()["content"]["rendered"]


def test_fields_and_embed(api, newsroom):
    cranes = newsroom["cranes"]
    slim = api.get("posts", {"_fields": "id,title.rendered,_links"}).json()[0]
    assert set(slim) == {"id", "title", "_links"}
    embedded = api.get(f"posts/{cranes.pk}", {"_embed": "author,wp:term"}).json()["_embedded"]
    assert set(embedded) == {"author", "wp:term"}
    assert embedded["author"][0]["name"] == "Mara"
    assert [t["slug"] for t in embedded["wp:term"][0]] == ["harbour"]
    assert [t["slug"] for t in embedded["wp:term"][1]] == ["ships"]
    assert "email" not in embedded["author"][0]
    everything = api.get(f"posts/{cranes.pk}", {"_embed": ""}).json()["_embedded"]
    assert everything["replies"] == [[]]


def test_collection_query_count_does_not_grow(api, db):
    writer = UserFactory()
    sections, labels = [CategoryFactory() for _ in range(3)], [TagFactory() for _ in range(3)]

    def count(n: int) -> int:
        for i in range(n):
            make_post(f"Post {Post.objects.count()} {i}", author=writer, categories=sections, tags=labels)
        with CaptureQueriesContext(connection) as queries:
            response = api.get("posts", {"per_page": 100, "_embed": "1"})
        assert response.status_code == 200
        return len(queries)

    assert count(2) == count(20)


# --- writing -------------------------------------------------------------------------------------


def test_author_creates_updates_and_deletes_a_post(author_api, db):
    section = CategoryFactory(slug="harbour")
    response = author_api.post(
        "posts",
        {
            "title": "Fresh from the quay",
            "content": "<p>Text <script>alert(1)</script></p>",
            "status": "publish",
            "categories": [section.pk],
            "excerpt": {"raw": "Short."},
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    post = Post.objects.get(pk=created["id"])
    assert response["Location"] == f"http://testserver/wp-json/wp/v2/posts/{post.pk}"
    assert post.author == author_api.user and post.status == Status.PUBLISH and post.excerpt == "Short."
    assert "<script" not in post.content_html  # the services layer sanitised it
    assert created["title"]["raw"] == "Fresh from the quay" and created["content"]["raw"].startswith(
        "<p>Text"
    )
    assert list(post.categories.all()) == [section]
    old_link = created["link"]

    changed = author_api.post(f"posts/{post.pk}", {"title": "Fresh", "slug": "fresh"}).json()
    assert changed["slug"] == "fresh" and changed["title"]["rendered"] == "Fresh"
    assert OldPermalink.objects.filter(path=old_link.removeprefix("http://testserver")).exists()
    assert author_api.patch(f"posts/{post.pk}", {"sticky": False}).status_code == 200

    assert_wp_error(author_api.delete(f"posts/{post.pk}"), 501, "rest_trash_not_supported")
    gone = author_api.delete(f"posts/{post.pk}", "?force=true")
    assert gone.status_code == 200 and gone.json()["deleted"] is True
    assert gone.json()["previous"]["id"] == post.pk
    assert not Post.objects.filter(pk=post.pk).exists()


def test_publishing_with_a_future_date_schedules(editor_api, db):
    body = editor_api.post(
        "posts", {"title": "Later", "status": "publish", "date": "2099-01-01T08:00:00"}
    ).json()
    assert body["status"] == "future" and body["date"] == "2099-01-01T08:00:00"


def test_contributors_write_drafts_only(contributor_api, db):
    denied = contributor_api.post("posts", {"title": "Mine", "status": "publish"})
    assert_wp_error(denied, 403, "rest_cannot_publish")
    draft = contributor_api.post("posts", {"title": "Mine", "status": "pending"})
    assert draft.status_code == 201 and draft.json()["status"] == "pending"
    assert Post.objects.count() == 1


def test_writers_cannot_touch_others_posts(author_api, editor_api, db):
    others = make_post("Someone else's", author=UserFactory())
    assert_wp_error(author_api.post(f"posts/{others.pk}", {"title": "Mine now"}), 403, "rest_cannot_edit")
    assert_wp_error(author_api.delete(f"posts/{others.pk}", "?force=1"), 403, "rest_cannot_delete")
    assert_wp_error(
        author_api.post("posts", {"title": "x", "author": others.author_id}), 403, "rest_cannot_edit_others"
    )
    assert_wp_error(
        author_api.post("posts", {"title": "x", "sticky": True}), 403, "rest_cannot_assign_sticky"
    )
    assert editor_api.put(f"posts/{others.pk}", {"title": "Edited"}).json()["title"]["raw"] == "Edited"


def test_strangers_and_forged_passwords_change_nothing(api, author_api, db):
    assert_wp_error(api.post("posts", {"title": "Spam"}), 401, "rest_cannot_create")
    forged = author_api.as_user(author_api.user, "abcd efgh ijkl mnop qrst uvwx")
    assert_wp_error(forged.post("posts", {"title": "Spam"}), 401, "incorrect_password")
    assert Post.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "code", "param"),
    [
        ("{not json", "rest_invalid_json", None),
        ("[1, 2]", "rest_invalid_json", None),
        ({"title": "x", "status": "published"}, "rest_invalid_param", "status"),
        ({"title": "x", "categories": "harbour"}, "rest_invalid_param", "categories"),
        ({"title": "x", "categories": [999999]}, "rest_invalid_param", "categories"),
        ({"title": "x", "sticky": "very"}, "rest_invalid_param", "sticky"),
        ({"title": "x", "date": "soon"}, "rest_invalid_param", "date"),
        ({"title": "x", "author": "me"}, "rest_invalid_param", "author"),
        ({"title": "x", "colour": "red"}, "rest_invalid_param", "colour"),
        ({"title": "x", "format": "aside"}, "rest_invalid_param", "format"),
        ({"title": "x", "meta": {"views": 3}}, "rest_invalid_param", "meta"),
        ({"title": ["x"]}, "rest_invalid_param", "title"),
        ({"title": "   "}, "rest_invalid_param", "title"),
        ({"title": "x" * 501}, "rest_invalid_param", "title"),
        ({"title": "x", "featured_media": 999999}, "rest_invalid_featured_media", None),
    ],
)
def test_bad_writes_change_nothing(editor_api, db, body, code, param):
    existing = make_post("Untouched", author=editor_api.user)
    for route in ("posts", f"posts/{existing.pk}"):
        response = editor_api.post(route, body)
        error = assert_wp_error(response, 400, code)
        if param:
            assert param in error["data"]["params"]
    assert Post.objects.count() == 1
    existing.refresh_from_db()
    assert existing.title == "Untouched"


def test_round_tripped_response_is_accepted(editor_api, db):
    post = make_post("Round trip", author=editor_api.user)
    body = editor_api.get(f"posts/{post.pk}", {"context": "edit"}).json()
    body["title"] = {"raw": "Round trip, edited"}
    response = editor_api.post(f"posts/{post.pk}", body)
    assert response.status_code == 200, response.content
    assert response.json()["title"]["raw"] == "Round trip, edited"


def test_pages_have_parents(editor_api, db):
    parent = editor_api.post("pages", {"title": "About", "status": "publish"}).json()
    child = editor_api.post(
        "pages", {"title": "Staff", "status": "publish", "parent": parent["id"], "menu_order": 2}
    ).json()
    assert child["parent"] == parent["id"] and child["menu_order"] == 2
    assert child["link"] == "http://testserver/about/staff/"
    assert_wp_error(
        editor_api.post(f"pages/{parent['id']}", {"parent": child["id"]}), 400, "rest_post_invalid_id"
    )
    assert [p["id"] for p in editor_api.get("pages", {"parent": parent["id"]}).json()] == [child["id"]]
    assert_wp_error(editor_api.post("pages", {"title": "x", "sticky": True}), 400, "rest_invalid_param")


def test_method_override_and_envelope(editor_api, db):
    post = make_post("Override", author=editor_api.user)
    response = editor_api.post(f"posts/{post.pk}?_method=DELETE&force=true")
    assert response.status_code == 200 and response.json()["deleted"] is True
    enveloped = editor_api.get("posts", {"_envelope": "1"})
    assert enveloped.status_code == 200
    assert set(enveloped.json()) == {"body", "status", "headers"}
    assert enveloped.json()["headers"]["X-WP-Total"] == "0"


def test_delete_arguments_in_a_json_body(editor_api, db):
    post = make_post("Delete me", author=editor_api.user)
    response = editor_api.client.delete(
        f"/wp-json/wp/v2/posts/{post.pk}",
        data='{"force": true}',
        content_type="application/json",
        **editor_api.headers(),
    )
    assert response.status_code == 200 and response.json()["deleted"] is True


def test_scheduled_post_is_published_when_its_time_comes(api, db):
    post = make_post("Scheduled", status=Status.FUTURE, published_at=datetime(2099, 1, 1, tzinfo=UTC))
    assert ids(api.get("posts")) == []
    Post.objects.filter(pk=post.pk).update(published_at=datetime(2025, 1, 1, tzinfo=UTC))  # time passes
    listed = api.get("posts").json()
    assert [p["id"] for p in listed] == [post.pk] and listed[0]["status"] == "publish"


def test_form_encoded_writes(editor_api, db):
    section = CategoryFactory()
    created = editor_api.client.post(
        "/wp-json/wp/v2/posts",
        {"title[raw]": "From a form", "categories[]": [section.pk], "status": "draft"},
        **editor_api.headers(),
    )
    assert created.status_code == 201, created.content
    post = Post.objects.get()
    assert post.title == "From a form" and list(post.categories.all()) == [section]
    put = editor_api.client.put(
        f"/wp-json/wp/v2/posts/{post.pk}",
        "title=Put+by+form",
        content_type="application/x-www-form-urlencoded",
        **editor_api.headers(),
    )
    assert put.status_code == 200 and put.json()["title"]["raw"] == "Put by form"


def test_generated_excerpts(api, db):
    post = make_post("Long", body="<p>" + " ".join(f"word{i}" for i in range(80)) + "</p>")
    excerpt = api.get(f"posts/{post.pk}").json()["excerpt"]["rendered"]
    assert excerpt.startswith("<p>word0 word1") and excerpt.endswith("word54 [&hellip;]</p>\n")
    short = api.get(f"posts/{post.pk}", {"excerpt_length": 3}).json()["excerpt"]["rendered"]
    assert short == "<p>word0 word1 word2 [&hellip;]</p>\n"
