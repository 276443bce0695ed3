import pytest
from django.test import Client

from byline.content.services import create_user


@pytest.fixture
def admin_client(db):
    user = create_user("owner", email="owner@example.org", role="administrator", password="x" * 20)
    client = Client()
    client.force_login(user)
    return client
