"""/wp-admin/edit.php?post_type=page: the Pages list (linked in the menu, "Add New Page" opens the editor
for a page) with the posts list's filters and bulk actions; and the per-status counts above both lists,
each a filter link, counted in one query."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from byline.content.models import Post, PostType, Status
from tests.factories import make_post

pytestmark = pytest.mark.django_db
PAGES = "/wp-admin/edit.php?post_type=page"


def make_page(title, **fields):
    return make_post(title, post_type=PostType.PAGE, **fields)


def doc(response):
    assert response.status_code == 200, response.content[:500]
    return html.fromstring(response.content.decode())


def titles(page) -> list[str]:
    return sorted(" ".join(td.text_content().split()) for td in page.xpath("//td[@class='title']"))


def status_links(page) -> list[tuple[str, str]]:
    return [
        (" ".join(a.text_content().split()), a.get("href"))
        for a in page.xpath("//nav[contains(@class,'status-links')]//a")
    ]


def test_the_menu_links_the_pages_list_and_add_new_page_opens_a_page_editor(signed_in):
    client, editor = signed_in("editor", "eda")
    make_page("About us", author=editor)
    make_post("A post, not a page", author=editor)
    dashboard = doc(client.get("/wp-admin/"))
    assert dashboard.xpath("//nav[@id='desk-nav']//a[normalize-space()='Pages']/@href") == [PAGES]
    page = doc(client.get(PAGES))
    assert page.xpath("//h1/text()") == ["Pages"]
    assert page.xpath("//title/text()")[0].startswith("Pages ‹")
    assert page.xpath("//nav[@id='desk-nav']//a[@aria-current='page']/text()") == ["Pages"]
    assert titles(page) == ["About us"]
    add = page.xpath("//a[normalize-space()='Add New Page']/@href")
    assert add == ["/wp-admin/post-new.php?post_type=page"]
    editor_page = doc(client.get(add[0]))
    assert editor_page.xpath("//title/text()")[0].startswith("Add new page")
    assert '"post_type": "page"' in editor_page.xpath("//script[@id='editor-state']/text()")[0]
    # The posts list does not show pages, and its menu entry is not current on the pages list.
    assert titles(doc(client.get("/wp-admin/edit.php"))) == ["A post, not a page"]


def test_pages_filter_by_status_author_and_search(signed_in, make_user):
    client, editor = signed_in("editor", "eda")
    ola = make_user("author", "ola")
    about = make_page("About the Ledger", author=ola)
    make_page("Contact", author=editor, status=Status.DRAFT)
    make_page("Ethics policy", author=editor, parent=about)
    assert titles(doc(client.get(PAGES + "&post_status=draft"))) == ["Contact"]
    assert titles(doc(client.get(f"{PAGES}&author={ola.pk}"))) == ["About the Ledger"]
    assert titles(doc(client.get(PAGES + "&s=ethics"))) == ["Ethics policy"]
    page = doc(client.get(PAGES))
    # No categories for pages: a Parent column instead, and no category filter.
    assert not page.xpath("//select[@id='filter-cat']")
    row = page.xpath("//tr[td[@class='title'][normalize-space()='Ethics policy']]")[0]
    assert row.xpath("./td[@data-label='Parent']/text()") == ["About the Ledger"]
    # The filter form stays on pages.
    assert page.xpath("//form[@role='search']//input[@name='post_type']/@value") == ["page"]


def test_bulk_actions_on_pages_obey_roles_and_return_to_the_pages_list(signed_in, make_user):
    client, ola = signed_in("author", "ola")
    mine = make_page("My page", author=ola, status=Status.DRAFT)
    theirs = make_page("Their page", author=make_user("author", "per"))
    back = "post_type=page&post_status=draft"
    r = client.post(
        "/wp-admin/edit.php", {"action": "publish", "post_type": "page", "back": back, "post[]": [mine.pk]}
    )
    assert r["Location"] == "/wp-admin/edit.php?" + back
    assert "1 page published." in client.get(r["Location"]).content.decode()
    mine.refresh_from_db()
    assert mine.status == Status.PUBLISH
    r = client.post("/wp-admin/edit.php", {"action": "draft", "post_type": "page", "post[]": [theirs.pk]})
    assert r.status_code == 403 and "You may not change “Their page”." in r.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == Status.PUBLISH
    # A page's id sent to the posts list is not found there: nothing happens to it.
    r = client.post("/wp-admin/edit.php", {"action": "draft", "post[]": [mine.pk]})
    mine.refresh_from_db()
    assert mine.status == Status.PUBLISH


def test_a_contributor_submits_pages_for_review_and_deleting_asks_first(signed_in):
    client, cora = signed_in("contributor", "cora")
    draft = make_page("Cora's page", author=cora, status=Status.DRAFT)
    page = doc(client.get(PAGES))
    assert page.xpath("//select[@id='bulk-action']/option/@value") == ["draft", "trash"]
    r = client.post(
        "/wp-admin/edit.php", {"action": "publish", "post_type": "page", "post[]": [draft.pk]}, follow=True
    )
    assert "1 page submitted for review." in r.content.decode()
    assert Post.objects.get(pk=draft.pk).status == Status.PENDING
    confirm = doc(
        client.post("/wp-admin/edit.php", {"action": "trash", "post_type": "page", "post[]": [draft.pk]})
    )
    assert confirm.xpath("//h1/text()") == ["Delete 1 page for good?"]
    assert confirm.xpath("//input[@name='post_type']/@value") == ["page"]


def test_status_counts_as_wordpress_shows_them_each_a_filter_link(signed_in, make_user):
    client, eda = signed_in("editor", "eda")
    ola = make_user("author", "ola")
    for i in range(3):
        make_post(f"Published {i}", author=ola)
    make_post("Mine, published", author=eda)
    make_post("Draft", author=eda, status=Status.DRAFT)
    make_post("Draft 2", author=ola, status=Status.DRAFT)
    make_post("Pending", author=ola, status=Status.PENDING)
    make_post("Private", author=eda, status=Status.PRIVATE)
    make_post("Later", author=eda, status=Status.FUTURE, published_at=timezone.now() + timedelta(days=3))
    make_page("A page", author=eda)  # not counted among posts
    page = doc(client.get("/wp-admin/edit.php"))
    assert status_links(page) == [
        ("All (9)", "/wp-admin/edit.php"),
        ("Mine (4)", f"/wp-admin/edit.php?author={eda.pk}"),
        ("Published (4)", "/wp-admin/edit.php?post_status=publish"),
        ("Scheduled (1)", "/wp-admin/edit.php?post_status=future"),
        ("Drafts (2)", "/wp-admin/edit.php?post_status=draft"),
        ("Pending (1)", "/wp-admin/edit.php?post_status=pending"),
        ("Private (1)", "/wp-admin/edit.php?post_status=private"),
    ]
    assert page.xpath("//nav[contains(@class,'status-links')]//a[@aria-current='page']/text()") == ["All "]
    drafts = doc(client.get("/wp-admin/edit.php?post_status=draft"))
    assert titles(drafts) == ["Draft", "Draft 2"]
    current = drafts.xpath("//nav[contains(@class,'status-links')]//a[@aria-current='page']")
    assert [" ".join(a.text_content().split()) for a in current] == ["Drafts (2)"]
    assert len(titles(doc(client.get(f"/wp-admin/edit.php?author={eda.pk}")))) == 4
    # The pages list counts pages only; a status with none is not listed.
    assert status_links(doc(client.get(PAGES))) == [
        ("All (1)", PAGES),
        ("Published (1)", PAGES + "&post_status=publish"),
    ]


def test_an_author_counts_only_what_the_list_shows_them(signed_in, make_user):
    client, ola = signed_in("author", "ola")
    per = make_user("author", "per")
    make_post("Per's draft", author=per, status=Status.DRAFT)  # not Ola's to see
    make_post("Per's story", author=per)
    make_post("Ola's draft", author=ola, status=Status.DRAFT)
    page = doc(client.get("/wp-admin/edit.php"))
    assert [label for label, _ in status_links(page)] == [
        "All (2)",
        "Mine (1)",
        "Published (1)",
        "Drafts (1)",
    ]
    assert len(titles(page)) == 2


@pytest.mark.parametrize("path", ["/wp-admin/edit.php", PAGES])
def test_the_lists_and_their_counts_take_the_same_queries_for_3_or_15_rows(signed_in, make_user, path):
    client, eda = signed_in("editor", "eda")
    kind = PostType.PAGE if "page" in path else PostType.POST
    authors = [make_user("author", f"writer{i}") for i in range(3)]
    parent = make_page("Parent", author=eda)

    def add(i):
        extra = {"parent": parent} if kind == PostType.PAGE else {}
        make_post(f"Item {i}", post_type=kind, author=authors[i % 3], status=list(Status)[i % 5], **extra)

    for i in range(3):
        add(i)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for i in range(3, 15):
        add(i)
    with CaptureQueriesContext(connection) as many:
        r = client.get(path)
    assert len(many) == len(few), "the list makes queries per row"
    assert len(titles(doc(r))) == 15 + (1 if kind == PostType.PAGE else 0)
    # One query counts every status (COUNT … FILTER, or CASE WHEN on other databases).
    counts = [q["sql"] for q in many.captured_queries if q["sql"].count("COUNT(") >= len(Status.values)]
    assert len(counts) == 1, "the status counts are one query"
