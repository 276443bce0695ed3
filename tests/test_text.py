"""byline.text: the characters no stored text may hold, and the addresses a page may show."""

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

from byline.text import (
    clean_data,
    clean_text,
    first_forbidden_in,
    forbidden_character,
    is_clean,
    is_unsafe_url,
    safe_url,
)

NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF)
]
# Every code point, lone surrogates included (hypothesis leaves them out of text() by default).
any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()))


def test_the_forbidden_set_is_exactly_the_documented_one():
    assert len(NONCHARACTERS) == 66
    forbidden = {chr(c) for c in range(0x110000) if not is_clean(chr(c))}
    expected = (
        {chr(c) for c in range(0x20)} - {"\t", "\n", "\r"}
        | {chr(c) for c in range(0x7F, 0xA0)}
        | {chr(c) for c in range(0xD800, 0xE000)}
        | set(NONCHARACTERS)
    )
    assert forbidden == expected


@given(any_text)
@example("Ctl\x1b[2J")
@example("\x07")
@example("\ufffe")
@example("\ud800")
@example("a\r\nb\rc")
def test_clean_text_leaves_only_what_xml_json_and_utf8_can_carry(value):
    cleaned = clean_text(value)
    assert is_clean(cleaned)
    assert "\r" not in cleaned
    assert clean_text(cleaned) == cleaned  # idempotent
    cleaned.encode("utf-8")  # no lone surrogate left
    # An XML parser takes it as element text and gives it back unchanged.
    root = etree.fromstring(f"<t>{cleaned.replace('&', '&amp;').replace('<', '&lt;')}</t>".encode())
    assert (root.text or "") == cleaned
    assert json.loads(json.dumps(cleaned, ensure_ascii=False)) == cleaned


@given(st.one_of(any_text, st.text(alphabet=st.characters(max_codepoint=0x7F, exclude_categories=()))))
@example("<p>ASCII\x00 with\r\nall\x0b of\x7f them\r</p>")
@example("<p>ASCII \x1f</p>\u2019")
@example("<p>Clean ASCII,\ttabs and\nnewlines: kept as it is.</p>")
@example("\x7f")
@example("\x0c")
def test_clean_text_drops_exactly_the_forbidden_characters_and_turns_cr_into_newlines(value):
    # All-ASCII text takes a quicker path: the answer is the same as the rule's, character by character.
    expected = "".join("\n" if c == "\r" else c for c in value.replace("\r\n", "\n") if is_clean(c))
    assert clean_text(value) == expected


@given(st.text())
def test_clean_text_keeps_ordinary_text(value):
    if is_clean(value):
        assert clean_text(value) == value.replace("\r\n", "\n").replace("\r", "\n")


@given(any_text)
def test_forbidden_character_names_what_clean_text_drops(value):
    where = forbidden_character(value)
    assert (where is None) == (clean_text(value) == value.replace("\r\n", "\n").replace("\r", "\n"))
    if where:
        assert not is_clean(chr(int(where[2:], 16)))


def test_clean_data_reaches_every_string_of_a_document():
    doc = {"na\x00me": ["a\x07", {"b": "\ufffe"}], "n": 3}
    assert clean_data(doc) == {"name": ["a", {"b": ""}], "n": 3}
    assert first_forbidden_in(doc) in {"U+0000", "U+0007", "U+FFFE"}
    assert first_forbidden_in({"ok": ["fine", 1, None]}) is None


def test_a_very_deep_document_is_walked_without_recursion():
    doc: list = []
    for _ in range(100_000):
        doc = [doc]
    assert first_forbidden_in(doc) is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "\x00javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_unsafe_addresses_are_not_shown(url):
    assert is_unsafe_url(url)
    assert safe_url(url) == ""


@pytest.mark.parametrize(
    "url", ["https://example.org/", "http://example.org/a?b=c", "mailto:a@example.org", "/local"]
)
def test_safe_addresses_are_shown_as_they_are(url):
    assert safe_url(url) == url


@given(st.text())
def test_safe_url_never_gives_back_an_unsafe_scheme(url):
    shown = safe_url(url)
    assert shown == "" or not is_unsafe_url(shown)
