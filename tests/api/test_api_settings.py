"""/wp/v2/settings: WordPress's setting names over Byline's declared options, for administrators."""

from byline.options.store import get_option
from tests.api.api_helpers import assert_wp_error


def test_administrators_read_and_write_options(admin_api):
    body = admin_api.get("settings").json()
    assert body["title"] == get_option("blogname") and body["posts_per_page"] == 10
    assert body["timezone"] == "UTC" and body["url"] == "http://testserver"
    assert body["comment_moderation"] is False  # every declared option, under its own name
    assert body["rest_allow_anonymous_comments"] is False
    changed = admin_api.post(
        "settings",
        {"title": "Quay Notes", "timezone": "Europe/Oslo", "posts_per_page": 15, "comment_moderation": True},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "Quay Notes"
    assert get_option("blogname") == "Quay Notes" and get_option("timezone_string") == "Europe/Oslo"
    assert get_option("posts_per_page") == 15 and get_option("comment_moderation") is True


def test_refused_values_change_nothing(admin_api):
    for body, bad in (
        ({"title": "Changed", "posts_per_page": 500}, "posts_per_page"),
        ({"title": "Changed", "timezone": "Mars/Olympus"}, "timezone"),
        ({"title": "Changed", "default_comment_status": "maybe"}, "default_comment_status"),
        ({"title": "Changed", "posts_per_page": "ten"}, "posts_per_page"),
        ({"title": "Changed", "language": "fr_FR"}, "language"),
        ({"title": "Changed", "favourite_colour": "blue"}, "favourite_colour"),
    ):
        error = assert_wp_error(admin_api.post("settings", body), 400, "rest_invalid_param")
        assert bad in error["data"]["params"]
    assert get_option("blogname") != "Changed"


def test_settings_are_for_administrators(api, editor_api):
    assert_wp_error(api.get("settings"), 401, "rest_forbidden")
    assert_wp_error(editor_api.get("settings"), 403, "rest_forbidden")
    assert_wp_error(editor_api.post("settings", {"title": "Mine"}), 403, "rest_forbidden")
