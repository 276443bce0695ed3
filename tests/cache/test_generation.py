"""The generation: read before the view reads rows, bumped again at commit, and told to a CDN."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.test import Client

from byline.content import services
from byline.content.models import Post
from byline.options.store import set_option
from byline.site import pagecache, queries
from byline.site.pagecache import HEADER
from tests.cache.pages import text_of, warm
from tests.cache.purge_recorder import PURGES

pytestmark = pytest.mark.django_db


def current_generation() -> str:
    return pagecache._lookup("nothing")[0]


def test_a_page_rendered_from_rows_older_than_a_change_is_not_served_after_it(post, url, monkeypatch):
    """A reader's render that read the post just before an editor saved it must not be kept."""
    real = queries.single_post

    def read_then_someone_edits(address):
        found = real(address)
        if found is not None and found.title == "Talk of the town":
            edited = Post.objects.get(pk=found.pk)
            edited.title = "Talk of the whole town"
            services.save_post(edited)  # the editor's request returns here
        return found

    monkeypatch.setattr(queries, "single_post", read_then_someone_edits)
    slow = Client().get(url)
    assert "Talk of the town" in text_of(slow)  # rendered from the rows it read
    monkeypatch.setattr(queries, "single_post", real)
    after = Client().get(url)  # the same address: the post's slug did not change
    assert after[HEADER] == "miss"
    assert "Talk of the whole town" in text_of(after)


def test_a_change_inside_a_transaction_outdates_pages_again_when_it_commits(
    post, django_capture_on_commit_callbacks
):
    before = current_generation()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        set_option("blogname", "Inside a transaction")
        during = current_generation()
    after = current_generation()
    assert len({before, during, after}) == 3


def test_the_purge_hook_names_a_callable(post, settings, django_capture_on_commit_callbacks):
    PURGES.clear()
    settings.BYLINE_PAGE_CACHE_PURGE = "tests.cache.purge_recorder.record"
    with django_capture_on_commit_callbacks(execute=True):  # the hook runs once the change commits
        set_option("blogname", "Purged")
    assert PURGES == ["option blogname"]


@pytest.fixture
def purge_listener():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/purge", received
    server.shutdown()
    server.server_close()


def test_the_purge_hook_posts_to_a_url(post, settings, purge_listener, django_capture_on_commit_callbacks):
    address, received = purge_listener
    settings.BYLINE_PAGE_CACHE_PURGE = address
    with django_capture_on_commit_callbacks(execute=True):
        set_option("blogname", "Purged by URL")
    assert received == [{"purge": "all", "reason": "option blogname"}]


def test_a_purge_hook_that_fails_never_fails_the_change(
    client, post, settings, caplog, django_capture_on_commit_callbacks
):
    from tests.live import free_port

    settings.BYLINE_PAGE_CACHE_PURGE = f"http://127.0.0.1:{free_port()}/nobody-listens"
    warm(client, "/")
    with django_capture_on_commit_callbacks(execute=True):
        set_option("blogname", "Changed all the same")
    assert "Changed all the same" in text_of(client.get("/"))
    assert "purge hook" in caplog.text
