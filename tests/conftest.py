import pytest
from django.core.cache import caches
from hypothesis import settings as hypothesis_settings
from PIL import Image

from byline.options import store

# Hypothesis's per-example deadline measures the machine, not Byline: on two busy cores an
# example that takes 20 ms alone can take 400. Tests bound their own work where it matters.
hypothesis_settings.register_profile("byline", deadline=None)
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


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*.html from what the theme renders now",
    )
