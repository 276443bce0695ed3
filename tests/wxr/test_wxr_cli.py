"""`byline import-wxr` and `byline export-wxr`, and the admin's "Import from WordPress" page."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from byline.cli import main
from byline.content.models import Post
from byline.wxr.reader import Item, read_wxr
from tests.factories import UserFactory

TESTDATA = Path(__file__).resolve().parents[1] / "data" / "wxr"
SMALL = TESTDATA / "wordpress-importer" / "small-export.xml"
BROKEN = TESTDATA / "wordpress-importer" / "malformed-simple.xml"
BYLINE = str(Path(sys.executable).with_name("byline"))


@pytest.fixture
def data_dir(tmp_path):
    """What `require_site` looks for; the database is the test run's."""
    (tmp_path / "secret_key").write_text("test\n")
    return tmp_path


@pytest.mark.django_db
def test_import_prints_the_report_and_export_writes_wxr(data_dir, capsysbinary):
    assert main(["import-wxr", str(SMALL), "--data", str(data_dir)]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert out.startswith("Imported ") and "small-export.xml (WXR 1.1)" in out
    assert "  posts " in out and "  comments " in out
    assert Post.objects.exists()

    assert main(["export-wxr", "--data", str(data_dir), "--site-url", "https://blog.example.org"]) == 0
    exported = capsysbinary.readouterr().out
    assert exported.startswith(b'<?xml version="1.0" encoding="UTF-8" ?>')
    items = [r for r in read_wxr(io.BytesIO(exported)) if isinstance(r, Item)]
    assert {i.title for i in items} >= set(Post.objects.values_list("title", flat=True))


@pytest.mark.django_db
def test_a_broken_file_exits_non_zero_with_one_message(data_dir, capsys):
    assert main(["import-wxr", str(BROKEN), "--data", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "line 14:" in err and "ends too early" in err and "Nothing was imported." in err
    assert not Post.objects.exists()
    assert main(["import-wxr", str(data_dir / "nope.xml"), "--data", str(data_dir)]) == 2


@pytest.mark.django_db
def test_dry_run_from_the_command_line(data_dir, capsys):
    assert main(["import-wxr", str(SMALL), "--dry-run", "--data", str(data_dir)]) == 0
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert not Post.objects.exists()


def test_the_console_script_round_trips_a_real_data_dir(tmp_path):
    """As a site owner runs it: init, import (twice), export, a refused file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}

    def byline(*args):
        return subprocess.run(
            [BYLINE, *args, "--data", str(tmp_path)], capture_output=True, text=True, env=env, timeout=120
        )

    assert byline("init", "--url", "https://blog.example.org").returncode == 0
    first = byline("import-wxr", str(SMALL))
    assert first.returncode == 0, first.stderr
    assert "\x1b[" not in first.stdout + first.stderr  # no progress bar off a terminal
    again = byline("import-wxr", str(SMALL))
    assert "already there" in again.stdout
    refused = byline("import-wxr", str(BROKEN))
    assert refused.returncode == 2 and "line 14" in refused.stderr
    exported = byline("export-wxr")
    assert exported.returncode == 0 and "<wp:wxr_version>1.2</wp:wxr_version>" in exported.stdout
    assert "<wp:base_site_url>https://blog.example.org</wp:base_site_url>" in exported.stdout


# --- the admin page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_import_page_records_a_task_and_the_desk_shows_its_report(client, run_tasks):
    admin = UserFactory(username="owner", is_superuser=True)
    client.force_login(admin)
    index = client.get("/admin/").content.decode()
    assert "/admin/wxr/wordpressimport/" in index and "Import from WordPress" in index

    page = client.get("/admin/wxr/wordpressimport/")
    assert page.status_code == 200 and 'type="file"' in page.content.decode()

    upload = SimpleUploadedFile("blog.xml", SMALL.read_bytes(), content_type="text/xml")
    response = client.post("/admin/wxr/wordpressimport/", {"file": upload})
    assert response.status_code == 302 and response["Location"].startswith("/wp-admin/import.php?task=")
    assert not Post.objects.exists()  # the request only recorded the import
    assert "Pending" in client.get(response["Location"]).content.decode()
    run_tasks()
    html = client.get(response["Location"]).content.decode()
    assert "The import is finished." in html and "Imported" in html and "posts" in html
    assert Post.objects.exists()

    broken = SimpleUploadedFile("broken.xml", BROKEN.read_bytes())
    where = client.post("/admin/wxr/wordpressimport/", {"file": broken})["Location"]
    run_tasks()
    html = client.get(where).content.decode()
    assert "The import failed:" in html
    assert "broken.xml: line 14" in html and "Nothing was imported." in html


@pytest.mark.django_db
def test_only_superusers_may_import(client):
    editor = UserFactory(username="editor", is_staff=True)
    client.force_login(editor)
    assert client.get("/admin/wxr/wordpressimport/").status_code == 403
    upload = SimpleUploadedFile("blog.xml", SMALL.read_bytes())
    assert client.post("/admin/wxr/wordpressimport/", {"file": upload}).status_code == 403
    assert not Post.objects.exists()
    assert "wordpressimport" not in client.get("/admin/").content.decode()
