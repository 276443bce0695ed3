"""A full disk under the media folder, during an upload from the desk and during an import with
photos: the writer is told the folder is full, and nothing is half-saved (no row, no file, not
even a truncated one).

The media folder is a 1 MiB tmpfs filled up to its last few kilobytes (mounted here, as root);
where mounting is not allowed, `byline` runs under a file-size limit instead (RLIMIT_FSIZE:
writes past it fail with EFBIG, as a full disk fails them with ENOSPC). The site runs on a
PostgreSQL cluster and a Redis of the test's own.
"""

import io
import os
import re
import resource
import signal
import subprocess
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.ops.servers import BYLINE, Postgres, Redis, byline, clean_env, node

pytestmark = [pytest.mark.faults, pytest.mark.xdist_group("faults")]

ROOM = 48 * 1024  # what is left on the tmpfs: less than one photo, more than nothing
# Without a tmpfs: the largest file `byline` may write. It must let the server start (its
# largest static file, a 2.3 MB source map, is collected at start) and stay under Django's
# in-memory upload size (5 MB), so that the photo's own file is the one that meets it.
LIMIT = 3 * 1024 * 1024
OLD = "https://old.example.org/wp-content/uploads"


def photo(side: int, seed: int = 1) -> bytes:
    """A JPEG of noise (noise does not compress): side 300 is about 100 KB, 1800 3.8 MB, 40 a few."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


class FullDisk:
    """A media folder with `ROOM` bytes left, on a tmpfs; or, without one, a file-size limit."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir()
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(folder)],
            capture_output=True,
            check=False,
        )
        self.tmpfs = mounted.returncode == 0
        self.problem = "it is full" if self.tmpfs else "File too large"
        # A photo that does not fit (about 100 KB against 48 KB left; 3.8 MB against the limit).
        self.too_big = 300 if self.tmpfs else 1800
        self.before: set[str] = set()

    def fill(self):
        """Take all but `ROOM` bytes (the site's own files, such as the demo's photos, stay)."""
        self.before = self.files()
        if self.tmpfs:
            stat = os.statvfs(self.folder)
            (self.folder / ".filler").write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize - ROOM))

    def preexec(self):
        """For the server: nothing on a tmpfs; else the file-size limit (SIGXFSZ ignored, so a
        write past it fails with EFBIG instead of killing the process)."""
        if self.tmpfs:
            return None

        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

        return limit

    def files(self) -> set[str]:
        """The files in the media folder that were not there before it was filled."""
        found = {p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file()}
        return found - {".filler"} - self.before

    def free_up(self):
        if self.tmpfs:
            (self.folder / ".filler").unlink()

    def remove(self):
        if self.tmpfs:
            subprocess.run(["umount", str(self.folder)], check=False, capture_output=True)


@pytest.fixture
def services(tmp_path):
    pg, redis, disk = Postgres(), Redis(), FullDisk(tmp_path / "media")
    pg.start()
    redis.start()
    yield pg, redis, disk
    disk.remove()
    redis.stop()
    pg.destroy()


def _sign_in(base: str, site: Path) -> requests.Session:
    session = requests.Session()
    form = session.get(base + "/wp-login.php", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    password = (site / "admin-password.txt").read_text().strip()
    r = session.post(
        base + "/wp-login.php",
        data={"username": "admin", "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/wp-login.php"},
        allow_redirects=False,
        timeout=10,
    )
    assert r.status_code == 302, r.text[:500]
    return session


def _upload(session, base, name, data):
    return session.post(
        base + "/wp-admin/async-upload.php",
        files={"async-upload": (name, data, "image/jpeg")},
        headers={
            "Accept": "application/json",
            "X-CSRFToken": session.cookies["csrftoken"],
            "Referer": base + "/wp-admin/upload.php",
        },
        timeout=30,
    )


def test_an_upload_onto_a_full_disk_says_so_and_saves_nothing(tmp_path, services):
    pg, redis, disk = services
    env = clean_env(BYLINE_DATABASE_URL=pg.url, BYLINE_CACHE_URL=redis.url, BYLINE_MEDIA_DIR=str(disk.folder))
    site = tmp_path / "site"
    byline("init", "--demo", "--data", str(site), env=env)
    disk.fill()
    media_before = pg.query("SELECT count(*) FROM byline_media")[0][0]
    with node(site, env, log_path=tmp_path / "serve.log", preexec_fn=disk.preexec()) as (base, _):
        session = _sign_in(base, site)
        r = _upload(session, base, "harbour-at-dawn.jpg", photo(disk.too_big))
        assert r.status_code == 400, r.text[:500]
        error = r.json()["error"]
        assert error.startswith("harbour-at-dawn.jpg: The photo could not be stored:")
        assert f"the media folder {disk.folder} is unusable" in error and disk.problem in error
        assert "Nothing was saved" in error
        assert pg.query("SELECT count(*) FROM byline_media")[0][0] == media_before
        assert disk.files() == set()  # not even the first part of the file

        # Room again (or, under a size limit, a photo that fits): the upload goes through.
        disk.free_up()
        r = _upload(session, base, "harbour-at-dawn.jpg", photo(300 if disk.tmpfs else 40))
        assert r.status_code == 201, r.text[:500]
        assert pg.query("SELECT count(*) FROM byline_media")[0][0] == media_before + 1
        assert disk.files()
        log = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in log


def _export(uploads: Path, side: int) -> Path:
    (uploads / "2019" / "05").mkdir(parents=True)
    (uploads / "2019" / "05" / "bell.jpg").write_bytes(photo(side))
    items = (
        f"<item><title>bell</title><guid>{OLD}/2019/05/bell.jpg</guid><wp:post_id>7</wp:post_id>"
        "<wp:post_date>2019-05-01 10:00:00</wp:post_date>"
        "<wp:post_date_gmt>2019-05-01 10:00:00</wp:post_date_gmt>"
        "<wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>"
        f"<wp:attachment_url>{OLD}/2019/05/bell.jpg</wp:attachment_url></item>\n"
        "<item><title>Harbour bells</title><guid>https://old.example.org/?p=1</guid><wp:post_id>1</wp:post_id>"
        f'<content:encoded><![CDATA[<p>The bell.</p><img src="{OLD}/2019/05/bell.jpg" alt="Bell">]]>'
        "</content:encoded><wp:post_date>2019-05-02 10:00:00</wp:post_date>"
        "<wp:post_date_gmt>2019-05-02 10:00:00</wp:post_date_gmt><wp:post_name>harbour-bells</wp:post_name>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>\n"
    )
    path = uploads.parent / "export.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
        "<link>https://old.example.org</link><wp:wxr_version>1.2</wp:wxr_version>\n"
        + items
        + "</channel>\n</rss>\n"
    )
    return path


def test_an_import_onto_a_full_disk_names_the_problem_and_keeps_the_old_addresses(tmp_path, services):
    pg, redis, disk = services
    env = clean_env(BYLINE_DATABASE_URL=pg.url, BYLINE_CACHE_URL=redis.url, BYLINE_MEDIA_DIR=str(disk.folder))
    site = tmp_path / "site"
    byline("init", "--data", str(site), env=env)
    disk.fill()
    export = _export(tmp_path / "uploads", disk.too_big)
    argv = [BYLINE, "import-wxr", str(export), "--media-dir", str(tmp_path / "uploads"), "--data", str(site)]
    result = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=120, preexec_fn=disk.preexec(), check=False
    )
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    # The report names the photo, the folder and what is wrong with it.
    assert "bell" in out and f"the media folder {disk.folder} is unusable" in out and disk.problem in out
    assert "Traceback" not in out
    assert disk.files() == set()  # no file, whole or cut short
    # The post came over; the photo is a media item that keeps its old address, with no file.
    assert pg.query("SELECT title FROM byline_post WHERE slug = 'harbour-bells'") == [("Harbour bells",)]
    assert pg.query("SELECT original_url, file FROM byline_media") == [(f"{OLD}/2019/05/bell.jpg", "")]
    # Room again: the same import run once more brings the photo in under the same id, and the
    # post's body points at the stored file instead of the old site.
    disk.free_up()
    (media_id,) = pg.query("SELECT id FROM byline_media")[0]
    again = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    [(same_id, stored)] = pg.query("SELECT id, file FROM byline_media")
    assert same_id == media_id and stored.endswith(".jpg") and (disk.folder / stored).is_file()
    [(body,)] = pg.query("SELECT body FROM byline_post WHERE slug = 'harbour-bells'")
    assert f"{OLD}/2019/05/bell.jpg" not in body and f"/media/{stored}" in body
