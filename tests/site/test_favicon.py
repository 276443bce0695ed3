"""The site's icon: its initial, drawn, at the addresses browsers and other clients ask for."""

import io
import logging

import pytest
from lxml import html
from PIL import Image

from byline.options.store import set_option
from byline.site.favicon import initial

pytestmark = pytest.mark.django_db


def test_the_page_head_links_both_icons(client, demo):
    doc = html.fromstring(client.get("/").content)
    icons = {link.get("href"): link.get("type") for link in doc.xpath("//head/link[@rel='icon']")}
    assert icons == {"/favicon.ico": None, "/favicon.svg": "image/svg+xml"}


def test_the_svg_icon_shows_the_sites_initial(client, demo):
    r = client.get("/favicon.svg")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/svg+xml"
    assert ">T</text>" in r.content.decode()  # The Harbour Ledger
    set_option("blogname", "« ökonomi »")
    assert ">Ö</text>" in client.get("/favicon.svg").content.decode()  # the first letter, not a "<"


def test_favicon_ico_is_an_icon_answered_without_a_log_line(client, demo, caplog):
    with caplog.at_level(logging.INFO):
        r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/x-icon"
    icon = Image.open(io.BytesIO(r.content))
    assert icon.format == "ICO"
    assert sorted(icon.info["sizes"]) == [(16, 16), (32, 32), (48, 48)]
    # The letter is drawn: white pixels on the blue square.
    pixels = icon.convert("RGB").getcolors(4096)
    assert any(rgb == (255, 255, 255) or min(rgb) > 230 for _, rgb in pixels)
    assert [rec.getMessage() for rec in caplog.records if rec.name.startswith("django")] == []


def test_a_renamed_site_gets_a_new_icon_and_browsers_revalidate_cheaply(client, demo):
    first = client.get("/favicon.ico")
    assert "max-age=86400" in first["Cache-Control"]
    again = client.get("/favicon.ico", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    set_option("blogname", "Quay Notes")
    renamed = client.get("/favicon.ico", headers={"If-None-Match": first["ETag"]})
    assert renamed.status_code == 200
    assert renamed.content != first.content


@pytest.mark.parametrize(
    "title,letter",
    [("The Harbour Ledger", "T"), ("  42 Days", "4"), ("«éclat»", "É"), ("!!!", "B"), ("", "B")],
)
def test_the_initial_is_the_first_letter_or_digit(title, letter):
    assert initial(title) == letter
