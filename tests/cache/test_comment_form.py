"""The comment form of a stored page works for every reader: nothing of one reader is frozen into it."""

import pytest
from django.core.cache import caches
from django.test import Client
from lxml import html

from byline.comments import captcha
from byline.comments.models import Comment, CommentStatus
from byline.options.store import set_option
from byline.site.pagecache import HEADER
from tests.cache.pages import text_of, warm

pytestmark = pytest.mark.django_db


def form_of(response) -> dict:
    doc = html.fromstring(text_of(response))
    form = doc.xpath("//form[@id='commentform']")[0]
    fields = {
        i.get("name"): i.get("value") or ""
        for i in form.xpath(".//input")
        if i.get("name") and i.get("type") not in ("checkbox", "submit")
    }
    fields["question"] = form.xpath(".//span[@class='captcha-question']")[0].text_content()
    return fields


@pytest.fixture
def open_discussion(post):
    set_option("comment_previously_approved", "0")  # both readers' comments appear at once
    return post


def test_two_readers_of_one_stored_page_both_comment(
    open_discussion, url, django_capture_on_commit_callbacks
):
    warm(Client(), url)
    readers = [Client(), Client()]
    forms = []
    for reader in readers:
        page = reader.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert page[HEADER] == "hit"
        forms.append(form_of(page))
    # Each reader got their own CSRF token (and cookie) and their own sum.
    assert forms[0]["csrfmiddlewaretoken"] != forms[1]["csrfmiddlewaretoken"]
    assert forms[0]["captcha_token"] != forms[1]["captcha_token"]
    for reader in readers:
        assert reader.cookies["csrftoken"].value
    for n, (reader, form) in enumerate(zip(readers, forms, strict=True)):
        form.pop("question")
        form.update(
            author=f"Reader {n}",
            email=f"reader{n}@example.net",
            comment=f"Comment number {n} through the stored page",
            captcha_answer=str(captcha.challenge_from_token(form["captcha_token"]).answer),
        )
        sent = Client(enforce_csrf_checks=True)
        sent.cookies = reader.cookies
        with django_capture_on_commit_callbacks(execute=True):  # as after a real commit
            answer = sent.post("/wp-comments-post.php", form)
        assert answer.status_code == 303, text_of(answer)[:2000]
    assert (
        Comment.objects.filter(
            status=CommentStatus.APPROVED, content__contains="through the stored page"
        ).count()
        == 2
    )
    fresh = Client().get(url)
    assert fresh[HEADER] == "miss"
    page = text_of(fresh)
    assert "Comment number 0" in page and "Comment number 1" in page


def test_the_stored_bytes_hold_no_token_and_no_sum(post, url):
    page = warm(Client(), url, HTTP_ACCEPT_ENCODING="identity")
    form = form_of(page)
    entries = [v for v in caches["pages"]._cache.values()]
    stored = b"".join(caches["pages"]._cache.values())  # pickled entries, as the store keeps them
    assert entries
    assert form["captcha_token"].encode() not in stored
    assert form["csrfmiddlewaretoken"].encode() not in stored
    # and the sum a reader sees is always one the server just made, readable and solvable
    assert captcha.challenge_from_token(form["captcha_token"]).question() == form["question"]


def test_a_reader_without_javascript_sees_a_usable_form_with_a_sum(post, url):
    warm(Client(), url)
    form = form_of(Client().get(url))
    assert form["question"].count("___") == 1
    assert form["csrfmiddlewaretoken"] and form["captcha_token"]


def test_a_wrong_answer_on_a_stored_page_keeps_the_text_and_gives_a_new_sum(post, url):
    warm(Client(), url)
    reader = Client(enforce_csrf_checks=True)
    form = form_of(reader.get(url))
    form.pop("question")
    answer = captcha.challenge_from_token(form["captcha_token"]).answer
    form.update(
        author="Ada",
        email="ada@example.net",
        comment="Kept after a wrong sum",
        captcha_answer=str(answer + 1),
    )
    again = reader.post("/wp-comments-post.php", form)
    assert again.status_code == 400
    assert "Kept after a wrong sum" in text_of(again)
    assert form_of(again)["captcha_token"] != form["captcha_token"]
    assert again.get(HEADER) == "bypass"
    assert "Kept after a wrong sum" not in text_of(Client().get(url))


def test_a_stored_page_reads_exactly_as_a_fresh_one(post, url, settings):
    """Placeholders filled in leave the page as the theme renders it, byte for byte."""
    import re

    def normalise(page: str) -> str:
        page = re.sub(r'captcha-question">[^<]*<', 'captcha-question">SUM<', page)
        return re.sub(r'value="[A-Za-z0-9_:.\-]{40,}"', 'value="TOKEN"', page)

    cached = text_of(warm(Client(), url, HTTP_ACCEPT_ENCODING="gzip"))
    settings.BYLINE_PAGE_CACHE = False
    fresh = Client().get(url).content.decode()
    assert normalise(cached) == normalise(fresh)
