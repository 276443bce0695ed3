"""Uploaded files served safely: the type read from the file's first bytes, never its name.

An upload called `photo.jpg` that holds HTML must not become a page of the site. Only the
image formats a browser shows inline are served as images; anything else goes out as
`application/octet-stream` with `Content-Disposition: attachment`, so the browser saves it
instead of rendering it. (SVG can carry script: it is an attachment too.)
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.http import content_disposition_header, http_date
from django.views.static import was_modified_since

OCTET_STREAM = "application/octet-stream"


def sniffed_image_type(head: bytes) -> str | None:
    """The image type of a file from its first 16 bytes, or None if it is no image we show."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:12] in (b"ftypavif", b"ftypavis"):
        return "image/avif"
    return None


def serve_media(request, path: str):
    """One uploaded file, or a 404; revalidation answers 304."""
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        target = (root / path).resolve()
        found = root in target.parents and target.is_file()
    except (ValueError, OSError):  # a NUL or an impossible path
        found = False
    if not found:
        raise Http404("No such file.")
    stat = target.stat()
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), int(stat.st_mtime)):
        return HttpResponseNotModified()
    handle = target.open("rb")
    kind = sniffed_image_type(handle.read(16))
    handle.seek(0)
    response = FileResponse(handle, content_type=kind or OCTET_STREAM)
    if kind is None:
        response["Content-Disposition"] = content_disposition_header(True, target.name)
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


class MediaMiddleware:
    """Answers GET and HEAD under /media/ before sessions, CSRF and URL routing run.

    It sits after the header middleware, so media get every header a page gets; skipping
    the rest makes a photo cost about half what the full stack costs (bench/media.py).
    A missing file falls through to the site's own 404 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = settings.MEDIA_URL

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path_info.startswith(self.prefix):
            try:
                return serve_media(request, request.path_info[len(self.prefix) :])
            except Http404:
                pass
        return self.get_response(request)
