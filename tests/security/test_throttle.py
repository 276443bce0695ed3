"""Sign-in, application-password and comment throttles: what a person over the limit is told, and
that another address is not affected."""

import re

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory, override_settings
from lxml import html

from byline.api.passwords import create_app_password
from byline.comments.models import Comment
from byline.content.services import create_user
from byline.options.store import set_option
from tests.api.api_helpers import assert_wp_error
from tests.api.test_api_auth import basic
from tests.factories import make_post

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.5"
NEIGHBOUR = "198.51.100.7"
RIGHT = "the right pass phrase"


@pytest.fixture
def owner():
    return create_user("owner", email="owner@example.org", role="administrator", password=RIGHT)


def sign_in(client, password, address):
    """The desk's sign-in form at WordPress's /wp-login.php (the admin's /admin/login/ leads there)."""
    return client.post(
        "/wp-login.php",
        {"username": "owner", "password": password, "redirect_to": "/wp-admin/"},
        REMOTE_ADDR=address,
    )


def form_errors(response) -> str:
    return " ".join(html.fromstring(response.content).xpath("string(//*[@id='login-error'])").split())


def test_the_sixth_sign_in_from_an_address_is_refused_even_with_the_right_password(client, owner):
    for _ in range(4):
        r = sign_in(client, "wrong", ATTACKER)
        assert r.status_code == 200 and "correct username and password" in form_errors(r).lower()
    fifth = sign_in(client, "wrong", ATTACKER)  # the limit is reached: the form says so already
    assert fifth.status_code == 429

    refused = sign_in(client, RIGHT, ATTACKER)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 14 * 60
    assert form_errors(refused) == (
        "Too many failed sign-ins from your address. Please try again in 15 minutes."
    )
    assert "_auth_user_id" not in client.session

    other = sign_in(client, RIGHT, NEIGHBOUR)
    assert other.status_code == 302 and other["Location"] == "/wp-admin/"


def test_authenticate_with_a_request_is_throttled_for_any_sign_in_page(owner):
    """The desk's /wp-login.php calls authenticate(request=…): the same count covers it."""
    factory = RequestFactory()
    for _ in range(5):
        assert (
            authenticate(factory.post("/wp-login.php", REMOTE_ADDR=ATTACKER), username="owner", password="x")
            is None
        )
    locked = factory.post("/wp-login.php", REMOTE_ADDR=ATTACKER)
    assert authenticate(locked, username="owner", password=RIGHT) is None
    assert locked.axes_locked_out
    fine = factory.post("/wp-login.php", REMOTE_ADDR=NEIGHBOUR)
    assert authenticate(fine, username="owner", password=RIGHT) == owner


def test_wrong_application_passwords_lock_out_the_address_not_the_client(client, owner):
    _record, password = create_app_password(owner, "Phone")
    for _ in range(5):
        r = client.get("/wp-json/wp/v2/users/me", REMOTE_ADDR=ATTACKER, **basic("owner", "x" * 24))
        assert_wp_error(r, 401, "incorrect_password")
    refused = client.get("/wp-json/wp/v2/users/me", REMOTE_ADDR=ATTACKER, **basic("owner", password))
    assert_wp_error(refused, 429, "rest_too_many_requests")
    assert int(refused["Retry-After"]) > 14 * 60
    assert "Please try again in 15 minutes" in refused.json()["message"]
    ok = client.get("/wp-json/wp/v2/users/me", REMOTE_ADDR=NEIGHBOUR, **basic("owner", password))
    assert ok.status_code == 200 and ok.json()["slug"] == "owner"


@override_settings(BYLINE_LOGIN_ACCOUNT_FAILURE_LIMIT=3)
def test_an_account_has_a_ceiling_over_every_address(client, owner):
    for n in range(3):
        assert sign_in(client, "wrong", f"192.0.2.{n + 1}").status_code == 200
    refused = sign_in(client, RIGHT, "192.0.2.99")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert form_errors(refused).startswith("Too many failed sign-ins for this account. Please try again in")
    assert "_auth_user_id" not in client.session


def comment(client, post, n, address):
    return client.post(
        "/wp-comments-post.php",
        {
            "comment_post_ID": post.pk,
            "comment_parent": "0",
            "author": "Ana",
            "email": "ana@example.org",
            "comment": f"Comment number {n} on this.",
        },
        REMOTE_ADDR=address,
    )


def test_comment_posts_are_limited_per_address(client):
    set_option("captcha_enabled", "0")
    set_option("comment_flood_interval", "0")
    post = make_post("Open thread", comment_status="open")
    for n in range(10):
        assert comment(client, post, n, ATTACKER).status_code == 303
    refused = comment(client, post, 10, ATTACKER)
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    text = " ".join(html.fromstring(refused.content).text_content().split())
    assert re.search(
        r"Too many comments were sent from your address in a short time\. Nothing was saved\. "
        r"Please try again in \d+ seconds\.",
        text,
    )
    assert Comment.objects.count() == 10
    assert comment(client, post, 11, NEIGHBOUR).status_code == 303
    assert Comment.objects.count() == 11


def test_rest_comment_posts_are_limited_per_address(client):
    post = make_post("Open thread", comment_status="open")
    for _ in range(10):
        client.post(
            "/wp-json/wp/v2/comments",
            {"post": post.pk},
            content_type="application/json",
            REMOTE_ADDR=ATTACKER,
        )
    refused = client.post(
        "/wp-json/wp/v2/comments", {"post": post.pk}, content_type="application/json", REMOTE_ADDR=ATTACKER
    )
    assert_wp_error(refused, 429, "rest_too_many_requests")
    assert "Retry-After" in refused


def lost_password(client, email, address):
    return client.post("/wp-login.php?action=lostpassword", {"email": email}, REMOTE_ADDR=address)


def test_lost_password_requests_are_limited_per_account_and_per_address(client, owner, mailoutbox, run_tasks):
    for _ in range(5):
        assert lost_password(client, "owner@example.org", ATTACKER).status_code == 302
    run_tasks()
    assert len(mailoutbox) == 5
    refused = lost_password(client, "owner@example.org", NEIGHBOUR)  # the same account elsewhere
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    text = " ".join(html.fromstring(refused.content).xpath("string(//*[@role='alert'])").split())
    assert text.startswith(
        "Too many password reset requests for this account or address. Please try again in"
    )
    run_tasks()
    assert len(mailoutbox) == 5  # no sixth link sent
    assert lost_password(client, "other@example.org", NEIGHBOUR).status_code == 302  # others are not held up


def test_a_failed_sign_in_keeps_the_headers_it_stores_clean(client, owner):
    from axes.models import AccessAttempt

    client.post(
        "/wp-login.php",
        {"username": "owner", "password": "wrong", "redirect_to": "/wp-admin/"},
        REMOTE_ADDR=ATTACKER,
        HTTP_USER_AGENT="Bot\x00/1.0\x1b[2J\ud800 " + "z" * 10_000,
        HTTP_ACCEPT="text/html\x07,\r\n*/*",
    )

    attempt = AccessAttempt.objects.get(ip_address=ATTACKER)
    assert attempt.user_agent == ("Bot/1.0[2J " + "z" * 10_000)[:255]
    assert attempt.http_accept == "text/html, */*"
