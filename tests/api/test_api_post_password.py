"""REST `?password=` in any script: the right one shows the text, a wrong one is WordPress's 403."""

import pytest

from tests.api.api_helpers import assert_wp_error
from tests.factories import make_post


@pytest.mark.parametrize("password", ["pässwörd", "пароль", "密码"])
def test_a_non_ascii_password_opens_the_post(api, db, password):
    post = make_post("Locked", body="<p>The secret text.</p>", password=password)
    shown = api.get(f"posts/{post.pk}", {"password": password})
    assert shown.status_code == 200
    assert "The secret text." in shown.json()["content"]["rendered"]


@pytest.mark.parametrize("guess", ["hünter2", "pässword"])
def test_a_non_ascii_guess_is_refused(api, db, guess):
    post = make_post("Locked", body="<p>The secret text.</p>", password="pässwörd")
    assert_wp_error(api.get(f"posts/{post.pk}", {"password": guess}), 403, "rest_post_incorrect_password")
