import pytest
from django.test import Client

from byline.content.services import create_user

PASSWORD = "harbour-light-77-quay"  # a test account's password


@pytest.fixture
def admin_client(db):
    """An administrator signed in through /wp-login.php, as a person would (works on PostgreSQL
    too, where force_login's address-less request cannot be logged by django-axes)."""
    create_user("owner", email="owner@example.org", role="administrator", password=PASSWORD)
    client = Client()
    answer = client.post("/wp-login.php", {"username": "owner", "password": PASSWORD})
    assert answer.status_code == 302, answer.content[:500]
    return client
