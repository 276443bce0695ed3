"""Hostile comments in a real browser: none of the attack vectors runs a script in the page."""

import json
from pathlib import Path

import pytest

from byline.comments import captcha
from byline.comments.display import PAGE_LIMIT
from byline.comments.models import Comment
from byline.options.store import set_option

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VECTORS = Path(__file__).parents[1] / "data" / "sanitize"

# Counts every way a script could show itself: alert/confirm/prompt, and writes to window.__pwned.
WATCH = """
window.__ran = [];
for (const name of ['alert', 'confirm', 'prompt']) { window[name] = (...a) => { window.__ran.push(name + ':' + a); }; }
Object.defineProperty(window, '__pwned', { set(v) { window.__ran.push('pwned:' + v); }, get() { return undefined; } });
"""

SCAN = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('#comments *')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(el.tagName + '@' + a.name);
      if (['href', 'src', 'action', 'formaction', 'cite'].includes(a.name) && /^\\s*(javascript|data|vbscript):/i.test(a.value)) bad.push(el.tagName + '@' + a.name + '=' + a.value.slice(0, 30));
    }
    if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'SVG', 'MATH', 'FORM', 'BASE', 'META', 'LINK'].includes(el.tagName) && !el.closest('#respond')) bad.push(el.tagName);
  }
  return bad;
}"""


def vectors() -> list[str]:
    out = []
    for f in sorted(VECTORS.glob("*.json")):
        out += [v["input"] for v in json.loads(f.read_text()) if isinstance(v.get("input"), str)]
    return out


def test_a_reader_posts_attacks_through_the_form(live_server, demo, page):
    set_option("captcha_min_seconds", "0")
    set_option("comment_flood_interval", "0")
    set_option("comment_previously_approved", "0")
    page.add_init_script(WATCH)
    attacks = [
        "<script>alert(1)</script>Plain words one",
        '<img src=x onerror="window.__pwned=2">two',
        '<a href="javascript:alert(3)">three</a>',
        '<b onclick="alert(4)">four</b>',
        "<svg onload=alert(5)>five",
        '<iframe src="javascript:alert(6)"></iframe>six',
    ]
    for i, attack in enumerate(attacks):
        page.goto(live_server.url + "/2025/09/the-cranes-come-down/")
        page.fill("#comment", attack)
        page.fill("#author", f"Attacker {i}")
        page.fill("#email", f"attacker{i}@example.org")
        token = page.get_attribute("input[name=captcha_token]", "value")
        page.fill("#captcha_answer", captcha.number_to_words(captcha.challenge_from_token(token).answer))
        page.click("#submit")
        page.wait_for_load_state("load")
        assert "#comment-" in page.url, page.content()[:2000]
    page.goto(live_server.url + "/2025/09/the-cranes-come-down/")
    assert page.locator("li.comment").count() == len(attacks)
    assert "Plain words one" in page.locator("#comments").inner_text()
    assert page.evaluate("window.__ran") == []
    assert page.evaluate(SCAN) == []


def test_every_stored_vector_is_harmless_when_shown(live_server, demo, page):
    # Stored raw, as an old import might have left them: the display sanitises them again.
    # (Without NUL characters, which no database text column holds: PostgreSQL refuses them.)
    Comment.objects.bulk_create(
        [
            Comment(post=demo, author_name=f"V{i}", content=v.replace("\x00", ""), status="approved")
            for i, v in enumerate(vectors())
        ]
    )
    page.add_init_script(WATCH)
    shown = 0
    pages = -(-len(vectors()) // PAGE_LIMIT)  # no comment page shows more than PAGE_LIMIT
    for number in range(1, pages + 1):
        page.goto(live_server.url + f"/2025/09/the-cranes-come-down/comment-page-{number}/")
        page.wait_for_load_state("load")
        shown += page.locator("li.comment").count()
        # Let timers, load and error handlers fire.
        page.mouse.move(300, 300)
        page.wait_for_timeout(500)
        assert page.evaluate("window.__ran") == []
        assert page.evaluate(SCAN) == []
    assert shown == len(vectors())
