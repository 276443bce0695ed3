"""The body between the stored form and the visual editor: figures, clippings, HTML blocks."""

import re
from html import escape

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from byline.desk.editor.bodies import clipping_html, from_editor_html, plain_words, to_editor_html

FIELDS = ("url", "publication", "headline", "byline", "date", "dateline", "text")


def editor_clipping(values: dict) -> str:
    attrs = " ".join(f'data-{k}="{escape(v)}"' for k, v in values.items())
    return f'<blockquote class="clipping" data-clipping="1" {attrs}><p>x</p></blockquote>'


def test_a_clipping_is_stored_as_its_public_h_cite_markup():
    body, photos = from_editor_html(
        editor_clipping(
            {
                "url": "https://courier.example.org/q",
                "publication": "The Riverton Courier",
                "headline": "Quay sold",
                "byline": "Jonas Berg",
                "date": "2025-09-12",
                "text": "First.\n\nSecond.",
            }
        )
    )
    assert photos == []
    assert body == (
        '<blockquote class="clipping h-cite" cite="https://courier.example.org/q">'
        '<p class="clipping-headline">'
        '<a class="u-url p-name" href="https://courier.example.org/q">Quay sold</a></p>'
        '<div class="e-content"><p>First.</p><p>Second.</p></div><footer class="clipping-source">'
        '<span class="p-author">Jonas Berg</span>, <cite class="p-publication">The Riverton Courier</cite>, '
        '<time class="dt-published" datetime="2025-09-12">September 12, 2025</time></footer></blockquote>'
    )


def test_a_clipping_with_a_script_url_keeps_no_link():
    html = clipping_html({"url": "javascript:alert(1)", "headline": "H"})
    assert "javascript" not in html and '<p class="clipping-headline p-name">H</p>' in html


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({k: st.text(max_size=80) for k in FIELDS}), st.text(max_size=200))
def test_nothing_typed_into_a_clipping_or_an_html_block_escapes_the_allow_list(values, raw):
    block = f'<div class="html-block" data-html="{escape(raw)}"></div>'
    body, _ = from_editor_html(editor_clipping(values) + block)
    assert not re.search(r"<(script|iframe|style|object|embed)\b", body, re.I)
    assert not re.search(r"<[^>]+\son\w+\s*=", body, re.I)
    assert "javascript:" not in re.sub(r">[^<]*<", "><", body).lower()


@pytest.mark.django_db
def test_figures_travel_between_shortcode_and_editor():
    import io

    from PIL import Image

    from byline.content import services

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, "PNG")
    media = services.create_media(buf.getvalue(), "r.png", alt="Red", caption="A red square", credit="Me")
    editor = to_editor_html(
        f"<p>a</p><p>[media id={media.pk} size=full align=left]</p><p>[media id=999]</p>", "html"
    )
    assert f'data-media-id="{media.pk}" data-size="full" data-align="left" data-alt="Red"' in editor
    assert "999" not in editor  # a deleted photo leaves nothing behind
    body, photos = from_editor_html(editor)
    assert body == f"<p>a</p><p>[media id={media.pk} size=full align=left]</p>"
    assert (photos[0].alt, photos[0].caption, photos[0].credit) == ("Red", "A red square", "Me")


@pytest.mark.django_db
def test_markdown_and_wordpress_bodies_convert_on_request():
    assert (
        to_editor_html("## Two\n\n> quoted", "markdown")
        == "<h2>Two</h2>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n"
    )
    assert to_editor_html("One\n\nTwo", "wordpress") == "<p>One</p>\n<p>Two</p>\n"


def test_plain_words_ignore_markup():
    assert plain_words('<p>Hello <a href="x">big</a></p><p>world</p>') == ["Hello", "big", "world"]


def test_the_editors_empty_lines_are_not_stored():
    assert from_editor_html("<p>One</p><p></p><p><br></p><h2>Two</h2><p></p>")[0] == "<p>One</p><h2>Two</h2>"


KEYS = ["@type", "@graph", "headline", "author", "name", "publisher", "datePublished", "description", "url"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    max_leaves=20,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), JSON)
@example("", {"@type": "NewsArticle", "author": [True]})  # an author that is not a name (found by hypothesis)
def test_reading_any_page_gives_clipping_fields_of_bounded_text(text, data):
    import json

    from byline.desk.editor.metadata import clipping_fields

    if isinstance(data, dict):
        data.setdefault("@type", "NewsArticle")
    page = f'{text}<script type="application/ld+json">{json.dumps(data)}</script>'
    fields = clipping_fields("https://x.example/a", page)
    assert set(fields) == {"url", "publication", "headline", "byline", "date", "dateline", "text"}
    assert all(isinstance(v, str) and len(v) <= 2000 for v in fields.values())


@settings(max_examples=100)
@given(st.binary(max_size=300))
def test_any_bytes_give_photo_metadata_without_an_error(data):
    from byline.desk.editor.metadata import photo_metadata

    assert set(photo_metadata(data)) == {"caption", "credit"}


def test_a_clipping_dateline_opens_the_quoted_text_in_news_style():
    body, _ = from_editor_html(
        editor_clipping(
            {"headline": "Quay sold", "dateline": "Riverton", "text": "The quay was sold.\n\nMore."}
        )
    )
    assert (
        '<div class="e-content"><p><span class="clipping-dateline">RIVERTON —</span> The quay was sold.</p>'
        in body
    )
    assert "<p>More.</p></div>" in body
    # Typed with its dash already, it is not doubled; left empty, nothing is added.
    body, _ = from_editor_html(editor_clipping({"dateline": "RIVERTON —", "text": "x"}))
    assert '<span class="clipping-dateline">RIVERTON —</span> x' in body
    body, _ = from_editor_html(editor_clipping({"dateline": "  ", "text": "x"}))
    assert "clipping-dateline" not in body


def test_a_clipping_dateline_is_read_from_the_pages_news_article():
    from byline.desk.editor.metadata import clipping_fields

    page = '<script type="application/ld+json">{"@type": "NewsArticle", "dateline": "Riverton"}</script>'
    assert clipping_fields("https://x.example/a", page)["dateline"] == "Riverton"
