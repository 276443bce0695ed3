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


@pytest.fixture
def cdn(settings):
    """A CDN purge hook configured as `page_cache_purge` in byline.toml would be at start-up."""

    def configure(target: str) -> None:
        settings.BYLINE_PAGE_CACHE_PURGE = target
        pagecache.connect_cdn()

    yield configure
    pagecache.disconnect_cdn()


def _purge_tasks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path="byline.tasks.purges.purge_later")


def test_the_purge_hook_names_a_callable_and_the_worker_calls_it(post, cdn, run_tasks):
    PURGES.clear()
    cdn("tests.cache.purge_recorder.record")
    set_option("blogname", "Purged")
    set_option("blogdescription", "Twice")
    # The writer did not wait for the CDN: one purge is recorded for the two changes...
    assert PURGES == [] and _purge_tasks().count() == 1
    run_tasks()
    assert PURGES == ["site changed"]  # ...and the worker made it.


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


def test_the_purge_hook_posts_to_a_url(post, cdn, purge_listener, run_tasks):
    address, received = purge_listener
    cdn(address)
    set_option("blogname", "Purged by URL")
    assert received == []
    run_tasks()
    assert received == [{"purge": "all", "reason": "site changed"}]


def test_a_purge_hook_that_fails_never_fails_the_change_and_is_tried_again(
    client, post, cdn, caplog, run_tasks
):
    from tests.live import free_port

    cdn(f"http://127.0.0.1:{free_port()}/nobody-listens")
    warm(client, "/")
    set_option("blogname", "Changed all the same")
    assert "Changed all the same" in text_of(client.get("/"))
    run_tasks()
    assert "purge hook" in caplog.text
    task = _purge_tasks().get()
    assert task.status == "READY"  # waits for its retry, with backoff
