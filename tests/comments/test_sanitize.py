"""The comment sanitiser: WordPress's comment tags, safe links, paragraphs, and nothing else.

Every vector in tests/data/sanitize (kses, DOMPurify, html5lib, bleach, ammonia, nh3,
html5sec, the RSnake list) goes through it and is read back by two different HTML parsers, with
the rules of Byline's acceptance sanitiser check and more.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lhtml

from byline.comments.sanitize import ALLOWED_TAGS, allowed_tags_line, is_unsafe_url, sanitize_comment

VECTOR_DIR = Path(__file__).resolve().parents[1] / "data" / "sanitize"
VECTORS = [
    pytest.param(vector["input"], id=f"{path.stem}[{number}]")
    for path in sorted(VECTOR_DIR.glob("*.json"))
    for number, vector in enumerate(json.loads(path.read_text(encoding="utf-8")))
    if isinstance(vector.get("input"), str)
]

# What may come out: WordPress's tags with their attributes, rel on links, and wpautop's p and br.
ALLOWED = {tag: set(attrs) for tag, attrs in ALLOWED_TAGS.items()} | {"p": set(), "br": set()}
ALLOWED["a"] = ALLOWED["a"] | {"rel"}
URL_ATTRIBUTES = ("href", "cite")
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

HYPOTHESIS = settings(max_examples=200, deadline=None, database=None)


def checker_unsafe_url(url: str) -> bool:
    """check_sanitizer.py's unsafe_url(), verbatim in behaviour."""
    url = re.sub(r"[\s\x00-\x20\u2028\u2029\ufeff]", "", url)
    m = re.match(r"^([a-z][a-z0-9+.\-]*):", url, re.I)
    return bool(m) and m.group(1).lower() not in {"http", "https", "mailto"}


class Elements(HTMLParser):
    """Every start tag with its (entity-decoded) attributes, as Python's own HTML parser sees them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def problems(out: str) -> list[str]:
    """Everything in sanitised output that must not be there, read by lxml and by html.parser."""
    found = []
    if not out.strip():
        return found
    fragment = lhtml.fragment_fromstring(XML_INVALID.sub("", out), create_parent="div")
    elements = [
        (el.tag, dict(el.attrib)) for el in fragment.iter() if el is not fragment and isinstance(el.tag, str)
    ]
    for tag, attrs in elements + Elements(out).found:
        if tag not in ALLOWED:
            found.append(f"tag <{tag}>")
            continue
        if set(attrs) - ALLOWED[tag]:
            found.append(f"attributes {sorted(set(attrs) - ALLOWED[tag])} on <{tag}>")
        for name in URL_ATTRIBUTES:
            if name in attrs and (checker_unsafe_url(attrs[name]) or is_unsafe_url(attrs[name])):
                found.append(f"unsafe {name}={attrs[name][:40]!r}")
        if tag == "a" and attrs.get("rel") != "nofollow ugc":
            found.append(f"link without rel=nofollow ugc: {attrs}")
    if re.search(r"<!--|<!\[CDATA\[|<\?", out):
        found.append("a comment or processing instruction")
    return found


def text_of(html: str) -> str:
    return lhtml.fromstring(f"<div>{html}</div>").text_content() if html.strip() else ""


# --- every shared vector -------------------------------------------------------------------


def test_the_shared_vectors_are_there():
    assert len(VECTORS) > 900


@pytest.mark.parametrize("vector", VECTORS)
def test_no_disallowed_tag_attribute_or_script_url_survives(vector):
    out = sanitize_comment(vector)
    assert problems(out) == []
    assert sanitize_comment(out) == out


# --- what commenters see -------------------------------------------------------------------


def test_the_allowed_tags_line_is_the_reference_pages():
    # allowed_tags() in wp-includes/general-template.php, as the reference page prints it
    assert allowed_tags_line() == (
        '<a href="" title=""> <abbr title=""> <acronym title=""> <b> <blockquote cite=""> <cite> <code> '
        '<del datetime=""> <em> <i> <q cite=""> <strike> <strong>'
    )


def test_every_advertised_tag_and_attribute_is_kept():
    for tag, attrs in ALLOWED_TAGS.items():
        attributes = "".join(f' {name}="https://example.org/{name}"' for name in attrs)
        out = sanitize_comment(f"<{tag}{attributes}>words</{tag}>")
        (element,) = [el for el in lhtml.fragment_fromstring(out, create_parent="div").iter(tag)]
        assert set(element.attrib) - {"rel"} == set(attrs), tag
        assert element.text_content().strip() == "words"


def test_a_link_gets_nofollow_ugc():
    assert sanitize_comment('See <a href="https://example.org/" title="mine">my site</a>.') == (
        '<p>See <a href="https://example.org/" title="mine" rel="nofollow ugc">my site</a>.</p>'
    )


def test_a_commenter_cannot_choose_rel_or_target():
    out = sanitize_comment('<a href="https://example.org/" rel="dofollow" target="_blank">x</a>')
    assert out == '<p><a href="https://example.org/" rel="nofollow ugc">x</a></p>'


def test_bold_keeps_its_text_and_loses_onclick():
    assert sanitize_comment('<b onclick="steal()">bold</b> move') == "<p><b>bold</b> move</p>"


def test_line_breaks_become_paragraphs_and_br():
    assert sanitize_comment("Hello\nworld\n\nNew thought") == "<p>Hello<br />\nworld</p>\n<p>New thought</p>"


def test_a_blockquote_gets_its_paragraphs_inside():
    assert sanitize_comment('<blockquote cite="https://example.org/">Quoted\n\ntwice</blockquote>\nMe') == (
        '<blockquote cite="https://example.org/">\n<p>Quoted</p>\n<p>twice</p>\n</blockquote>\n<p>Me</p>'
    )


def test_mailto_and_relative_links_are_kept():
    assert 'href="mailto:ann@example.org"' in sanitize_comment('<a href="mailto:ann@example.org">mail</a>')
    assert 'href="/2015/09/post/#comment-3"' in sanitize_comment(
        '<a href="/2015/09/post/#comment-3">above</a>'
    )


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "java&#x09;script:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x27&#x29",
        "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)",
        "javascript&colon;alert(1)",
        "jav&NewLine;ascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "\x01javascript:alert(1)",
        "\u2028javascript:alert(1)",
        "\ufeffjavascript:alert(1)",
        "feed:javascript:alert(1)",
    ],
)
def test_script_capable_urls_are_removed_from_href_and_cite(url):
    for markup in (
        f'<a href="{url}">x</a>',
        f'<blockquote cite="{url}">x</blockquote>',
        f'<q cite="{url}">x</q>',
    ):
        out = sanitize_comment(markup)
        assert problems(out) == []
        assert "href=" not in out and "cite=" not in out, out
        assert "x" in text_of(out)


def test_script_style_and_embedded_documents_lose_their_content():
    out = sanitize_comment(
        "a<script>alert(1)</script>b<style>p{}</style>c<iframe src=x>frame</iframe>d"
        "<object>obj</object>e<template>tpl</template>f<noscript>ns</noscript>g<svg><text>s</text></svg>h"
    )
    assert out == "<p>abcdefgh</p>"


def test_other_tags_go_but_their_words_stay():
    out = sanitize_comment('<div class="x"><span style="color:red">Red</span> <font size=7>big</font></div>')
    assert out == "<p>Red big</p>"


def test_unclosed_tags_are_closed():
    assert sanitize_comment("<b>bold <i>both") == "<p><b>bold <i>both</i></b></p>"
    assert sanitize_comment('<a href="https://example.org/">link') == (
        '<p><a href="https://example.org/" rel="nofollow ugc">link</a></p>'
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
        ("x<y and y>z", "x<y and y>z"),
        ("Use List<String> here", "Use List<String> here"),
        ("I </3 Mondays", "I </3 Mondays"),
        ("a <= b, c<-d", "a <= b, c<-d"),
        ("<?php echo 1; ?>", "<?php echo 1; ?>"),
        ("AT&T &copy 2024", "AT&T &copy 2024"),
        ("&copy; &eacute;t&eacute;", "© été"),
    ],
)
def test_plain_text_with_angle_brackets_and_ampersands_survives(text, shown):
    # WordPress's kses drops "< 6 and 7 >" as a bogus tag.
    assert text_of(sanitize_comment(text)) == shown


def test_comments_are_dropped():
    assert sanitize_comment("before<!-- secret -->after") == "<p>beforeafter</p>"


def test_nul_control_characters_and_lone_surrogates_do_not_break_it():
    out = sanitize_comment("a\x00b\x01c \ud800 d \ud83d\ude00 e\x7f")
    assert out == "<p>abc \ufffd d \U0001f600 e</p>"
    out.encode("utf-8")


def test_empty_and_blank_comments_give_nothing():
    assert sanitize_comment("") == ""
    assert sanitize_comment(" \n\t ") == ""
    assert sanitize_comment("<script>x</script>") == ""


def test_an_inline_tag_around_a_blockquote_is_unwrapped_not_misnested():
    out = sanitize_comment("<b>Bold <blockquote>quote</blockquote> tail</b>")
    assert out == "<p>Bold </p>\n<blockquote>\n<p>quote</p>\n</blockquote>\n<p> tail</p>"
    assert sanitize_comment(out) == out


def test_hostile_input_is_fast():
    for text in ("<b " * 20000, '<a href="' * 20000, "<b>" * 20000, "<b><blockquote>" * 5000, "[" * 60000):
        assert problems(sanitize_comment(text)) == []


# --- properties ----------------------------------------------------------------------------

TOKENS = st.sampled_from(
    [
        "word", " ", "\n", "\n\n", "\r\n", "<", ">", "&", "&amp;", "&lt;", "&#x6A;", "\x00", "\ud800",
        "<b>", "</b>", "<i>", "</i>", "<em>", "<strong>", "<code>", "</code>", "<q>", "</q>", "<p>", "</p>",
        "<br>", "<br/>", "<blockquote>", "</blockquote>", "<pre>", "</pre>", "<div>", "</div>", "<ul><li>",
        '<a href="https://example.org/">', '<a href="javascript:alert(1)">', "<a href='java\tscript:x'>",
        '<a href="&#106;avascript:x">', "</a>", '<q cite="data:text/html,x">', "&#11;", "&#x0c",
        '<blockquote cite=" vbscript:x">', '<b onclick="x()">', '<img src=x onerror="alert(1)">', "<script>",
        "</script>", "<style>", "</style>", "<svg onload=alert(1)>", "<iframe src=javascript:x>", "<!--",
        "-->", "<![CDATA[", "]]>", "<?x ?>", '<a title="x" style="color:red" href=/rel>', "<abbr title=t>",
        "<del datetime=2020>", "<s>", "<strike>",
        "<math><mi xlink:href=javascript:x>", "<form action=javascript:x>", "<textarea>", "</textarea>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "<table><td>", "<object data=x>",
    ]
)  # fmt: skip
MARKUP = st.lists(TOKENS, max_size=30).map("".join)
ANY_TEXT = st.one_of(st.text(), MARKUP)
# Plain text: anything printable, "<" never followed by what starts a tag, no ";" (so no entity).
PLAIN = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=";\ufffe\uffff"),
    max_size=80,
).map(lambda text: re.sub(r"<(?=[A-Za-z/!?])", "< ", text))


@HYPOTHESIS
@given(ANY_TEXT)
def test_no_disallowed_tag_attribute_or_url_ever(text):
    assert problems(sanitize_comment(text)) == []


@HYPOTHESIS
@given(ANY_TEXT)
def test_sanitizing_twice_changes_nothing(text):
    once = sanitize_comment(text)
    assert sanitize_comment(once) == once


@HYPOTHESIS
@given(PLAIN)
def test_the_words_of_plain_text_are_all_kept(text):
    assert re.sub(r"\s", "", text_of(sanitize_comment(text))) == re.sub(r"\s", "", text)


@given(ANY_TEXT)
def test_display_check_keeps_what_the_sanitiser_stored(text):
    from byline.comments.sanitize import clean_stored_comment

    stored = sanitize_comment(text)
    assert clean_stored_comment(stored) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "<p>x<script>alert(1)</script></p>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">j</a>',
        '<p onclick="x()">y</p>',
    ],
)
def test_display_check_removes_what_a_raw_row_holds(raw):
    from byline.comments.sanitize import clean_stored_comment

    out = clean_stored_comment(raw)
    assert "onerror" not in out and "javascript:" not in out and "onclick" not in out and "<script" not in out
