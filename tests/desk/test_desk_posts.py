"""/wp-admin/edit.php: filters, search, edit links, and bulk actions that obey each role per post."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from byline.content import services
from byline.content.models import Post, Status
from tests.factories import CategoryFactory, make_post

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    page = html.fromstring(response.content.decode())
    return [
        " ".join(td.text_content().split()) for td in page.xpath("//table[@class='list']//td[@class='title']")
    ]


def test_filters_by_status_author_category_and_search(signed_in, make_user):
    client, editor = signed_in("editor", "eda")
    ola = make_user("author", "ola")
    city = CategoryFactory(name="City")
    make_post("Quay housing plan", author=ola, categories=[city])
    make_post("Ferry timetable", author=ola, status=Status.DRAFT)
    make_post("Council budget", author=editor, categories=[city])
    assert titles(client.get("/wp-admin/edit.php?post_status=draft")) == ["Ferry timetable"]
    assert sorted(titles(client.get(f"/wp-admin/edit.php?author={ola.pk}"))) == [
        "Ferry timetable",
        "Quay housing plan",
    ]
    assert sorted(titles(client.get(f"/wp-admin/edit.php?cat={city.pk}"))) == [
        "Council budget",
        "Quay housing plan",
    ]
    assert titles(client.get("/wp-admin/edit.php?s=quay")) == ["Quay housing plan"]
    # Nonsense filters are ignored, not errors.
    assert len(titles(client.get("/wp-admin/edit.php?post_status=bogus&author=x&cat=-1"))) == 3


def test_rows_link_to_the_editor_and_the_query_count_is_flat(signed_in):
    client, editor = signed_in("editor", "eda")
    posts = [make_post(f"Post {i}", categories=[CategoryFactory()]) for i in range(3)]
    with CaptureQueriesContext(connection) as few:
        client.get("/wp-admin/edit.php")
    for i in range(3, 12):
        make_post(f"Post {i}", categories=[CategoryFactory()])
    with CaptureQueriesContext(connection) as many:
        r = client.get("/wp-admin/edit.php")
    assert len(many) == len(few), "the posts list makes a query per row"
    links = html.fromstring(r.content.decode()).xpath("//td[@class='title']/a/@href")
    assert f"/wp-admin/post.php?post={posts[0].pk}&action=edit" in links


def test_an_author_lists_own_posts_and_others_published_only(signed_in, make_user):
    client, ola = signed_in("author", "ola")
    other = make_user("author", "per")
    make_post("Per's draft", author=other, status=Status.DRAFT)
    make_post("Per's story", author=other)
    make_post("My draft", author=ola, status=Status.DRAFT)
    r = client.get("/wp-admin/edit.php")
    assert sorted(titles(r)) == ["My draft", "Per's story"]
    # Another's published post is listed but not offered for editing.
    assert html.fromstring(r.content.decode()).xpath("//td[@class='title']/a/text()") == ["My draft"]


def test_bulk_publish_and_draft_for_an_author(signed_in, make_user):
    client, ola = signed_in("author", "ola")
    mine = make_post("Mine", author=ola, status=Status.DRAFT)
    theirs = make_post("Theirs", author=make_user("author", "per"))
    r = client.post("/wp-admin/edit.php", {"action": "publish", "post[]": [mine.pk]})
    assert r.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Status.PUBLISH
    # Someone else's post is refused, and left alone.
    r = client.post("/wp-admin/edit.php", {"action": "draft", "post[]": [theirs.pk]})
    assert r.status_code == 403 and "You may not change “Theirs”." in r.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == Status.PUBLISH


def test_a_contributor_never_publishes_by_a_bulk_action(signed_in):
    """Publishing is decided by the services for every save: a contributor's "publish" asks for review."""
    client, cora = signed_in("contributor", "cora")
    draft = make_post("Cora's draft", author=cora, status=Status.DRAFT)
    page = html.fromstring(client.get("/wp-admin/edit.php").content.decode())
    assert page.xpath("//select[@id='bulk-action']/option/@value") == ["draft", "trash"]
    r = client.post("/wp-admin/edit.php", {"action": "publish", "post[]": [draft.pk]}, follow=True)
    assert "1 post submitted for review." in r.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.PENDING
    assert client.get(f"/?p={draft.pk}").status_code == 404


def test_bulk_publish_of_a_post_dated_ahead_schedules_it(signed_in):
    client, eda = signed_in("editor", "eda")
    ahead = make_post("Budget embargo", author=eda, status=Status.DRAFT)
    ahead.published_at = timezone.now() + timedelta(days=2)
    ahead.save()
    r = client.post("/wp-admin/edit.php", {"action": "publish", "post[]": [ahead.pk]}, follow=True)
    assert "1 post scheduled." in r.content.decode()
    ahead.refresh_from_db()
    assert ahead.status == Status.FUTURE


def test_change_post_status_asks_save_post_with_the_person(make_user):
    """The bulk actions' service passes `by` on, so save_post's capability checks apply."""
    cora = make_user("contributor", "cora")
    draft = make_post("Cora's draft", author=cora, status=Status.DRAFT)
    services.change_post_status(draft, Status.PUBLISH, by=cora)
    assert Post.objects.get(pk=draft.pk).status == Status.PENDING


def test_trash_asks_first_then_deletes_through_the_services(signed_in):
    client, _ = signed_in("editor", "eda")
    post = make_post("Doomed")
    r = client.post("/wp-admin/edit.php", {"action": "trash", "post[]": [post.pk]})
    assert r.status_code == 200 and "Doomed" in r.content.decode()
    assert Post.objects.filter(pk=post.pk).exists()
    r = client.post("/wp-admin/edit.php", {"action": "trash", "confirm": "1", "post[]": [post.pk]})
    assert r.status_code == 302 and not Post.objects.filter(pk=post.pk).exists()
    assert client.get("/2025/09/doomed/").status_code == 404


def test_bad_bulk_requests_change_nothing(signed_in):
    client, _ = signed_in("editor", "eda")
    post = make_post("Steady", status=Status.DRAFT)
    r = client.post("/wp-admin/edit.php", {"action": "explode", "post[]": [post.pk]})
    assert r.status_code == 400 and "Choose a bulk action" in r.content.decode()
    r = client.post("/wp-admin/edit.php", {"action": "publish"}, follow=True)
    assert "Tick at least one post first." in r.content.decode()
    post.refresh_from_db()
    assert post.status == Status.DRAFT
