"""An upload into a media folder that cannot be written: the author is told what is wrong with
the folder, and neither a row nor a file is left behind."""

import contextlib
import ctypes
import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from byline.content.models import Media

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}
NOBODY = 65534


@contextlib.contextmanager
def read_only(folder: Path):
    """The folder read-only for this thread; root ignores modes, so it gives up its file
    system privileges (setfsuid) for the duration."""
    folder.chmod(0o555)
    libc = ctypes.CDLL(None, use_errno=True)
    as_root = os.geteuid() == 0
    if as_root:
        # Python's own files under root's home become unreadable too: load what the request
        # path imports lazily (Django's response log escapes with this codec) beforehand.
        "".encode("unicode_escape")
        libc.setfsuid(NOBODY)
    try:
        yield
    finally:
        if as_root:
            libc.setfsuid(0)
        folder.chmod(0o755)


@pytest.fixture
def media_root(settings):
    folder = Path(tempfile.mkdtemp(prefix="byline-media-"))
    folder.chmod(0o755)
    settings.MEDIA_ROOT = str(folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def jpeg(name="harbour.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (800, 500), "#d98c5f").save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_a_read_only_media_folder_is_named_and_nothing_is_half_saved(signed_in, media_root):
    client, _ = signed_in("author", "ola")
    assert client.get("/wp-admin/upload.php").status_code == 200  # the server is up before the fault
    with read_only(media_root):
        r = client.post("/wp-admin/async-upload.php", {"async-upload": jpeg()}, **JSON)
    assert r.status_code == 400
    error = r.json()["error"]
    assert f"the media folder {media_root} is unusable" in error and "Permission denied" in error
    assert "Nothing was saved" in error
    assert Media.objects.count() == 0 and _files(media_root) == []
    # Once the folder is fixed, the same upload goes through.
    r = client.post("/wp-admin/async-upload.php", {"async-upload": jpeg()}, **JSON)
    assert r.status_code == 201 and Media.objects.count() == 1


def test_without_javascript_the_error_page_names_the_folder(signed_in, media_root):
    client, _ = signed_in("author", "ola")
    # The server is up before the fault, and its error page has been shown once: under the
    # fault, root reads as nobody, and a checkout in a private temporary directory (as CI
    # makes) would hide the templates too.
    r = client.post("/wp-admin/async-upload.php", {"async-upload": SimpleUploadedFile("notes.txt", b"hello")})
    assert r.status_code == 400 and "notes.txt" in r.content.decode()
    with read_only(media_root):
        r = client.post("/wp-admin/async-upload.php", {"async-upload": jpeg("quay.jpg")})
    assert r.status_code == 400
    page = r.content.decode()
    assert "quay.jpg" in page and str(media_root) in page and "Traceback" not in page
    assert Media.objects.count() == 0 and _files(media_root) == []
