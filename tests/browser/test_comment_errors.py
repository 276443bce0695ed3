"""A refused comment is impossible to miss: the page opens at the form, the error box is
announced and focused, and the field in error says so to a screen reader."""

import pytest

from byline.content.permalinks import permalink_for
from byline.options.store import set_option

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_VIEW = """el => { const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight; }"""


@pytest.fixture
def post_url(live_server, demo):
    set_option("captcha_min_seconds", "0")
    return live_server.url + permalink_for(demo)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_missing_email_opens_the_page_at_the_focused_error(page, post_url, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(post_url)
    page.fill("#comment", "The cranes were older than the quay.")
    page.fill("#author", "Ada Reader")
    # An old browser (or a reader who turned validation off) sends the form without the email.
    page.evaluate("document.getElementById('commentform').noValidate = true")
    page.click("#submit")
    page.wait_for_load_state("load")

    box = page.locator("#comment-error")
    assert box.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "comment-error"
    assert box.evaluate(IN_VIEW)  # the reader sees it without scrolling
    assert page.evaluate("window.scrollY") > 2000  # the article is long: the page did move

    email = page.locator("#email")
    assert email.get_attribute("aria-invalid") == "true"
    described = email.get_attribute("aria-describedby").split()
    assert "email-error" in described and "email-notes" in described
    assert page.locator("#email-error").inner_text() == "Please type your email address."
    assert page.locator("#author").get_attribute("aria-invalid") is None
    assert page.locator("#comment").input_value() == "The cranes were older than the quay."


def test_a_wrong_sum_marks_the_sum(page, post_url):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(post_url)
    page.fill("#comment", "A fair point about the harbour.")
    page.fill("#author", "Ada Reader")
    page.fill("#email", "ada@example.org")
    page.fill("#captcha_answer", "12345")
    page.click("#submit")
    page.wait_for_load_state("load")

    assert page.evaluate("document.activeElement.id") == "comment-error"
    assert page.locator("#comment-error").evaluate(IN_VIEW)
    answer = page.locator("#captcha_answer")
    assert answer.get_attribute("aria-invalid") == "true"
    assert answer.get_attribute("aria-describedby").split() == ["captcha-error", "captcha-help"]
    assert "sum" in page.locator("#captcha-error").inner_text().lower()
    assert page.locator("#email").get_attribute("aria-invalid") is None


@pytest.mark.parametrize("width", [390, 1280])
def test_post_comment_is_a_real_button_in_the_pages_font(page, post_url, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(post_url)
    submit = page.locator("#submit")
    search = page.locator(".search-form button")
    box = submit.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    style = "(el, p) => getComputedStyle(el)[p]"
    for prop in ("backgroundColor", "color", "fontFamily", "fontWeight", "borderRadius"):
        assert submit.evaluate(style, prop) == search.evaluate(style, prop), prop
    controls_font = page.locator(".search-form input").evaluate(style, "fontFamily")
    for field in ("#comment", "#author", "#email", "#url", "#captcha_answer"):
        assert page.locator(field).evaluate(style, "fontFamily") == controls_font, field
