"""Corrections change only visibly: edited in the desk, a correction reads "Updated <date>" on the
page and its earlier text stays in its history; withdrawn, it stays on the page struck through with
"Withdrawn <date>". JSON-LD and the feeds' updated time follow."""

import json
from datetime import UTC, datetime

import feedparser
import pytest
from lxml import html

from byline.content import services
from byline.content.models import Correction, CorrectionRevision, Post
from byline.content.permalinks import permalink_for
from tests.factories import make_post

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2025, 9, 15, 10, tzinfo=UTC)
FIRST_DATE = datetime(2025, 9, 16, 9, tzinfo=UTC)


@pytest.fixture
def corrected(signed_in):
    """A post published in 2025, last edited then, with one correction of 16 September 2025."""
    client, editor = signed_in("editor", "edda")
    post = make_post("Tide tables", author=editor, published_at=PUBLISHED)
    Post.objects.filter(pk=post.pk).update(modified_at=PUBLISHED)
    correction = services.add_correction(post, "The June table was wrong.", date=FIRST_DATE)
    return client, editor, post, correction


def send(client, data):
    return client.post("/wp-admin/editor/correction", json.dumps(data), content_type="application/json")


def public(client, post):
    return html.fromstring(client.get(permalink_for(post)).content.decode())


def jsonld(doc) -> dict:
    return json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)


def atom_entry(client, post):
    feed = feedparser.parse(client.get("/feed/atom/").content)
    return next(e for e in feed.entries if e.title == post.title)


def desk_list(client, post):
    page = html.fromstring(client.get(f"/wp-admin/post.php?post={post.pk}&action=edit").content.decode())
    return page.xpath("//ol[@id='ed-correction-list']/li")


def test_an_edit_shows_updated_and_keeps_the_earlier_text(corrected, client):
    desk, editor, post, correction = corrected
    answer = send(
        desk,
        {
            "id": post.pk,
            "correction": correction.pk,
            "date": "2025-09-16T09:00",
            "text": "The June table was late.",
        },
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["message"] == "Correction updated; the earlier text is kept in its history."
    correction.refresh_from_db()
    assert correction.text == "The June table was late."
    assert correction.edited_at is not None and correction.withdrawn_at is None

    # The public page: the new text, "Updated <date>", and the note beside the post's date follows.
    doc = public(client, post)
    shown = doc.xpath(f"//div[@id='correction-{correction.pk}']")[0]
    assert "The June table was late." in shown.text_content()
    assert "The June table was wrong." not in shown.text_content()
    note = shown.xpath(".//span[@class='correction-note']")[0]
    assert note.text_content().startswith("Updated ")
    edited_iso = note.xpath("./time/@datetime")[0]
    assert doc.xpath("//span[@class='corrected']//time/@datetime") == [edited_iso]
    # JSON-LD: the correction's dateModified and the post's follow the edit.
    data = jsonld(doc)
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "datePublished": "2025-09-16T09:00:00+00:00",
            "text": "The June table was late.",
            "dateModified": edited_iso,
        }
    ]
    assert data["dateModified"] == edited_iso
    # The feed's entry is updated at the edit, and carries the note.
    entry = atom_entry(client, post)
    assert entry.updated_parsed[:6] == correction.edited_at.utctimetuple()[:6]
    # The desk lists the earlier text, who changed it and when.
    (item,) = desk_list(desk, post)
    assert "Updated" in item.text_content()
    history = item.xpath(".//details[@class='ed-correction-history']//li")
    assert len(history) == 1
    assert "it read: The June table was wrong." in history[0].text_content().replace("“", "").replace("”", "")
    assert "by edda" in history[0].text_content()
    assert CorrectionRevision.objects.get().author == editor


def test_a_withdrawal_stays_visible_struck_through(corrected, client):
    desk, _editor, post, correction = corrected
    answer = send(desk, {"id": post.pk, "correction": correction.pk, "withdraw": True})
    assert answer.status_code == 200, answer.content
    assert "struck through" in answer.json()["message"]
    correction.refresh_from_db()
    assert correction.withdrawn_at is not None
    assert Correction.objects.count() == 1  # not removed

    doc = public(client, post)
    shown = doc.xpath(f"//div[@id='correction-{correction.pk}']")[0]
    assert "correction-withdrawn" in shown.get("class")
    assert "The June table was wrong." in shown.xpath(".//del")[0].text_content()
    note = shown.xpath(".//span[@class='correction-note']")[0]
    assert note.text_content().startswith("Withdrawn ")
    withdrawn_iso = note.xpath("./time/@datetime")[0]
    data = jsonld(doc)
    (item,) = data["correction"]
    assert item["dateModified"] == withdrawn_iso == data["dateModified"]
    assert item["text"].startswith("Withdrawn ") and item["text"].endswith(": The June table was wrong.")
    entry = atom_entry(client, post)
    assert entry.updated_parsed[:6] == correction.withdrawn_at.utctimetuple()[:6]
    assert "<del>The June table was wrong.</del>" in entry.content[0].value

    # In the desk: struck, no Edit or Withdraw any more, the history has the withdrawal.
    (item,) = desk_list(desk, post)
    assert item.xpath(".//del") and not item.xpath(".//button")
    assert "Withdrawn" in item.xpath(".//details//li")[0].text_content()


def test_a_withdrawn_correction_cannot_be_edited_or_withdrawn_again(corrected):
    desk, editor, post, correction = corrected
    services.withdraw_correction(correction, by=editor)
    edit = send(desk, {"id": post.pk, "correction": correction.pk, "text": "Quietly different."})
    assert edit.status_code == 400
    assert edit.json()["message"] == "A withdrawn correction cannot be edited; add a new correction instead."
    again = send(desk, {"id": post.pk, "correction": correction.pk, "withdraw": True})
    assert (again.status_code, again.json()["message"]) == (400, "This correction was already withdrawn.")
    correction.refresh_from_db()
    assert correction.text == "The June table was wrong."
    assert CorrectionRevision.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"text": "   "}, 400, "A correction needs its text."),
        ({"text": "Later.", "date": "2099-01-01T00:00"}, 400, "A correction cannot be dated in the future."),
        ({"text": "x" * 20001}, 400, "The correction is longer than 20,000 characters."),
        (
            {"text": "Later.", "date": "soon"},
            400,
            "The publish date is not a date and time (YYYY-MM-DDTHH:MM).",
        ),
        ({"text": "Later.", "correction": 999999}, 400, "This post has no such correction."),
        ({"text": "Later.", "correction": "one"}, 400, "This post has no such correction."),
    ],
)
def test_bad_edits_are_told_and_change_nothing(corrected, change, status, message):
    desk, _editor, post, correction = corrected
    answer = send(desk, {"id": post.pk, "correction": correction.pk, **change})
    assert (answer.status_code, answer.json()["message"]) == (status, message)
    correction.refresh_from_db()
    assert (correction.text, correction.edited_at) == ("The June table was wrong.", None)
    assert not CorrectionRevision.objects.exists()


def test_another_posts_correction_and_someone_elses_post_are_refused(corrected, signed_in):
    desk, editor, post, correction = corrected
    other = make_post("Ferry times", author=editor)
    answer = send(desk, {"id": other.pk, "correction": correction.pk, "withdraw": True})
    assert (answer.status_code, answer.json()["message"]) == (400, "This post has no such correction.")
    author, _ = signed_in("author", "arne")
    refused = send(author, {"id": post.pk, "correction": correction.pk, "withdraw": True})
    assert refused.status_code == 403
    correction.refresh_from_db()
    assert correction.withdrawn_at is None


def test_saving_the_same_text_records_nothing(corrected, client):
    desk, _editor, post, correction = corrected
    answer = send(
        desk,
        {
            "id": post.pk,
            "correction": correction.pk,
            "date": "2025-09-16T09:00",
            "text": "The June table was wrong.",
        },
    )
    assert answer.json()["message"] == "Nothing changed in the correction."
    correction.refresh_from_db()
    assert correction.edited_at is None and not CorrectionRevision.objects.exists()
    assert not public(client, post).xpath("//span[@class='correction-note']")


def test_the_desk_panel_reads_corrections_in_a_fixed_number_of_queries(
    corrected, django_assert_max_num_queries
):
    from byline.desk.editor.corrections import panel_items

    desk, editor, post, correction = corrected
    for i in range(5):
        extra = services.add_correction(post, f"Table {i} was wrong.", date=FIRST_DATE)
        services.update_correction(extra, text=f"Table {i} was late.", by=editor)
        services.withdraw_correction(extra, by=editor)
    with django_assert_max_num_queries(4):  # corrections, their history, its authors, their profiles
        items = panel_items(post)
    assert [len(i["history"]) for i in items] == [0, 2, 2, 2, 2, 2]
