"""Importing with --media-dir: photos come over from a copy of wp-content/uploads."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from PIL import Image

from byline.content.models import Media, Post
from byline.wxr.loader import import_wxr
from byline.wxr.reader import WXRError

pytestmark = pytest.mark.django_db
OLD = "https://old.example.org/wp-content/uploads"


def jpeg(width=800, height=500) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def attachment(wp_id: int, path: str, attached_file: str | None = None) -> str:
    attached_file = attached_file if attached_file is not None else path
    return (
        f"<item><title>{path}</title><guid>{OLD}/{path}</guid><wp:post_id>{wp_id}</wp:post_id>"
        "<wp:post_date>2019-05-01 10:00:00</wp:post_date>"
        "<wp:post_date_gmt>2019-05-01 10:00:00</wp:post_date_gmt>"
        "<wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>"
        f"<wp:attachment_url>{OLD}/{path}</wp:attachment_url>"
        f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>{attached_file}</wp:meta_value>"
        "</wp:postmeta></item>\n"
    )


def export(*items: str, tail: str = "</channel>\n</rss>\n") -> bytes:
    body = (
        "<item><title>Harbour</title><guid>https://old.example.org/?p=1</guid><wp:post_id>1</wp:post_id>"
        "<content:encoded><![CDATA["
        f'<img src="{OLD}/2019/05/bell-300x188.jpg" alt="Bell">\n\n<a href="http://old.example.org/wp-content/'
        'uploads/2019/05/bell.jpg?w=1024">full size</a>]]></content:encoded>'
        "<wp:post_date>2019-05-02 10:00:00</wp:post_date>"
        "<wp:post_date_gmt>2019-05-02 10:00:00</wp:post_date_gmt>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>7</wp:meta_value></wp:postmeta>"
        "</item>\n"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
        "<link>https://old.example.org</link><wp:wxr_version>1.2</wp:wxr_version>\n"
        + "".join(items)
        + body
        + tail
    ).encode()


@pytest.fixture
def uploads(tmp_path):
    root = tmp_path / "uploads"
    (root / "2019" / "05").mkdir(parents=True)
    (root / "2019" / "05" / "bell.jpg").write_bytes(jpeg())
    (root / "2019" / "05" / "notes.jpg").write_bytes(b"this is no picture")
    (tmp_path / "secret.jpg").write_bytes(jpeg())
    return root


def stored_files() -> set[str]:
    root = settings.MEDIA_ROOT
    return (
        {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    )


def test_files_are_copied_thumbnailed_and_bodies_point_at_them(uploads):
    data = export(
        attachment(7, "2019/05/bell.jpg"),
        attachment(8, "2019/05/notes.jpg"),
        attachment(9, "2019/05/missing.jpg"),
        attachment(10, "2019/05/escape.jpg", attached_file="../../secret.jpg"),
    )
    report = import_wxr(io.BytesIO(data), media_dir=uploads, name="t.xml")

    bell = Media.objects.get(wp_id=7)
    assert bell.file.name == "2019/05/bell.jpg" and bell.width == 800
    assert bell.sizes and bell.original_url == f"{OLD}/2019/05/bell.jpg"
    assert report.media_files == 1
    for wp_id in (8, 9, 10):
        media = Media.objects.get(wp_id=wp_id)
        assert not media.file and media.url == media.original_url
    reasons = " ".join(p.reason for p in report.notes)
    assert "not an image Byline can read" in reasons and "not in the media folder" in reasons
    assert "1 media files imported from" in "\n".join(report.lines())

    post = Post.objects.get(wp_id=1)
    assert post.featured_image == bell
    assert f'src="{bell.file.url}"' in post.content_html
    assert f'href="{bell.file.url}"' in post.content_html
    assert OLD + "/2019/05/bell" not in post.content_html

    again = import_wxr(io.BytesIO(data), media_dir=uploads, name="t.xml")
    assert again.created["media"] == 0 and again.existing["media"] == 4


def test_a_refused_file_leaves_no_media_behind(uploads):
    data = export(attachment(7, "2019/05/bell.jpg"), tail="<item><title>cut")
    before = stored_files()
    with pytest.raises(WXRError):
        import_wxr(io.BytesIO(data), media_dir=uploads, name="t.xml")
    assert stored_files() == before
    assert not Media.objects.exists()


def test_a_dry_run_with_media_copies_nothing(uploads):
    report = import_wxr(
        io.BytesIO(export(attachment(7, "2019/05/bell.jpg"))), media_dir=uploads, dry_run=True
    )
    assert report.media_files == 1 and report.created["media"] == 1
    assert not Media.objects.exists() and stored_files() == set()
