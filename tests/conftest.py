import logging

import pytest
from django.core.cache import caches
from django.core.signals import got_request_exception
from hypothesis import settings as hypothesis_settings
from PIL import Image

from byline.options import store

# Hypothesis's per-example deadline measures the machine, not Byline: on two busy cores an
# example that takes 20 ms alone can take 400. Tests bound their own work where it matters.
# Derandomized, without a database of past failures: CI runs the examples a developer ran.
hypothesis_settings.register_profile("byline", deadline=None, derandomize=True, database=None)
hypothesis_settings.load_profile("byline")


@pytest.fixture(autouse=True)
def _fresh_state(settings, tmp_path, monkeypatch):
    """Every test starts with no remembered options, an empty cache and its own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Uploads set Pillow's process-wide pixel limit from BYLINE_MAX_IMAGE_PIXELS; a test that
    # lowers the setting must not leave the next test's images refused.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)
    store.forget()
    caches["default"].clear()
    caches["shared"].clear()
    yield
    store.forget()


@pytest.fixture
def demo(db):
    """The demo site of `byline init --demo`."""
    from byline.content.demo import install_demo
    from byline.content.models import Post

    install_demo()
    return Post.objects.get(slug="the-cranes-come-down")


class _ServerErrors(logging.Handler):
    """What the server log says about failed answers: django.request's ERROR records."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record):
        # 501 is WordPress's answer to a DELETE without force=true: meant, not a failure.
        if getattr(record, "status_code", 500) != 501:
            self.seen.append(record.getMessage())

    def exception(self, sender, request=None, **kwargs):
        self.seen.append(f"unhandled exception on {getattr(request, 'path', '?')}")


@pytest.fixture(autouse=True)
def _no_server_errors(request):
    """Fail any test during which the server answered 500 (or raised), unless it is marked
    `server_error_expected`: a 500 is a bug even when the test's own asserts pass."""
    watcher = _ServerErrors()
    log = logging.getLogger("django.request")
    log.addHandler(watcher)
    got_request_exception.connect(watcher.exception, weak=False)
    request.node.server_errors = watcher.seen  # what tests/test_server_errors.py looks at
    yield
    log.removeHandler(watcher)
    got_request_exception.disconnect(watcher.exception)
    if watcher.seen and request.node.get_closest_marker("server_error_expected") is None:
        pytest.fail("The server answered with an error during this test: " + "; ".join(watcher.seen[:5]))


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*.html from what the theme renders now",
    )


@pytest.fixture
def run_tasks(db, monkeypatch):
    """Run the background tasks that are due, in this process, as `byline worker --batch` does.

    The worker drops "old" connections between tasks; inside a test's transaction that would
    close the test's own (as Django's test client, which disconnects close_old_connections from
    its request signals, knows), so here it keeps it.
    """
    from django_tasks_db.management.commands import db_worker

    from byline.tasks.worker import run_due

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return run_due
