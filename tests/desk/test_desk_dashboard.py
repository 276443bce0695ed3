"""The dashboard, the frame around every desk page, and the restyled /admin/."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from byline.comments.models import Comment, CommentStatus
from byline.content.models import Status
from byline.options.store import set_option
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def doc(response):
    return html.fromstring(response.content.decode())


def held_comment(post, text="Is this true?", **fields):
    return Comment.objects.create(
        post=post,
        author_name="Reader",
        author_email="reader@example.org",
        content=f"<p>{text}</p>",
        status=CommentStatus.PENDING,
        reason="held: the author has no approved comment yet",
        **fields,
    )


def test_dashboard_counts_link_to_filtered_lists(signed_in):
    set_option("blogname", "The Harbour Ledger")
    client, user = signed_in("author", "ola")
    make_post("Half a thought", author=user, status=Status.DRAFT)
    make_post("Second thought", author=user, status=Status.DRAFT)
    make_post("For review", author=user, status=Status.PENDING)
    make_post("Tomorrow", author=user, status=Status.FUTURE, published_at=timezone.now() + timedelta(days=1))
    held_comment(make_post("Published", author=user))
    with CaptureQueriesContext(connection) as queries:
        r = client.get("/wp-admin/")
    assert r.status_code == 200
    assert len(queries) <= 10, [q["sql"] for q in queries]
    page = doc(r)
    glance = {
        " ".join(a.text_content().split()): a.get("href") for a in page.xpath("//ul[@class='glance']//a")
    }
    assert glance == {
        "2 drafts": "/wp-admin/edit.php?post_status=draft",
        "1 pending review": "/wp-admin/edit.php?post_status=pending",
        "1 scheduled": "/wp-admin/edit.php?post_status=future",
        "1 comment awaiting moderation": "/wp-admin/edit-comments.php?comment_status=pending",
    }
    assert page.xpath("//ul[@class='drafts']//a/text()") == ["Second thought", "Half a thought"]
    assert page.xpath("//a[normalize-space()='Write a post']/@href")[0] == "/wp-admin/post-new.php"
    assert page.xpath("//a[@class='desk-brand']/text()") == ["The Harbour Ledger"]
    assert "Django administration" not in r.text
    assert page.xpath("//title/text()")[0] == "Dashboard ‹ The Harbour Ledger"


def test_menu_shows_the_pending_count_and_settings_only_to_administrators(signed_in):
    client, user = signed_in("editor")
    held_comment(make_post("One"))
    held_comment(make_post("Two"))
    menu = [
        " ".join(a.text_content().split())
        for a in doc(client.get("/wp-admin/")).xpath("//nav[@id='desk-nav']//a")
    ]
    assert menu == ["Dashboard", "Posts", "Write a post", "Pages", "Media", "Comments 2", "Profile"]
    admin, _ = signed_in("administrator", "boss")
    menu = doc(admin.get("/wp-admin/")).xpath("//nav[@id='desk-nav']//a")
    assert [(a.text_content().split()[0], a.get("href")) for a in menu][-1] == ("Settings", "/admin/")


def test_a_contributor_sees_no_one_elses_counts(signed_in):
    client, user = signed_in("contributor", "cora")
    make_post("Someone else's draft", status=Status.DRAFT)
    make_post("Mine", author=user, status=Status.DRAFT)
    page = doc(client.get("/wp-admin/"))
    assert page.xpath("//ul[@class='drafts']//a/text()") == ["Mine"]
    assert "1 draft" in page.xpath("//ul[@class='glance']")[0].text_content()


def test_admin_pages_carry_the_site_name_and_a_way_back(signed_in):
    set_option("blogname", "The Harbour Ledger")
    client, _ = signed_in("administrator", "boss")
    r = client.get("/admin/")
    assert r.status_code == 200
    assert "Django administration" not in r.text and "Django site admin" not in r.text
    page = doc(r)
    assert page.xpath("//div[@id='site-name']/a/text()") == ["The Harbour Ledger"]
    assert page.xpath("//a[normalize-space()='← Back to the desk']/@href") == ["/wp-admin/"]
    assert "The Harbour Ledger" in page.xpath("//title/text()")[0]


def test_every_form_control_on_the_desk_pages_has_a_label(signed_in):
    client, user = signed_in("administrator", "boss")
    post = make_post("A post", author=user)
    held_comment(post)
    for path in (
        "/wp-admin/",
        "/wp-admin/edit.php",
        "/wp-admin/upload.php",
        "/wp-admin/edit-comments.php",
        "/wp-admin/profile.php",
    ):
        page = doc(client.get(path))
        labelled = set(page.xpath("//label/@for"))
        for control in page.xpath("//input[not(@type='hidden')] | //select | //textarea"):
            assert control.get("id") in labelled or control.get("aria-label"), (path, html.tostring(control))
        for button in page.xpath("//button"):
            assert button.text_content().strip() or button.get("aria-label"), path


def test_profile_updates_details_and_changes_the_password(signed_in):
    client, user = signed_in("author", "ola")
    r = client.post(
        "/wp-admin/profile.php",
        {
            "form": "profile",
            "display_name": "Ola Nordmann",
            "email": "ola@harbour.example",
            "website": "https://ola.example",
            "bio": "<p>Harbour <script>x()</script>reporter.</p>",
        },
    )
    assert r["Location"] == "/wp-admin/profile.php?updated=profile"
    user.refresh_from_db()
    assert user.profile.display_name == "Ola Nordmann" and user.email == "ola@harbour.example"
    assert "<script>" not in user.profile.bio
    bad = client.post(
        "/wp-admin/profile.php", {"form": "profile", "display_name": "", "email": "not-an-email"}
    )
    assert bad.status_code == 400 and "Enter a valid email address." in bad.text
    weak = client.post(
        "/wp-admin/profile.php",
        {
            "form": "password",
            "old_password": "correct horse battery staple",
            "new_password1": "password",
            "new_password2": "password",
        },
    )
    assert weak.status_code == 400 and "too common" in weak.text
    ok = client.post(
        "/wp-admin/profile.php",
        {
            "form": "password",
            "old_password": "correct horse battery staple",
            "new_password1": "tidewater-lantern-42",
            "new_password2": "tidewater-lantern-42",
        },
    )
    assert ok["Location"] == "/wp-admin/profile.php?updated=password"
    assert client.get("/wp-admin/").status_code == 200  # still signed in after the change


@pytest.mark.parametrize(
    ("role", "menu"),
    [
        ("subscriber", ["Dashboard", "Profile"]),
        ("contributor", ["Dashboard", "Posts", "Write a post", "Pages", "Comments 0", "Profile"]),
        ("author", ["Dashboard", "Posts", "Write a post", "Pages", "Media", "Comments 0", "Profile"]),
    ],
)
def test_each_role_sees_the_pages_it_may_use(signed_in, role, menu):
    client, _ = signed_in(role)
    page = doc(client.get("/wp-admin/"))
    assert [" ".join(a.text_content().split()) for a in page.xpath("//nav[@id='desk-nav']//a")] == menu
    if role == "subscriber":
        assert not page.xpath("//ul[@class='glance']")
        for path in (
            "/wp-admin/edit.php",
            "/wp-admin/edit.php?post_type=page",
            "/wp-admin/upload.php",
            "/wp-admin/edit-comments.php",
        ):
            r = client.get(path)
            assert r.status_code == 403 and "Your role does not give you this page." in r.content.decode()
        assert client.get("/wp-admin/profile.php").status_code == 200
