"""Application passwords: made by the CLI, stored hashed, listed and revoked in the admin, and the
only credentials HTTP Basic accepts. Cookie sessions must show their CSRF token to write."""

import base64

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client

from byline import cli
from byline.api.models import ApplicationPassword
from byline.api.passwords import create_app_password, revoke_app_password
from byline.content.models import Post
from byline.content.services import create_user
from tests.api.api_helpers import Api, assert_wp_error


@pytest.fixture
def byline_cmd(tmp_path, monkeypatch, capsys, db):
    """`byline ARGS` in this process (the test database), returning its exit code and output."""
    (tmp_path / "secret_key").write_text("test\n")
    monkeypatch.setenv("BYLINE_DATA_DIR", str(tmp_path))

    def run(*args):
        code = cli.main([*args, "--data", str(tmp_path)])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def basic(username: str, password: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def test_cli_creates_lists_and_revokes(byline_cmd, client):
    create_user("mara", email="mara@example.org", role="author", password="a long pass phrase")
    code, out, _ = byline_cmd("app-password", "create", "mara", "Phone app")
    assert code == 0
    password = out.strip().splitlines()[-1]
    assert len(password.replace(" ", "")) == 24 and password.count(" ") == 5
    record = ApplicationPassword.objects.get()
    assert record.name == "Phone app" and record.user.username == "mara"
    assert password.replace(" ", "") not in record.password  # only the hash is kept
    assert check_password(password.replace(" ", ""), record.password)

    for typed in (password, password.replace(" ", "")):  # with or without WordPress's spaces
        response = client.get("/wp-json/wp/v2/users/me", **basic("mara", typed))
        assert response.status_code == 200 and response.json()["slug"] == "mara"
    record.refresh_from_db()
    assert record.last_used is not None and record.last_ip == "127.0.0.1"

    code, out, _ = byline_cmd("app-password", "list")
    assert str(record.uuid) in out and "Phone app" in out
    code, out, _ = byline_cmd("app-password", "revoke", str(record.uuid))
    assert code == 0 and not ApplicationPassword.objects.exists()
    assert_wp_error(
        client.get("/wp-json/wp/v2/users/me", **basic("mara", password)), 401, "incorrect_password"
    )


def test_cli_refusals(byline_cmd):
    code, _, err = byline_cmd("app-password", "create", "nobody", "Phone")
    assert code == 2 and "no user called 'nobody'" in err
    code, _, err = byline_cmd("app-password", "revoke", "not-a-uuid")
    assert code == 2 and "not a UUID" in err


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic !!!not-base64!!!",
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic " + base64.b64encode(b"ghost:abcd efgh ijkl mnop qrst uvwx").decode(),
    ],
)
def test_malformed_or_forged_credentials(client, db, authorization):
    response = client.get("/wp-json/wp/v2/posts", HTTP_AUTHORIZATION=authorization)
    assert_wp_error(response, 401, "incorrect_password")


def test_only_application_passwords_open_the_api(client, db):
    user = create_user("ed", email="ed@example.org", role="editor", password="account password 123")
    assert_wp_error(
        client.post(
            "/wp-json/wp/v2/posts",
            {"title": "x"},
            content_type="application/json",
            **basic("ed", "account password 123"),
        ),
        401,
        "incorrect_password",
    )
    _record, password = create_app_password(user, "Script")
    user.is_active = False
    user.save()
    assert_wp_error(client.get("/wp-json/wp/v2/users/me", **basic("ed", password)), 401, "incorrect_password")
    assert Post.objects.count() == 0


def test_revoked_password_is_refused(editor_api):
    record = ApplicationPassword.objects.get(user=editor_api.user)
    assert editor_api.get("users/me").status_code == 200
    revoke_app_password(record)
    assert_wp_error(editor_api.post("posts", {"title": "After revoking"}), 401, "incorrect_password")
    assert Post.objects.count() == 0


def test_basic_auth_writes_need_no_csrf_token(db):
    user = create_user("ed", email="ed@example.org", role="editor")
    _record, password = create_app_password(user, "Script")
    api = Api(Client(enforce_csrf_checks=True), user, password)
    assert api.post("posts", {"title": "By script"}).status_code == 201


def test_cookie_session_writes_need_the_csrf_token(db):
    user = create_user("ed", email="ed@example.org", role="editor")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get("/wp-json/wp/v2/users/me").json()["slug"] == "ed"  # reads need no token
    refused = browser.post("/wp-json/wp/v2/posts", {"title": "Forged"}, content_type="application/json")
    assert_wp_error(refused, 403, "rest_cookie_invalid_nonce")
    assert Post.objects.count() == 0
    token = "a" * 32
    browser.cookies["csrftoken"] = token
    for header in ("HTTP_X_CSRFTOKEN", "HTTP_X_WP_NONCE"):
        ok = browser.post(
            "/wp-json/wp/v2/posts",
            {"title": "Real"},
            content_type="application/json",
            HTTP_REFERER="http://testserver/admin/",
            **{header: token},
        )
        assert ok.status_code == 201, ok.content
    assert Post.objects.count() == 2


def test_admin_lists_and_revokes(client, db):
    boss = create_user("boss", email="boss@example.org", role="administrator", password="x")
    writer = create_user("mara", email="mara@example.org", role="author")
    record, _ = create_app_password(writer, "Laptop")
    client.force_login(boss)
    listing = client.get("/admin/api/applicationpassword/")
    assert listing.status_code == 200 and "Laptop" in listing.content.decode()
    assert client.get("/admin/api/applicationpassword/add/").status_code == 403
    revoked = client.post(
        "/admin/api/applicationpassword/",
        {"action": "revoke_selected", "_selected_action": [record.pk]},
    )
    assert revoked.status_code == 302
    assert not ApplicationPassword.objects.exists()


def test_labels_are_required(db):
    from django.core.exceptions import ValidationError

    user = create_user("mara", email="mara@example.org", role="author")
    with pytest.raises(ValidationError):
        create_app_password(user, "  ")
