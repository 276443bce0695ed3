"""What a reader gets at each of WordPress's addresses, over real HTTP (Django's test client)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from lxml import html

from byline.content import services
from byline.content.models import Post, PostType, Status
from byline.options.store import set_option
from tests.factories import CategoryFactory, TagFactory, UserFactory, make_post
from tests.sitemaps import sitemap_locations

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(html.fromstring(response.content).text_content().split())


def test_home_lists_newest_first_with_sticky_on_top(client):
    old = make_post("Old news", published_at=datetime(2024, 1, 1, tzinfo=UTC))
    make_post("Pinned", sticky=True, published_at=datetime(2023, 1, 1, tzinfo=UTC))
    make_post("Fresh news", published_at=datetime(2025, 1, 1, tzinfo=UTC))
    r = client.get("/")
    assert r.status_code == 200
    titles = html.fromstring(r.content).xpath("//article//h2/a/text()")
    assert titles == ["Pinned", "Fresh news", "Old news"]
    assert old.title in text_of(r)


def test_home_is_paginated_at_page_n(client):
    set_option("posts_per_page", "2")
    for i in range(5):
        make_post(f"Post {i}", published_at=datetime(2025, 1, 1 + i, tzinfo=UTC))
    first = client.get("/")
    assert 'href="/page/2/"' in first.content.decode()
    third = client.get("/page/3/")
    assert third.status_code == 200
    assert html.fromstring(third.content).xpath("//article//h2/a/text()") == ["Post 0"]
    assert client.get("/page/4/").status_code == 404


@pytest.mark.parametrize("path", ["/page/0/", "/page/abc/", "/page/-1/", "/page/99999999999/"])
def test_malformed_page_numbers_are_404_not_500(client, path):
    make_post("Only post")
    assert client.get(path).status_code == 404


def test_drafts_and_future_posts_stay_hidden_until_due(client):
    make_post("A draft", status=Status.DRAFT)
    future = make_post(
        "Tomorrow's post", status=Status.FUTURE, published_at=timezone.now() + timedelta(days=1)
    )
    assert "A draft" not in text_of(client.get("/"))
    assert "Tomorrow's post" not in text_of(client.get("/"))
    # Its time comes: it appears without any cron job (published on read).
    Post.objects.filter(pk=future.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert "Tomorrow's post" in text_of(client.get("/"))
    assert client.get(f"/?p={future.pk}").status_code == 301


def test_single_post_at_default_permalink(client):
    post = make_post("Harbour dues rise", published_at=datetime(2025, 9, 15, 10, tzinfo=UTC))
    r = client.get("/2025/09/harbour-dues-rise/")
    assert r.status_code == 200
    assert post.title in text_of(r)
    # The wrong month: WordPress's redirect_guess_404_permalink finds the post by its slug.
    wrong = client.get("/2025/08/harbour-dues-rise/")
    assert wrong.status_code == 301 and wrong["Location"] == "/2025/09/harbour-dues-rise/"


def test_query_p_redirects_like_wordpress(client):
    post = make_post("Ferry timetable")
    r = client.get(f"/?p={post.pk}")
    assert r.status_code == 301
    assert r["Location"] == "/2025/09/ferry-timetable/"


@pytest.mark.parametrize("query", ["?p=abc", "?p=", "?p=999999", "?p=1%27", "?page_id=-3", "?cat=x"])
def test_malformed_query_ids_are_404(client, query):
    make_post("Some post")
    assert client.get("/" + query).status_code == 404


def test_changing_the_slug_or_date_leaves_a_301(client):
    post = make_post("First title")
    old = "/2025/09/first-title/"
    post.slug = "better-title"
    services.save_post(post)
    r = client.get(old)
    assert r.status_code == 301 and r["Location"] == "/2025/09/better-title/"
    post.published_at = datetime(2024, 3, 1, tzinfo=UTC)
    services.save_post(post)
    assert client.get("/2025/09/better-title/")["Location"] == "/2024/03/better-title/"
    assert client.get(old)["Location"] == "/2024/03/better-title/"
    assert client.get("/2024/03/better-title/").status_code == 200


@pytest.mark.parametrize(
    "structure,expected",
    [
        ("/%postname%/", "/tram-fares/"),
        ("/%year%/%monthnum%/%day%/%postname%/", "/2025/09/15/tram-fares/"),
        ("/archives/%post_id%/", "/archives/{id}/"),
        ("/%category%/%postname%/", "/city/tram-fares/"),
        ("/%author%/%postname%/", "/kim/tram-fares/"),
    ],
)
def test_permalink_structures(client, structure, expected):
    set_option("permalink_structure", structure)
    post = make_post(
        "Tram fares",
        categories=[CategoryFactory(name="City", slug="city")],
        author=UserFactory(username="kim"),
    )
    path = expected.format(id=post.pk)
    r = client.get(path)
    assert r.status_code == 200, path
    assert html.fromstring(r.content).xpath("//a[@rel='bookmark']/@href")[-1] == path


def test_pages_have_hierarchical_addresses(client):
    author = UserFactory()
    parent = services.save_post(
        Post(post_type=PostType.PAGE, title="About", status=Status.PUBLISH, author=author)
    )
    child = services.save_post(
        Post(post_type=PostType.PAGE, title="Team", status=Status.PUBLISH, author=author, parent=parent)
    )
    assert client.get("/about/").status_code == 200
    r = client.get("/about/team/")
    assert r.status_code == 200 and child.title in text_of(r)
    for wrong in ("/team/", "/other/team/"):  # found by its slug, as WordPress guesses
        r = client.get(wrong)
        assert r.status_code == 301 and r["Location"] == "/about/team/"


def test_category_archive_includes_children_and_paginates(client):
    parent = CategoryFactory(name="World", slug="world")
    child = CategoryFactory(name="Asia", slug="asia", parent=parent)
    make_post("From Asia", categories=[child])
    make_post("From the world", categories=[parent])
    make_post("Elsewhere")
    r = client.get("/category/world/")
    assert r.status_code == 200
    t = text_of(r)
    assert "From Asia" in t and "From the world" in t and "Elsewhere" not in t
    assert client.get("/category/world/asia/").status_code == 200
    assert client.get("/category/nowhere/").status_code == 404
    assert client.get("/category/world/page/2/").status_code == 404


def test_tag_author_and_date_archives(client):
    tag = TagFactory(name="ferries", slug="ferries")
    make_post(
        "Ferry news",
        tags=[tag],
        author=UserFactory(username="ines"),
        published_at=datetime(2025, 3, 4, 9, tzinfo=UTC),
    )
    for path in ("/tag/ferries/", "/author/ines/", "/2025/", "/2025/03/", "/2025/03/04/"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "Ferry news" in text_of(r), path
    for path in ("/tag/none/", "/author/nobody/", "/2024/", "/2025/04/", "/2025/13/", "/2025/02/30/"):
        assert client.get(path).status_code == 404, path


def test_author_without_posts_has_no_archive(client):
    UserFactory(username="quiet")
    assert client.get("/author/quiet/").status_code == 404


def test_search(client):
    make_post("Dredging the channel", body="<p>The silt problem returns.</p>")
    make_post("Library hours")
    r = client.get("/?s=silt")
    assert r.status_code == 200
    t = text_of(r)
    assert "Dredging the channel" in t and "Library hours" not in t
    assert "nothing matched" in text_of(client.get("/?s=zebra"))
    assert client.get("/?s=").status_code == 200
    assert client.get("/?s=<script>alert(1)</script>").content.count(b"<script>alert") == 0


def test_unknown_addresses_are_404_with_the_theme(client):
    make_post("Something")
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    assert "Nothing here" in text_of(r)
    assert client.get("/2025/09/no-such-post/").status_code == 404


def test_missing_trailing_slash_redirects(client):
    make_post("Slash post")
    r = client.get("/2025/09/slash-post")
    assert r.status_code == 301 and r["Location"] == "/2025/09/slash-post/"


def test_password_protected_post(client):
    post = make_post("Members only", password="harbour", body="<p>The secret minutes.</p>")
    r = client.get("/2025/09/members-only/")
    assert "The secret minutes" not in r.content.decode()
    assert "This content is password protected" in text_of(r)
    wrong = client.post(f"/postpass/{post.pk}/", {"post_password": "nope"})
    assert "The secret minutes" not in client.get(wrong["Location"]).content.decode()
    client.post(f"/postpass/{post.pk}/", {"post_password": "harbour"})
    assert "The secret minutes" in client.get("/2025/09/members-only/").content.decode()


def test_drafts_preview_only_for_staff(client, admin_client):
    post = make_post("Draft piece", status=Status.DRAFT)
    assert client.get(f"/?p={post.pk}&preview=true").status_code == 404
    r = admin_client.get(f"/?p={post.pk}&preview=true")
    assert r.status_code == 200 and "Draft piece" in text_of(r)


def test_robots_txt_names_the_sitemap(client):
    r = client.get("/robots.txt")
    assert r.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in r.content.decode()
    set_option("blog_public", "0")
    assert "Disallow: /\n" in client.get("/robots.txt").content.decode()


def test_sitemap_lists_posts_pages_and_archives(client):
    cat = CategoryFactory(name="City", slug="city")
    tag = TagFactory(name="tides", slug="tides")
    make_post("Tide post", categories=[cat], tags=[tag], author=UserFactory(username="ola"))
    make_post("Hidden draft", status=Status.DRAFT)
    services.save_post(
        Post(post_type=PostType.PAGE, title="About", status=Status.PUBLISH, author=UserFactory())
    )
    locs = set(sitemap_locations(client))
    for path in (
        "/",
        "/2025/09/tide-post/",
        "/about/",
        "/category/city/",
        "/tag/tides/",
        "/author/ola/",
        "/2025/",
        "/2025/09/",
    ):
        assert "http://testserver" + path in locs, path
    assert not any("hidden-draft" in loc for loc in locs)


def test_admin_and_wordpress_admin_addresses(client, admin_client):
    # WordPress's addresses are the desk's: signed out, /wp-admin/ asks to sign in first.
    assert client.get("/wp-admin/")["Location"] == "/wp-login.php?redirect_to=%2Fwp-admin%2F"
    assert client.get("/wp-login.php").status_code == 200
    assert admin_client.get("/wp-admin/").status_code == 200
    assert admin_client.get("/admin/content/post/").status_code == 200
    assert admin_client.get("/admin/content/page/").status_code == 200


def test_renaming_a_post_with_a_non_ascii_slug_redirects(client):
    post = make_post("Överfart i natt")
    old = "/2025/09/överfart-i-natt/"
    assert client.get(old).status_code == 200
    post.slug = "natt-overfart"
    services.save_post(post)
    r = client.get(old)
    assert r.status_code == 301 and r["Location"] == "/2025/09/natt-overfart/"


def test_top_level_pages_are_in_the_navigation(client):
    author = UserFactory()
    about = services.save_post(
        Post(post_type=PostType.PAGE, title="About", status=Status.PUBLISH, author=author)
    )
    services.save_post(
        Post(post_type=PostType.PAGE, title="Team", status=Status.PUBLISH, author=author, parent=about)
    )
    services.save_post(Post(post_type=PostType.PAGE, title="Draft page", status=Status.DRAFT, author=author))
    make_post("A post")
    nav = html.fromstring(client.get("/").content).xpath("//nav[@class='site-nav']//a")
    assert [(a.text, a.get("href")) for a in nav] == [("About", "/about/")]
