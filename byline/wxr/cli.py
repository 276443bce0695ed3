"""`byline import-wxr FILE` and `byline export-wxr > site.xml` (see byline/cli.py, APP_COMMANDS)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def add_commands(sub, data_parent) -> dict:
    p = sub.add_parser(
        "import-wxr",
        parents=[data_parent],
        help="import a WordPress export (WXR) file: posts, pages, comments, media, authors",
    )
    p.add_argument("file", metavar="FILE", help="the .xml file from WordPress's Tools → Export")
    p.add_argument(
        "--media-dir",
        metavar="DIR",
        help="a copy of the old site's wp-content/uploads: its files are imported (else URLs are kept)",
    )
    p.add_argument("--dry-run", action="store_true", help="read and check everything, write nothing")
    p = sub.add_parser(
        "export-wxr",
        parents=[data_parent],
        help="write the site as a WordPress export (WXR 1.2) to standard output",
    )
    p.add_argument(
        "--site-url",
        metavar="URL",
        help="the site's address, for absolute links and media URLs (default: the siteurl option)",
    )
    return {"import-wxr": cmd_import, "export-wxr": cmd_export}


def cmd_import(args, data) -> None:
    from byline.cli import CommandError, require_site, setup_django

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path}: no such file.")
    media_dir = Path(args.media_dir) if args.media_dir else None
    if media_dir is not None and not media_dir.is_dir():
        raise CommandError(f"{media_dir}: no such folder (--media-dir wants a copy of wp-content/uploads).")
    require_site(data)
    setup_django()
    from byline.wxr.loader import import_wxr
    from byline.wxr.reader import WXRError

    try:
        with _progress(path.stat().st_size) as progress:
            report = import_wxr(path, media_dir=media_dir, dry_run=args.dry_run, progress=progress)
    except WXRError as error:
        raise CommandError(f"{path}: {error}. Nothing was imported.") from None
    print("\n".join(report.lines()))


class _progress:
    """A rich progress bar over the file's bytes, on a terminal only."""

    def __init__(self, size: int):
        self.size = size
        self.bar = None

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("Importing"), BarColumn(), DownloadColumn(), TimeRemainingColumn(), transient=True
        )
        self.bar.start()
        task = self.bar.add_task("import", total=self.size)
        return lambda done: self.bar.update(task, completed=done)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


def cmd_export(args, data) -> None:
    from byline.cli import CommandError, require_site, setup_django

    require_site(data)
    setup_django()
    from byline.wxr.exporter import export_wxr, site_address

    site_url = args.site_url or site_address()
    if not site_url:
        raise CommandError(
            "Byline does not know this site's address yet (it learns it from the first page it serves). "
            "Give it: byline export-wxr --site-url https://blog.example.org, or once for all: "
            "byline option set siteurl https://blog.example.org"
        )
    try:
        export_wxr(sys.stdout.buffer, site_url=site_url)
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # `byline export-wxr | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as Python's docs advise
