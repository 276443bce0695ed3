"""Users of each WordPress role, signed in through Django's test client."""

import pytest
from django.test import Client

from byline.content.services import create_user

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password


@pytest.fixture
def make_user(db):
    def make(role: str, name: str | None = None):
        return create_user(name or role, email=f"{name or role}@example.org", role=role, password=PASSWORD)

    return make


@pytest.fixture
def signed_in(make_user):
    """signed_in("editor") → (client, user): a test client signed in as a new user of that role."""

    def sign_in(role: str, name: str | None = None):
        user = make_user(role, name)
        client = Client()
        client.force_login(user)
        return client, user

    return sign_in
