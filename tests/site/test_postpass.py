"""A post password in any script unlocks its post; a wrong guess in any script is a plain refusal."""

import pytest

from tests.factories import make_post
from tests.site.test_pages import text_of

pytestmark = pytest.mark.django_db

SECRET = "<p>The minutes of the choir.</p>"


@pytest.mark.parametrize("password", ["pässwörd", "пароль", "密码", "harbour"])
def test_a_non_ascii_password_unlocks_the_post(client, password):
    post = make_post("Choir minutes", password=password, body=SECRET)
    page = f"/2025/09/{post.slug}/"
    assert "The minutes of the choir" not in client.get(page).content.decode()
    r = client.post(f"/postpass/{post.pk}/", {"post_password": password})
    assert r.status_code == 302 and r["Location"] == page
    assert "The minutes of the choir" in text_of(client.get(page))


@pytest.mark.parametrize("guess", ["hünter2", "pässword", "", "hunter2"])
def test_a_wrong_guess_in_any_script_leaves_the_post_locked(client, guess):
    post = make_post("Choir minutes", password="pässwörd", body=SECRET)
    page = f"/2025/09/{post.slug}/"
    r = client.post(f"/postpass/{post.pk}/", {"post_password": guess})
    assert r.status_code == 302 and r["Location"] == page
    shown = client.get(page)
    assert shown.status_code == 200
    assert "The minutes of the choir" not in shown.content.decode()
    assert "This content is password protected" in text_of(shown)


def test_a_forged_non_ascii_cookie_is_ignored(client):
    post = make_post("Choir minutes", password="harbour", body=SECRET)
    client.cookies[f"wp-postpass_{post.pk}"] = "fälschung"
    shown = client.get(f"/2025/09/{post.slug}/")
    assert shown.status_code == 200 and "The minutes of the choir" not in shown.content.decode()
