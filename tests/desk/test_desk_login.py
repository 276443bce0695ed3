"""/wp-login.php: sign in by the labels, safe redirects, sign out, lost password, set-password links."""

import re

import pytest
from django.core import mail
from lxml import html

from byline.options.store import set_option
from tests.desk.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def labels(response) -> list[str]:
    return [
        " ".join(label.text_content().split()) for label in html.fromstring(response.content).xpath("//label")
    ]


def test_sign_in_page_has_the_labelled_fields_and_the_lost_password_link(client):
    set_option("blogname", "The Harbour Ledger")
    r = client.get("/wp-login.php")
    assert r.status_code == 200
    assert labels(r) == ["Username", "Password"]
    doc = html.fromstring(r.content)
    assert doc.xpath("//button[normalize-space()='Log In']")
    assert doc.xpath("//a[normalize-space()='Lost your password?']/@href") == [
        "/wp-login.php?action=lostpassword"
    ]
    assert "Django administration" not in r.text
    # The site's own name, not the host Django's login view would call it.
    assert doc.xpath("//h1/text()") == ["Log in to The Harbour Ledger"]


def test_signing_in_leads_to_the_desk_or_a_safe_redirect_to(client, make_user):
    make_user("author", "ola")
    r = client.post("/wp-login.php", {"username": "ola", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/wp-admin/"
    client.logout()
    r = client.post("/wp-login.php?redirect_to=/wp-admin/edit.php", {"username": "ola", "password": PASSWORD})
    assert r["Location"] == "/wp-admin/edit.php"
    client.logout()
    # Another site in redirect_to is ignored: no open redirect.
    r = client.post(
        "/wp-login.php?redirect_to=https://evil.example/", {"username": "ola", "password": PASSWORD}
    )
    assert r["Location"] == "/wp-admin/"


def test_a_wrong_password_is_told_and_signs_nobody_in(client, make_user):
    make_user("author", "ola")
    r = client.post("/wp-login.php", {"username": "ola", "password": "nope"})
    assert r.status_code == 200
    assert (
        "correct username and password"
        in html.fromstring(r.content).xpath("//*[@role='alert']")[0].text_content()
    )
    assert client.get("/wp-admin/").status_code == 302


def test_signed_out_visitors_of_any_desk_page_are_sent_to_sign_in(client):
    for path in (
        "/wp-admin/",
        "/wp-admin/edit.php",
        "/wp-admin/upload.php",
        "/wp-admin/edit-comments.php",
        "/wp-admin/profile.php",
        "/wp-admin/no-such-page.php",
    ):
        r = client.get(path)
        assert r.status_code == 302 and r["Location"].startswith(
            "/wp-login.php?redirect_to=%2Fwp-admin%2F"
        ), path
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/wp-login.php?redirect_to=%2Fadmin%2F"


def test_log_out_needs_a_post(signed_in):
    client, _ = signed_in("author")
    r = client.get("/wp-login.php?action=logout")
    assert r.status_code == 200 and client.get("/wp-admin/").status_code == 200  # a link signs nobody out
    r = client.post("/wp-login.php?action=logout")
    assert r["Location"] == "/wp-login.php?loggedout=true"
    assert client.get("/wp-admin/").status_code == 302


def test_lost_password_mails_a_link_that_sets_a_new_password_once(client, make_user, run_tasks):
    make_user("author", "ola")
    r = client.post("/wp-login.php?action=lostpassword", {"email": "ola@example.org"})
    assert r["Location"] == "/wp-login.php?checkemail=confirm"
    assert "Check your email" in client.get(r["Location"]).text
    assert mail.outbox == []  # recorded as a task: the page answered without waiting for SMTP
    run_tasks()
    link = re.search(r"http://testserver(/wp-login\.php\?action=rp\S+)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    short = client.post(link, {"new_password1": "abc", "new_password2": "abc"})
    assert short.status_code == 400 and "too short" in short.text  # Django's validators decide
    r = client.post(link, {"new_password1": "tidewater-lantern-42", "new_password2": "tidewater-lantern-42"})
    assert r["Location"] == "/wp-login.php?password=changed"
    again = client.get(link)
    assert again.status_code == 400 and "not valid" in again.text
    assert client.login(username="ola", password="tidewater-lantern-42")


def test_a_forged_set_password_link_is_refused(client, make_user):
    make_user("author", "ola")
    r = client.get("/wp-login.php?action=rp&login=MQ&key=forged-token")
    assert r.status_code == 400 and "not valid" in r.text
    r = client.post("/wp-login.php?action=rp&login=%%%&key=x", {"new_password1": "a", "new_password2": "a"})
    assert r.status_code == 400


def test_an_unknown_email_is_not_revealed(client, make_user):
    r = client.post("/wp-login.php?action=lostpassword", {"email": "nobody@example.org"})
    assert r["Location"] == "/wp-login.php?checkemail=confirm" and mail.outbox == []


def test_a_script_whose_session_ended_is_told_to_sign_in_again(client):
    r = client.post(
        "/wp-admin/edit-comments.php", {"row_action": "approve:1"}, HTTP_ACCEPT="application/json"
    )
    assert r.status_code == 401 and r.json()["error"] == "Your session has ended: sign in again."
    assert r.json()["login"].startswith("/wp-login.php?redirect_to=")
    r = client.get("/wp-admin/media-library.json", HTTP_ACCEPT="application/json")
    assert r.status_code == 401
