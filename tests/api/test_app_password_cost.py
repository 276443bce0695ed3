"""What checking an application password costs: one slow hash at most, none when recently verified.

The hasher is counted, not timed: `check_password` calls are what cost a quarter second each
at full strength (bench/app_passwords.py measures the milliseconds).
"""

import pytest
from django.contrib.auth import hashers
from django.core.cache import caches
from django.test import override_settings

from byline.api import passwords
from byline.api.models import ApplicationPassword
from byline.api.passwords import create_app_password, revoke_app_password
from byline.content.services import create_user
from tests.api.api_helpers import assert_wp_error
from tests.api.test_api_auth import basic

pytestmark = pytest.mark.django_db


@pytest.fixture
def hashes(monkeypatch):
    """How many slow hash checks the requests made."""
    calls = []
    real = hashers.check_password

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(passwords, "check_password", counting)
    return calls


@pytest.fixture
def writer():
    user = create_user("mara", email="mara@example.org", role="author")
    clears = [create_app_password(user, f"client {i}")[1] for i in range(10)]
    return user, clears


def me(client, username, password):
    return client.get("/wp-json/wp/v2/users/me", **basic(username, password))


def test_ten_passwords_cost_one_hash_then_none(client, writer, hashes):
    _user, clears = writer
    assert me(client, "mara", clears[-1]).json()["slug"] == "mara"
    assert len(hashes) == 1  # the newest of ten: found by its lookup, not by hashing nine others
    for _ in range(5):
        assert me(client, "mara", clears[-1]).status_code == 200
    assert len(hashes) == 1  # remembered: no hash at all


@pytest.mark.parametrize(
    "username,password",
    [
        ("mara", "abcd efgh ijkl mnop qrst uvwx"),  # wrong password, right user with ten
        ("ghost", "abcd efgh ijkl mnop qrst uvwx"),  # no such user
        ("mara", "short"),  # not even the shape of one
    ],
)
def test_a_wrong_password_costs_exactly_one_hash(client, writer, hashes, username, password):
    assert_wp_error(me(client, username, password), 401, "incorrect_password")
    assert len(hashes) == 1


def test_revoking_forgets_the_remembered_check(client, writer, hashes):
    user, clears = writer
    assert me(client, "mara", clears[0]).status_code == 200
    revoke_app_password(ApplicationPassword.objects.filter(user=user).first())
    assert_wp_error(me(client, "mara", clears[0]), 401, "incorrect_password")
    assert me(client, "mara", clears[1]).status_code == 200  # the others still work


def test_a_remembered_check_is_dropped_when_the_account_password_changes(client, writer, hashes):
    user, clears = writer
    assert me(client, "mara", clears[0]).status_code == 200
    user.set_password("a new account password")
    user.save()
    assert me(client, "mara", clears[0]).status_code == 200  # still valid, as in WordPress …
    assert len(hashes) == 2  # … but checked again


def test_a_deactivated_user_is_refused_even_when_remembered(client, writer):
    user, clears = writer
    assert me(client, "mara", clears[0]).status_code == 200
    user.is_active = False
    user.save()
    assert_wp_error(me(client, "mara", clears[0]), 401, "incorrect_password")


def test_the_cache_holds_no_password(client, writer):
    _user, clears = writer
    me(client, "mara", clears[0])
    row = ApplicationPassword.objects.get(lookup=passwords.lookup_key(clears[0].replace(" ", "")))
    key = "app-password-verified:" + row.lookup
    stored = caches["shared"].get(key)
    assert stored and clears[0].replace(" ", "") not in stored and row.password not in stored


def test_rows_made_before_lookups_get_one_on_first_use(client, writer, hashes):
    user, clears = writer
    ApplicationPassword.objects.update(lookup="")  # as a row from before the lookup column
    assert me(client, "mara", clears[2]).status_code == 200
    row = ApplicationPassword.objects.exclude(lookup="").get()
    assert row.lookup == passwords.lookup_key(clears[2].replace(" ", ""))
    caches["shared"].clear()
    hashes.clear()
    assert me(client, "mara", clears[2]).status_code == 200
    assert len(hashes) == 1  # found by its lookup now


def test_a_rotated_site_key_keeps_clients_working(client, writer, settings):
    _user, clears = writer
    old = settings.SECRET_KEY
    with override_settings(SECRET_KEY="a brand new key " * 4, SECRET_KEY_FALLBACKS=[old]):
        assert me(client, "mara", clears[3]).status_code == 200
        row = ApplicationPassword.objects.get(lookup=passwords.lookup_key(clears[3].replace(" ", "")))
    assert row.lookup != passwords.lookup_key(clears[3].replace(" ", ""))  # rewritten under the new key
