"""A post body's `[media id=N]` becomes a figure in the text, never inside an attribute."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from byline.content.models import Media
from byline.content.rendering import render_body

pytestmark = pytest.mark.django_db

WORDS = st.sampled_from(["harbour", "[media id=1]", '[media id="1"]', "<b>", "</b>", " ", "&", "'", "\n\n"])


def photo() -> Media:
    """A photo as an old import left it: no file here, its address elsewhere."""
    return Media.objects.create(
        title="Cranes", alt="Two cranes", caption="The cranes", original_url="https://example.org/cranes.jpg"
    )


def figures_and_attributes(rendered: str):
    doc = lxml_html.fragment_fromstring(rendered, create_parent="div")
    values = [v for element in doc.iter() for v in element.attrib.values()]
    return doc.xpath("//figure"), values


def test_a_shortcode_inside_an_attribute_stays_text():
    media = photo()
    body = f'<p><a href="https://example.org/" title="[media id={media.pk}]">a link</a></p>'
    out = render_body(body, "html", {media.pk: media})
    figures, values = figures_and_attributes(out.html)
    assert figures == []
    assert f"[media id={media.pk}]" in values  # the title says what the author wrote
    assert not any("<" in v for v in values)


def test_a_shortcode_in_the_text_is_a_figure():
    media = photo()
    out = render_body(f"Before.\n\n[media id={media.pk}]\n\nAfter.", "markdown", {media.pk: media})
    figures, _ = figures_and_attributes(out.html)
    assert len(figures) == 1
    assert figures[0].xpath(".//img/@src") == ["https://example.org/cranes.jpg"]
    assert figures[0].xpath("string(.//figcaption)") == "The cranes"
    assert out.media_ids == [media.pk]


def test_a_photo_with_an_unsafe_address_shows_no_script_link():
    media = Media.objects.create(title="Evil", original_url="javascript:alert(1)")
    out = render_body(f"[media id={media.pk}]", "html", {media.pk: media})
    assert "javascript:" not in out.html


@settings(max_examples=150)
@given(st.lists(WORDS, max_size=12).map("".join), st.booleans())
@example('<a title="[media id=1]">x</a>', False)
@example("<img alt='[media id=1]' src='https://example.org/a.png'>", False)
def test_figures_are_elements_and_attributes_never_hold_markup(text, markdown):
    media = Media(
        pk=1, title="Cranes", alt="Two cranes", caption="A & B", original_url="https://example.org/c.jpg"
    )
    body = f'<p title="{text}">{text}</p><img alt="{text}" src="https://example.org/a.png">'
    out = render_body(body, "markdown" if markdown else "html", {1: media})
    _figures, values = figures_and_attributes(out.html) if out.html.strip() else ([], [])
    assert not any("<figure" in v or 'id="media-' in v for v in values)
