"""A corrected post says so beside its date, links to its corrections, and dateModified follows."""

import json
from datetime import UTC, datetime

import pytest
from lxml import html

from byline.content import services
from byline.content.models import Post
from byline.content.permalinks import permalink_for
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def jsonld(doc) -> dict:
    return json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)


def test_the_latest_correction_shows_beside_the_date(client):
    post = make_post("Tide tables", published_at=datetime(2025, 9, 15, 10, tzinfo=UTC))
    # Last edited the day it was published (as if written in 2025, not by this test today).
    Post.objects.filter(pk=post.pk).update(modified_at=datetime(2025, 9, 15, 10, tzinfo=UTC))
    services.add_correction(post, "The June table was wrong.", date=datetime(2025, 9, 16, 9, tzinfo=UTC))
    services.add_correction(post, "So was the July one.", date=datetime(2025, 9, 18, 9, tzinfo=UTC))
    doc = html.fromstring(client.get(permalink_for(post)).content)

    meta = doc.xpath("//header[@class='entry-header']/p[@class='entry-meta']")[0]
    corrected = meta.xpath(".//span[@class='corrected']/a")[0]
    assert corrected.text_content() == "Corrected September 18, 2025"
    assert corrected.get("href") == "#corrections"
    assert doc.xpath("//section[@id='corrections']//div[@class='correction']")  # the link's target
    assert corrected.xpath("./time/@datetime")[0].startswith("2025-09-18T")
    assert jsonld(doc)["dateModified"] == corrected.xpath("./time/@datetime")[0]
    assert doc.xpath("//time[@class='dt-updated']/@datetime")[0] == jsonld(doc)["dateModified"]
    modified = doc.xpath("//meta[@property='article:modified_time']/@content")[0]
    assert modified == jsonld(doc)["dateModified"]


def test_an_uncorrected_post_says_nothing_of_corrections(client):
    post = make_post("Night buses", published_at=datetime(2025, 9, 15, 10, tzinfo=UTC))
    doc = html.fromstring(client.get(permalink_for(post)).content)
    assert doc.xpath("//*[@class='corrected']") == []
    assert "Corrected" not in doc.text_content()
    assert "correction" not in jsonld(doc)
