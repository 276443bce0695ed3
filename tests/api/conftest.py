"""Fixtures of the REST API tests: readers, and users with WordPress roles and application passwords."""

import pytest

from byline.api.passwords import create_app_password
from byline.content.services import create_user
from tests.api.api_helpers import Api


@pytest.fixture
def api(client) -> Api:
    """Anonymous: a reader."""
    return Api(client)


def _user_api(client, username: str, role: str) -> Api:
    user = create_user(username, email=f"{username}@example.org", role=role, display_name=username.title())
    _record, password = create_app_password(user, "tests")
    return Api(client, user, password)


@pytest.fixture
def admin_api(client, db) -> Api:
    return _user_api(client, "ada", "administrator")


@pytest.fixture
def editor_api(client, db) -> Api:
    return _user_api(client, "eddie", "editor")


@pytest.fixture
def author_api(client, db) -> Api:
    return _user_api(client, "arthur", "author")


@pytest.fixture
def contributor_api(client, db) -> Api:
    return _user_api(client, "connie", "contributor")


@pytest.fixture
def subscriber_api(client, db) -> Api:
    return _user_api(client, "sue", "subscriber")
