"""A reader leaves a reply: the form, the CAPTCHA, WordPress's moderation rules, what each bad input gets."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from lxml import html

from byline.comments import captcha
from byline.comments.models import Comment, CommentStatus
from byline.comments.services import approve_comment
from byline.content import services
from byline.options.store import set_option
from tests.factories import make_post

pytestmark = pytest.mark.django_db

URL = "/2025/09/talk-of-the-town/"
EMAIL = "reader.private@example.net"


@pytest.fixture
def post():
    set_option("captcha_min_seconds", "0")  # these tests post at machine speed
    set_option("comment_flood_interval", "0")
    return make_post(
        "Talk of the town", comment_status="open", published_at=timezone.now() - timedelta(days=1)
    )


@pytest.fixture
def url(post):
    from byline.content.permalinks import permalink_for

    return permalink_for(post)


def form_fields(client, url):
    page = client.get(url)
    doc = html.fromstring(page.content)
    form = doc.xpath("//form[@id='commentform']")[0]
    data = {
        i.get("name"): i.get("value") or ""
        for i in form.xpath(".//input")
        if i.get("type") != "checkbox" and i.get("name") and i.get("type") != "submit"
    }
    token = data.get("captcha_token")
    if token:
        data["captcha_answer"] = str(captcha.challenge_from_token(token).answer)
    return data, doc


def leave(client, address, text="A fair point about the harbour.", **overrides):
    data, _ = form_fields(client, address)
    data.update(author="Ada Reader", email=EMAIL, url="https://ada.example.net/", comment=text)
    data.update(overrides)
    return client.post("/wp-comments-post.php", data)


def approve_first_comment_of(name, email, post):
    Comment.objects.create(
        post=post, author_name=name, author_email=email, content="<p>old</p>", status=CommentStatus.APPROVED
    )


def test_the_form_as_wordpress_lays_it_out(client, url):
    _, doc = form_fields(client, url)
    text = " ".join(doc.text_content().split())
    assert "Leave a Reply" in text
    assert "Your email address will not be published. Required fields are marked *" in text
    for name in ("author", "email", "comment"):
        assert doc.xpath(f"//*[@name='{name}'][@required]"), name
    assert not doc.xpath("//input[@name='url'][@required]")
    assert "Save my name, email, and website in this browser for the next time I comment." in text
    allowed = doc.xpath("//p[@class='form-allowed-tags']")[0].text_content()
    assert (
        '<a href="" title=""> <abbr title=""> <acronym title=""> <b> <blockquote cite=""> <cite> <code> '
        '<del datetime=""> <em> <i> <q cite=""> <strike> <strong>'
    ) in allowed
    label = doc.xpath("//label[.//*[@class='captcha-question']]")[0]
    assert re.fullmatch(r".+ [+−×÷] .+ = .+", label.xpath(".//*[@class='captcha-question']")[0].text)
    assert "___" in label.text_content()
    answer = doc.xpath(f"//input[@id='{label.get('for')}']")[0]
    assert "captcha" in answer.get("name")
    honeypot = doc.xpath("//input[@name='website_confirm']")[0]
    assert "captcha" not in honeypot.get("name")


def test_an_approved_comment_redirects_303_to_its_anchor_and_shows(client, post, url):
    set_option("comment_previously_approved", "0")
    r = leave(client, url, 'Well said. <a href="http://example.org/x">Source</a>')
    comment = Comment.objects.get()
    assert r.status_code == 303 and r["Location"] == f"{url}#comment-{comment.pk}"
    assert comment.status == CommentStatus.APPROVED
    assert comment.reason == "approved: passed every moderation rule"
    page = Client().get(url).content.decode()
    doc = html.fromstring(page)
    li = doc.xpath(f"//li[@id='comment-{comment.pk}']")[0]
    assert "Well said." in li.text_content()
    assert li.xpath(".//a[@href='http://example.org/x']/@rel")[0] == "nofollow ugc"
    assert li.xpath(".//b[@class='fn p-name']/a/@rel")[0] == "ugc nofollow external"
    assert li.xpath(".//img[@class='avatar u-photo']/@src")[0].startswith("/avatar/")
    assert EMAIL not in page and "127.0.0.1" not in page


def test_first_comment_is_held_and_shown_only_to_its_author(client, url):
    r = leave(client, url, "My first words here.")
    assert r.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.reason == "held: the author has no approved comment yet"
    mine = client.get(url).content.decode()
    assert "My first words here." in mine and "Your comment is awaiting moderation." in mine
    assert "My first words here." not in Client().get(url).content.decode()


def test_previously_approved_author_goes_straight_through(client, post, url):
    approve_first_comment_of("Ada Reader", EMAIL, post)
    leave(client, url, "Back again.")
    assert Comment.objects.get(content__contains="Back again").status == CommentStatus.APPROVED


@pytest.mark.parametrize(
    "option,value,text,status,reason",
    [
        ("comment_moderation", "1", "Plain words.", "pending", "comment_moderation"),
        (
            "comment_max_links",
            "2",
            '<a href="http://a.example">a</a> <a href="http://b.example">b</a>',
            "pending",
            "2 links",
        ),
        ("moderation_keys", "casino\nlottery", "Try the Casino tonight.", "pending", "casino"),
        ("disallowed_keys", "viagra", "Cheap VIAGRA here.", "trash", "viagra"),
        (
            "moderation_keys",
            "example.net",
            "Innocent words.",
            "pending",
            "example.net",
        ),  # matched in the email
    ],
)
def test_moderation_rules_in_wordpress_order(client, post, url, option, value, text, status, reason):
    approve_first_comment_of("Ada Reader", EMAIL, post)
    set_option(option, value)
    leave(client, url, text)
    comment = Comment.objects.exclude(content="<p>old</p>").get()
    assert comment.status == status and reason in comment.reason
    assert f'id="comment-{comment.pk}"' not in Client().get(url).content.decode()


def test_post_author_and_moderators_are_approved_and_see_no_captcha(client, post, url):
    set_option("comment_moderation", "1")
    client.force_login(post.author)
    data, doc = form_fields(client, url)
    assert not doc.xpath("//*[@class='captcha-question']")
    r = client.post("/wp-comments-post.php", {**data, "comment": "Author here."})
    assert r.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.APPROVED and comment.user == post.author
    assert "post's author or a moderator" in comment.reason


def test_duplicate_is_refused_409(client, post, url):
    approve_first_comment_of("Ada Reader", EMAIL, post)
    leave(client, url, "Same words.")
    r = leave(Client(), url, "Same words.")
    assert r.status_code == 409
    text = html.fromstring(r.content).text_content()
    assert "Duplicate comment detected; it looks as though you've already said that!" in text
    assert Comment.objects.filter(content__contains="Same words").count() == 1


def test_flood_is_refused_429(client, post, url):
    set_option("comment_flood_interval", "15")
    leave(client, url, "First.")
    r = leave(Client(), url, "Second, too soon.")
    assert r.status_code == 429
    assert "You are posting comments too quickly. Slow down." in r.content.decode()
    assert "Second, too soon." in r.content.decode()  # the text comes back in the form
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "overrides,status,says",
    [
        ({"email": ""}, 400, "Please type your email address."),
        ({"author": ""}, 400, "Please type your name."),
        ({"comment": "   "}, 400, "Please type your comment text."),
        ({"email": "not-an-email"}, 400, "Please enter a valid email address."),
        ({"author": "n" * 246}, 400, "Your name is too long"),
        ({"email": "e" * 95 + "@x.org"}, 400, "Your email address is too long"),
        ({"url": "https://example.org/" + "u" * 190}, 400, "Your website address is too long"),
        ({"comment": "c" * 65526}, 400, "Your comment is too long"),
        ({"captcha_answer": "9999"}, 400, "not the right answer"),
        ({"captcha_answer": ""}, 400, "Please answer the sum."),
        ({"captcha_token": "forged.token"}, 400, "The sum could not be checked; here is a new one."),
        ({"website_confirm": "http://spam.example"}, 400, "could not be accepted"),
        ({"comment_parent": "999999"}, 400, "same post"),
    ],
)
def test_bad_input_gets_a_message_keeps_the_text_and_saves_nothing(client, url, overrides, status, says):
    text = overrides.get("comment", "KEEPME my careful words")
    r = leave(client, url, text, **overrides)
    doc = html.fromstring(r.content)
    assert r.status_code == status
    # The reason is said in the form's error box (not just anywhere in the page).
    assert says in " ".join(doc.xpath("//div[@class='comment-error']")[0].text_content().split())
    if text.strip() and len(text) < 1000:
        assert text in doc.xpath("//textarea[@name='comment']")[0].text_content()
    assert Comment.objects.count() == 0


def test_a_wrong_answer_then_the_right_one(client, url):
    r = leave(client, url, "Second try works.", captcha_answer="1000")
    assert r.status_code == 400
    doc = html.fromstring(r.content)
    token = doc.xpath("//input[@name='captcha_token']/@value")[0]
    data = {
        i.get("name"): i.get("value") or ""
        for i in doc.xpath("//form[@id='commentform']//input")
        if i.get("name") and i.get("type") not in ("checkbox", "submit")
    }
    data.update(
        comment="Second try works.",
        captcha_answer=captcha.number_to_words(captcha.challenge_from_token(token).answer),
    )  # as words this time
    assert client.post("/wp-comments-post.php", data).status_code == 303


def test_a_solved_sum_is_single_use(client, url):
    data, _ = form_fields(client, url)
    data.update(author="Ada Reader", email=EMAIL, comment="Once.")
    assert client.post("/wp-comments-post.php", data).status_code == 303
    data["comment"] = "Twice with the same sum."
    r = client.post("/wp-comments-post.php", data)
    assert r.status_code == 400
    assert (
        "That sum has already been answered"
        in html.fromstring(r.content).xpath("//div[@class='comment-error']")[0].text_content()
    )
    assert Comment.objects.count() == 1


def test_a_sum_solved_on_one_post_is_refused_on_another(client, post, url):
    other = make_post("Another post", comment_status="open", published_at=timezone.now() - timedelta(days=1))
    data, _ = form_fields(client, url)
    data.update(author="Ada Reader", email=EMAIL, comment="Carried over.", comment_post_ID=str(other.pk))
    r = client.post("/wp-comments-post.php", data)
    assert r.status_code == 400
    doc = html.fromstring(r.content)
    assert doc.xpath("//div[@class='comment-error']")[0].text_content().strip() == (
        "That sum was made for another post's form; here is a new one for this post."
    )
    assert doc.xpath("//textarea[@name='comment']")[0].text_content() == "Carried over."
    new_token = doc.xpath("//input[@name='captcha_token']/@value")[0]
    assert new_token != data["captcha_token"] and captcha.post_of_token(new_token) == other.pk
    assert Comment.objects.count() == 0
    data["comment_post_ID"] = str(post.pk)  # on its own post the sum is still good
    assert client.post("/wp-comments-post.php", data).status_code == 303


def test_a_too_fast_post_is_refused(client, url):
    set_option("captcha_min_seconds", "30")
    r = leave(client, url, "Bot speed.")
    assert r.status_code == 400 and Comment.objects.count() == 0


def test_missing_csrf_token_keeps_the_form_and_saves_nothing(url):
    strict = Client(enforce_csrf_checks=True)
    data, _ = form_fields(strict, url)
    data.update(author="Ada Reader", email=EMAIL, comment="KEEPME without a token")
    data.pop("csrfmiddlewaretoken")
    r = strict.post("/wp-comments-post.php", data)
    assert r.status_code == 403
    assert "Your form had expired" in r.content.decode()
    assert "KEEPME without a token" in r.content.decode()
    assert Comment.objects.count() == 0


def test_closed_and_missing_posts(client, post, url):
    post.comment_status = "closed"
    services.save_post(post)
    page = client.get(url).content.decode()
    assert "Comments are closed." in page and 'id="commentform"' not in page
    r = client.post(
        "/wp-comments-post.php",
        {
            "comment_post_ID": post.pk,
            "author": "A",
            "email": EMAIL,
            "comment": "closed?",
            "captcha_token": "",
            "captcha_answer": "",
        },
    )
    assert r.status_code == 403 and "Sorry, comments are closed for this item." in r.content.decode()
    assert Comment.objects.count() == 0
    for bad in ("999999", "abc", ""):
        assert (
            client.post("/wp-comments-post.php", {"comment_post_ID": bad, "comment": "x"}).status_code == 404
        )


def test_old_posts_close_when_the_option_says(client, post, url):
    post.published_at = timezone.now() - timedelta(days=30)
    services.save_post(post)
    set_option("close_comments_for_old_posts", "1")
    from byline.content.permalinks import permalink_for

    assert "Comments are closed." in client.get(permalink_for(post)).content.decode()


def test_threaded_replies_nest_and_stop_at_the_depth(client, post, url):
    set_option("comment_previously_approved", "0")
    set_option("thread_comments_depth", "3")
    leave(client, url, "Level one.")
    parent = Comment.objects.get()
    for level in (2, 3, 4):
        page = client.get(f"{url}?replytocom={parent.pk}")
        assert "Leave a Reply to Ada Reader" in page.content.decode()
        r = leave(client, f"{url}?replytocom={parent.pk}", f"Level {level}.", comment_parent=str(parent.pk))
        assert r.status_code == 303, r.content.decode()[:500]
        parent = Comment.objects.latest("id")
    doc = html.fromstring(client.get(url).content)
    one = doc.xpath("//li[contains(@class,'depth-1')]")[0]
    assert one.xpath("./ol[@class='children']/li[contains(@class,'depth-2')]")
    three = doc.xpath("//li[contains(@class,'depth-3')]")
    assert len(three) == 2  # the fourth level joined the third: max depth 3
    assert not doc.xpath("//li[contains(@class,'depth-4')]")


def test_a_reply_to_another_posts_comment_is_refused(client, post, url):
    other = make_post("Another post", comment_status="open")
    foreign = Comment.objects.create(post=other, author_name="X", content="<p>x</p>", status="approved")
    r = leave(client, url, "Crossing posts.", comment_parent=str(foreign.pk))
    assert r.status_code == 400 and "same post" in r.content.decode()
    assert Comment.objects.count() == 1


def test_consent_cookie_remembers_only_when_asked(client, post, url):
    set_option("comment_previously_approved", "0")
    leave(client, url, "No cookies please.")
    assert "comment_author" not in client.cookies
    leave(client, url, "Remember me.", **{"wp-comment-cookies-consent": "yes"})
    assert client.cookies["comment_author"].value == "Ada Reader"
    _, doc = form_fields(client, url)
    assert doc.xpath("//input[@name='author']/@value") == ["Ada Reader"]


def test_notices_go_to_the_author_and_moderators_and_replies_only_on_request(client, post, url, run_tasks):
    leave(client, url, "Held one.")
    assert mail.outbox == []  # the request only recorded the notice: the worker sends it
    run_tasks()
    assert any("Please moderate" in m.subject for m in mail.outbox)
    assert all(EMAIL not in m.to for m in mail.outbox)
    mail.outbox.clear()
    Comment.objects.all().update(status="approved")
    first = Comment.objects.get()
    first.notify_replies = True
    first.save()
    leave(Client(), url, "A reply.", author="Bo", email="bo@example.org", comment_parent=str(first.pk))
    run_tasks()
    assert not any(EMAIL in m.to for m in mail.outbox)  # the reply is held: no notice yet
    approve_comment(Comment.objects.latest("id"))
    run_tasks()
    assert any(EMAIL in m.to and "New reply" in m.subject for m in mail.outbox)
    # Someone who did not ask hears nothing.
    first.notify_replies = False
    first.save()
    mail.outbox.clear()
    leave(Client(), url, "Another reply.", author="Cy", email="cy@example.org", comment_parent=str(first.pk))
    approve_comment(Comment.objects.latest("id"))
    run_tasks()
    assert not any(EMAIL in m.to for m in mail.outbox)


def test_comment_pages(client, post, url):
    set_option("page_comments", "1")
    set_option("comments_per_page", "2")
    for i in range(5):
        Comment.objects.create(
            post=post, author_name=f"R{i}", content=f"<p>Number {i}</p>", status="approved"
        )
    newest = client.get(url).content.decode()
    assert "Number 4" in newest and "Number 0" not in newest  # default_comments_page: newest
    first = client.get(f"{url}comment-page-1/").content.decode()
    assert "Number 0" in first and "Number 1" in first and "Number 4" not in first
    assert client.get(f"{url}comment-page-1/").status_code == 200


def test_comment_feeds_carry_names_not_emails(client, post, url):
    set_option("comment_previously_approved", "0")
    leave(client, url, "Feed me.")
    for path in ("/comments/feed/", "/comments/feed/atom/", f"{url}feed/", f"{url}feed/atom/"):
        r = client.get(path)
        assert r.status_code == 200, path
        body = r.content.decode()
        assert "Feed me." in body and "Ada Reader" in body and EMAIL not in body, path


def test_avatars_are_drawn_locally(client, post, url):
    set_option("comment_previously_approved", "0")
    leave(client, url, "Avatar check.")
    src = html.fromstring(client.get(url).content).xpath("//img[contains(@class,'avatar')]/@src")[0]
    r = client.get(src)
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml" and b"<svg" in r.content
    assert "gravatar" not in client.get(url).content.decode().lower()


def test_stored_hostile_comments_are_sanitised_again_on_display(client, post, url):
    Comment.objects.create(
        post=post,
        author_name="Imported",
        status="approved",
        content="<p>old <script>alert(1)</script><img src=x onerror=alert(2)></p>",
    )
    page = client.get(url).content.decode()
    assert "alert(1)" not in page and "onerror" not in page


def test_comments_cost_the_same_queries_whatever_their_number(client, post, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The comments' ids, then the comments of the page shown (none to fetch with none).
    Comment.objects.create(post=post, author_name="First", content="<p>first</p>", status="approved")
    client.get(url)  # the first page served records the site's address (once; not a page's cost)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(30):
        Comment.objects.create(post=post, author_name=f"R{i}", content=f"<p>{i}</p>", status="approved")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


HOSTILE_AGENT = "Mozilla/5.0\x00 (X11;\x1b[2J\x07 \ud800Linux\ufffe)\r\n" + "x" * 10_000


def test_the_user_agent_is_stored_clean_and_capped(client, url):
    data, _ = form_fields(client, url)
    data.update(author="Ada Reader", email=EMAIL, comment="Sent from an odd browser.")
    sent = client.post("/wp-comments-post.php", data, HTTP_USER_AGENT=HOSTILE_AGENT)

    assert sent.status_code == 303
    stored = Comment.objects.get(content__contains="odd browser").user_agent
    assert stored == ("Mozilla/5.0 (X11;[2J Linux) " + "x" * 10_000)[:255]
    assert len(stored) == Comment.MAX_USER_AGENT


def test_a_utf8_user_agent_is_stored_as_sent(client, url):
    data, _ = form_fields(client, url)
    data.update(author="Ada Reader", email=EMAIL, comment="Sent from a bookshop.")
    # What a WSGI server hands over for the UTF-8 bytes of "Bücherstube/2.0 (Zürich)".
    as_latin1 = "Bücherstube/2.0 (Zürich)".encode().decode("latin-1")
    assert client.post("/wp-comments-post.php", data, HTTP_USER_AGENT=as_latin1).status_code == 303

    assert Comment.objects.get(content__contains="bookshop").user_agent == "Bücherstube/2.0 (Zürich)"
