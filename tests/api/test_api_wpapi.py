"""A real WordPress client against a running Byline: the npm package `wpapi`, run by Node.js.

It discovers the API from the home page's Link header, lists posts, filters them by slug and
by category, creates a post with an application password, reads it back and updates it.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from byline.api.passwords import create_app_password
from byline.content.models import Post
from byline.content.services import create_user
from tests.factories import CategoryFactory, make_post

NODE_DIR = Path(__file__).parent / "node"


def node_ready() -> bool:
    """wpapi installed from the committed package-lock.json (`npm ci`) the first time."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return False
    if not (NODE_DIR / "node_modules" / "wpapi").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=NODE_DIR,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return True


@pytest.mark.django_db(transaction=True)
def test_wpapi_lists_filters_creates_reads_and_updates(live_server):
    if not node_ready():
        pytest.skip("Node.js and npm are needed for the real-client test")
    harbour = CategoryFactory(name="Harbour", slug="harbour")
    writer = create_user("mara", email="mara@example.org", role="author")
    make_post("Night buses return", author=writer)
    cranes = make_post("The cranes come down", author=writer, categories=[harbour])
    make_post("Tide tables", author=writer, categories=[harbour])
    _record, password = create_app_password(writer, "wpapi")

    result = subprocess.run(
        ["node", "client.js", live_server.url + "/", "mara", password, str(harbour.pk), cranes.slug],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)

    assert seen["endpoint"] == live_server.url + "/wp-json/"
    assert len(seen["listed"]) == 2 and seen["total"] == 3 and seen["totalPages"] == 2
    assert seen["bySlug"] == [cranes.slug]
    assert all(harbour.pk in p["categories"] for p in seen["byCategory"]) and len(seen["byCategory"]) == 2

    created = Post.objects.get(pk=seen["created"]["id"])
    assert seen["created"]["status"] == "publish" and seen["created"]["title"] == "Written by wpapi"
    assert created.author == writer and list(created.categories.all()) == [harbour]
    assert seen["readBack"]["title"] == "Written by wpapi" and seen["readBack"]["categories"] == [harbour.pk]
    assert "Sent from Node.js" in seen["readBack"]["content"]
    assert seen["updated"]["title"] == "Edited by wpapi" and seen["again"]["title"] == "Edited by wpapi"
    created.refresh_from_db()
    assert created.title == "Edited by wpapi"

    assert seen["forged"] == {"code": "incorrect_password", "status": 401}
    assert not Post.objects.filter(title="Should not exist").exists()
