"""Every route answers with the fields WordPress 6.x sends (compared with WordPress's own output
in tests/data/wp-api/) and declares the arguments WordPress's schema declares."""

import json

import pytest

from byline.api.views import ENDPOINTS
from byline.comments.models import Comment, CommentStatus
from byline.content.services import create_media
from tests.api.api_helpers import WP_API, png_bytes, wp_fixture
from tests.factories import CategoryFactory, TagFactory, make_post

GENERATED = "wp-api-generated/"
# Routes and methods Byline leaves out on purpose (docs/api.md): user accounts are made in the admin.
NOT_SUPPORTED = {
    "/wp/v2/users": {"POST"},
    "/wp/v2/users/me": {"POST", "PUT", "PATCH", "DELETE"},
    "/wp/v2/users/(?P<id>[\\d]+)": {"POST", "PUT", "PATCH", "DELETE"},
}


def keys(item: dict) -> set[str]:
    return set(item) - {"_links", "_embedded"}


@pytest.fixture
def site(db):
    category, tag = CategoryFactory(), TagFactory()
    photo = create_media(png_bytes(), "harbour.png", title="Harbour", caption="The quay")
    post = make_post("A post", categories=[category], tags=[tag], featured_image=photo)
    page = make_post("A page", post_type="page")
    Comment.objects.create(
        post=post,
        author_name="Reader",
        author_email="reader@example.org",
        author_ip="192.0.2.1",
        content="<p>Hello</p>",
        status=CommentStatus.APPROVED,
    )
    return {"post": post, "page": page, "category": category, "tag": tag, "media": photo}


@pytest.mark.parametrize(
    ("route", "fixture"),
    [
        ("posts", "PostsCollection.json"),
        ("pages", "PagesCollection.json"),
        ("media", "MediaCollection.json"),
        ("comments", "CommentsCollection.json"),
        ("categories", "CategoriesCollection.json"),
        ("tags", "TagsCollection.json"),
        ("users", "UsersCollection.json"),
    ],
)
def test_collections_have_wordpress_fields(api, site, route, fixture):
    theirs = wp_fixture(GENERATED + fixture)[0]
    ours = api.get(route).json()[0]
    assert keys(ours) == keys(theirs)
    for name, value in theirs.items():
        if isinstance(value, dict) and name not in (
            "meta",
            "_links",
            "media_details",
            "avatar_urls",
            "author_avatar_urls",
        ):
            assert set(ours[name]) == set(value), name
    # Every link relation Byline sends is one WordPress sends (revisions aside, Byline has none).
    extra = {"author", "up", "wp:featuredmedia", "children", "in-reply-to"}
    assert set(ours["_links"]) <= set(theirs["_links"]) | extra


@pytest.mark.parametrize(
    ("route", "fixture"),
    [
        ("posts/{post}", "PostModel.json"),
        ("pages/{page}", "PageModel.json"),
        ("media/{media}", "MediaModel.json"),
        ("categories/{category}", "CategoryModel.json"),
        ("tags/{tag}", "TagModel.json"),
        ("types/post", "TypeModel.json"),
        ("taxonomies/category", "TaxonomyModel.json"),
        ("statuses/publish", "StatusModel.json"),
    ],
)
def test_single_items_have_wordpress_fields(api, site, route, fixture):
    ids = {name: obj.pk for name, obj in site.items()}
    ours = api.get(route.format(**ids)).json()
    assert keys(ours) == keys(wp_fixture(GENERATED + fixture))


def test_comment_and_user_items(api, site):
    comment = Comment.objects.get()
    assert keys(api.get(f"comments/{comment.pk}").json()) == keys(wp_fixture(GENERATED + "CommentModel.json"))
    author = site["post"].author_id
    assert keys(api.get(f"users/{author}").json()) == keys(wp_fixture(GENERATED + "UserModel.json"))


@pytest.mark.parametrize(
    ("route", "fixture"),
    [("types", "TypesCollection.json"), ("taxonomies", "TaxonomiesCollection.json")],
)
def test_keyed_collections(api, db, route, fixture):
    theirs = wp_fixture(GENERATED + fixture)
    ours = api.get(route).json()
    assert set(ours) <= set(theirs)
    for slug, item in ours.items():
        assert keys(item) == keys(theirs[slug])


def test_statuses_for_writers(editor_api):
    theirs = wp_fixture(GENERATED + "StatusesCollection.json")
    ours = editor_api.get("statuses").json()
    assert set(ours) == set(theirs) - {"trash"}  # Byline deletes; it has no trash for posts
    for slug, item in ours.items():
        assert keys(item) == keys(theirs[slug])


def test_me_and_settings(admin_api):
    assert keys(admin_api.get("users/me").json()) == keys(wp_fixture(GENERATED + "me.json"))
    settings = admin_api.get("settings").json()
    assert set(wp_fixture(GENERATED + "settings.json")) <= set(settings)


def test_real_site_post_shape(api, site):
    """A post captured from a real WordPress site: Byline sends every core field it has."""
    real = wp_fixture("ghost-migrate/single-post.json")
    core = {k for k in real if not k.startswith("jetpack_")}
    ours = api.get(f"posts/{site['post'].pk}", {"_embed": "1"}).json()
    assert core - set(ours) == set()
    assert set(ours["_embedded"]) >= {"author", "wp:featuredmedia", "wp:term"}
    assert keys(ours["_embedded"]["author"][0]) == keys(real["_embedded"]["author"][0])


def test_routes_and_arguments_match_wordpress_schema():
    schema = json.loads((WP_API / GENERATED / "Schema.json").read_text())["routes"]
    for endpoint in ENDPOINTS:
        described = endpoint().describe()
        theirs = schema[endpoint.route]
        skipped = NOT_SUPPORTED.get(endpoint.route, set())
        assert set(described["methods"]) == set(theirs["methods"]) - skipped, endpoint.route
        for group in described["endpoints"]:
            wp_group = next(e for e in theirs["endpoints"] if set(e["methods"]) == set(group["methods"]))
            ours, wp = set(group["args"]), set(wp_group["args"])
            if endpoint.route == "/wp/v2/settings":
                assert wp <= ours  # and every other declared option, under its own name
            else:
                assert ours == wp, (endpoint.route, group["methods"], ours ^ wp)
