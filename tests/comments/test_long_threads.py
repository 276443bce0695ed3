"""Very long discussions: a 10,000-deep chain of replies and 10,000 comments on one post.

Answering the deepest comment reads a bounded number of rows, the page nests at most
thread_comments_depth levels, and no comment page shows more than PAGE_LIMIT comments.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from byline.comments import captcha
from byline.comments.display import PAGE_LIMIT
from byline.comments.models import Comment
from byline.content.permalinks import permalink_for
from byline.options.store import set_option
from tests.factories import make_post

pytestmark = pytest.mark.django_db

N = 10_000


@pytest.fixture
def post():
    set_option("captcha_min_seconds", "0")
    set_option("comment_flood_interval", "0")
    set_option("comment_previously_approved", "0")
    return make_post("Long talk", comment_status="open", published_at=timezone.now() - timedelta(days=1))


def bulk_comments(post, n, *, chain: bool) -> list[int]:
    """n approved comments made in bulk; with `chain`, each one a reply to the one before."""
    start = timezone.now() - timedelta(days=1)
    made = Comment.objects.bulk_create(
        [
            Comment(
                post=post,
                author_name=f"R{i}",
                content=f"<p>Number {i}</p>",
                status="approved",
                created_at=start + timedelta(seconds=i),
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    ids = [c.pk for c in made]
    if chain:  # each comment a reply to the one made just before it, in one UPDATE
        assert ids == list(range(ids[0], ids[0] + n))  # one bulk insert: consecutive ids
        Comment.objects.filter(pk__gt=ids[0], pk__lte=ids[-1]).update(parent_id=F("pk") - 1)
    return ids


def comment_form(client, url) -> dict:
    doc = html.fromstring(client.get(url).content)
    fields = {
        i.get("name"): i.get("value") or ""
        for i in doc.xpath("//form[@id='commentform']//input")
        if i.get("name") and i.get("type") not in ("checkbox", "submit")
    }
    fields["captcha_answer"] = str(captcha.challenge_from_token(fields["captcha_token"]).answer)
    return fields


def test_a_reply_to_the_deepest_of_a_10000_deep_chain_reads_a_few_rows(client, post):
    ids = bulk_comments(post, N, chain=True)
    url = permalink_for(post)
    data = comment_form(client, url)
    data.update(
        author="Ada", email="ada@example.net", comment="At the very bottom.", comment_parent=str(ids[-1])
    )
    with CaptureQueriesContext(connection) as sent:
        r = client.post("/wp-comments-post.php", data)
    assert r.status_code == 303
    # The parent's ancestors are read up to thread_comments_depth (5) levels, no further.
    assert len(sent.captured_queries) <= 25
    reply = Comment.objects.get(content="<p>At the very bottom.</p>")
    assert reply.parent_id == ids[-2]  # beside the deepest comment, under the same one


def test_the_page_of_a_10000_deep_chain_nests_five_levels_and_shows_a_bounded_page(client, post):
    bulk_comments(post, N, chain=True)
    url = permalink_for(post)
    client.get("/")  # the first page served records the site's address (once; not a page's cost)
    with CaptureQueriesContext(connection) as shown:
        r = client.get(url)
    assert r.status_code == 200
    doc = html.fromstring(r.content)
    items = doc.xpath("//li[contains(@class,'comment ')]")
    assert len(items) == PAGE_LIMIT
    assert not doc.xpath("//li[contains(@class,'depth-6')]")
    assert "Comment page 50 of 50" in r.content.decode()  # the newest comments first
    assert len(r.content) < 400_000
    with CaptureQueriesContext(connection) as first_page:
        first = client.get(f"{url}comment-page-1/")
    doc = html.fromstring(first.content)
    assert [
        " ".join(li.xpath("./article//div[contains(@class,'comment-content')]//text()")).strip()
        for li in doc.xpath("//li[contains(@class,'comment ')]")
    ][:6] == ["Number 0", "Number 1", "Number 2", "Number 3", "Number 4", "Number 5"]
    assert [li.get("class").split()[1] for li in doc.xpath("//li[contains(@class,'comment ')]")][:7] == [
        "depth-1",
        "depth-2",
        "depth-3",
        "depth-4",
        "depth-5",
        "depth-5",
        "depth-5",
    ]
    assert len(first_page.captured_queries) == len(shown.captured_queries)


def test_10000_top_level_comments_are_paged_even_with_page_comments_off(client, post):
    bulk_comments(post, N, chain=False)
    url = permalink_for(post)
    r = client.get(url)
    assert r.status_code == 200
    doc = html.fromstring(r.content)
    assert len(doc.xpath("//li[contains(@class,'comment ')]")) == PAGE_LIMIT
    assert "10000 Responses" in r.content.decode()
    assert doc.xpath("//nav[@class='comment-navigation']/span/text()") == ["Comment page 50 of 50"]
    assert len(r.content) < 400_000


def test_page_comments_on_still_pages_by_top_level_comments(client, post):
    set_option("page_comments", "1")
    set_option("comments_per_page", "3")
    bulk_comments(post, 7, chain=False)
    first = html.fromstring(client.get(f"{permalink_for(post)}comment-page-1/").content)
    texts = first.xpath("//div[contains(@class,'comment-content')]//text()")
    assert [t.strip() for t in texts if t.strip()] == ["Number 0", "Number 1", "Number 2"]
    assert first.xpath("//nav[@class='comment-navigation']/span/text()") == ["Comment page 1 of 3"]
