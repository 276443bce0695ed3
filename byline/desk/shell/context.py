"""What every desk page shows around its content: the site's name, the menu, the pending count.

A template context processor, so the editor's pages (which extend desk/base.html) get the
same frame without asking. Everything is computed only when a template reads it.
"""

from __future__ import annotations

from django.utils.functional import cached_property

from byline.content import capabilities
from byline.options.store import get_option

from .queries import moderatable_comments


class DeskFrame:
    """The frame of one request's desk page; attributes are computed on first use."""

    def __init__(self, request):
        self.request = request
        self.user = getattr(request, "user", None)

    @cached_property
    def site_name(self) -> str:
        return get_option("blogname")

    @cached_property
    def pending_comments(self) -> int:
        from byline.comments.models import CommentStatus

        if not capabilities.signed_in(self.user):
            return 0
        return moderatable_comments(self.user).filter(status=CommentStatus.PENDING).count()

    @cached_property
    def menu(self) -> list[dict]:
        """(label, address, current?) for each menu entry this user may use."""
        path = self.request.path
        user = self.user
        items = [("Dashboard", "/wp-admin/", path in ("/wp-admin/", "/wp-admin/index.php"))]
        pages = self.request.GET.get("post_type") == "page"
        if capabilities.can_write_posts(user):
            items.append(
                (
                    "Posts",
                    "/wp-admin/edit.php",
                    path in ("/wp-admin/edit.php", "/wp-admin/post.php") and not pages,
                )
            )
            items.append(
                ("Write a post", "/wp-admin/post-new.php", path == "/wp-admin/post-new.php" and not pages)
            )
            items.append(
                ("Pages", "/wp-admin/edit.php?post_type=page", path.startswith("/wp-admin/") and pages)
            )
        if capabilities.can_upload(user):
            items.append(("Media", "/wp-admin/upload.php", path == "/wp-admin/upload.php"))
        if capabilities.can_write_posts(user):
            items.append(("Comments", "/wp-admin/edit-comments.php", path == "/wp-admin/edit-comments.php"))
        items.append(("Profile", "/wp-admin/profile.php", path == "/wp-admin/profile.php"))
        if capabilities.can_manage_options(user):
            items.append(("Import", "/wp-admin/import.php", path == "/wp-admin/import.php"))
            items.append(("Tasks", "/wp-admin/tasks.php", path == "/wp-admin/tasks.php"))
            items.append(("Settings", "/admin/", path.startswith("/admin/")))
        return [
            {
                "label": label,
                "url": url,
                "current": current,
                "count": self.pending_comments if label == "Comments" else None,
            }
            for label, url, current in items
        ]

    @cached_property
    def display_name(self) -> str:
        from byline.content.services import display_name

        return display_name(self.user) if capabilities.signed_in(self.user) else ""


def desk(request) -> dict:
    """The `desk` and `site_name` variables of every Django-rendered page (desk and admin)."""
    frame = DeskFrame(request)
    return {"desk": frame, "site_name": _Lazy(lambda: frame.site_name)}


class _Lazy:
    """A value read by a template only when printed (so the admin's pages pay nothing unused)."""

    def __init__(self, compute):
        self._compute = compute

    def __str__(self) -> str:
        return str(self._compute())

    def __html__(self) -> str:
        from django.utils.html import conditional_escape

        return str(conditional_escape(str(self)))
