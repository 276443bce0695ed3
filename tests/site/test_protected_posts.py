"""A password-protected post gives away nothing before its password: not its excerpt in any
list, not a word of its body to search, and it takes no comment from a reader who has not
given the password (WordPress's post_password_required)."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from lxml import html

from byline.comments import captcha
from byline.comments.models import Comment
from byline.content.permalinks import permalink_for
from byline.options.store import set_option
from tests.factories import UserFactory, make_post

pytestmark = pytest.mark.django_db

NO_EXCERPT = "There is no excerpt because this is a protected post."


@pytest.fixture
def locked():
    set_option("captcha_min_seconds", "0")
    set_option("comment_flood_interval", "0")
    set_option("comment_previously_approved", "0")
    return make_post(
        "Board minutes",
        author=UserFactory(username="clerk"),
        password="harbour",
        excerpt="The quarterly figures leaked in the excerpt.",
        body="<p>The marmalade contract goes to Dunmore.</p>",
        published_at=datetime(2025, 9, 3, tzinfo=UTC),
        comment_status="open",
    )


def summaries(response) -> list[str]:
    doc = html.fromstring(response.content)
    return [
        " ".join(p.text_content().split()) for p in doc.xpath("//article//p[contains(@class,'p-summary')]")
    ]


@pytest.mark.parametrize(
    "path", ["/", "/author/clerk/", "/2025/", "/2025/09/", "/2025/09/03/", "/?s=minutes"]
)
def test_lists_show_no_excerpt_of_a_protected_post(client, locked, path):
    r = client.get(path)
    assert r.status_code == 200
    assert summaries(r) == [NO_EXCERPT]
    assert "quarterly figures" not in r.content.decode()


def test_search_does_not_look_into_a_protected_body_or_excerpt(client, locked):
    make_post(
        "Open letter", body="<p>The marmalade is fine.</p>", published_at=datetime(2025, 9, 1, tzinfo=UTC)
    )
    titles = lambda r: html.fromstring(r.content).xpath("//article//h2/a/text()")  # noqa: E731
    assert titles(client.get("/?s=marmalade")) == ["Open letter"]
    assert titles(client.get("/?s=quarterly")) == []
    assert titles(client.get("/?s=Dunmore")) == []
    assert titles(client.get("/?s=board+minutes")) == ["Board minutes"]  # the title is public


def comment_form(client, url) -> dict:
    doc = html.fromstring(client.get(url).content)
    form = doc.xpath("//form[@id='commentform']")[0]
    data = {
        i.get("name"): i.get("value") or ""
        for i in form.xpath(".//input")
        if i.get("name") and i.get("type") not in ("checkbox", "submit")
    }
    data["captcha_answer"] = str(captcha.challenge_from_token(data["captcha_token"]).answer)
    return data


def test_a_comment_needs_the_posts_password(locked):
    url = permalink_for(locked)
    reader = Client()
    reader.post(f"/postpass/{locked.pk}/", {"post_password": "harbour"})
    data = comment_form(reader, url)  # the form, as the reader saw it once unlocked
    data.update(author="Ada", email="ada@example.net", comment="Posted without the password.")
    stranger = Client()  # sends the same fields without the password's cookie
    r = stranger.post("/wp-comments-post.php", data)
    assert r.status_code == 403
    doc = html.fromstring(r.content)
    assert doc.xpath("//form[@class='post-password-form']//p[@class='comment-error']/text()") == [
        "This post is password protected. Enter the password to view comments."
    ]
    assert "marmalade" not in r.content.decode()
    assert not Comment.objects.exists()
    sent = reader.post("/wp-comments-post.php", data)  # the sum was not spent on the refusal
    assert sent.status_code == 303
    assert Comment.objects.get().content == "<p>Posted without the password.</p>"


def test_someone_who_may_edit_the_post_comments_without_the_password(admin_client, locked):
    data = {"comment_post_ID": str(locked.pk), "comment_parent": "0", "comment": "From the editor."}
    assert admin_client.post("/wp-comments-post.php", data).status_code == 303
    assert Comment.objects.get().content == "<p>From the editor.</p>"
