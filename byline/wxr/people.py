"""The export's authors as Byline users: matched by login, else created without a password.

WordPress's importer maps each `wp:author` to a user of the same login, creating it when
there is none; posts whose `dc:creator` names nobody in the author list get a user of that
login too (WXR 1.0 files have no author list). Byline does the same. Imported users can not
log in until someone sets a password (`byline manage changepassword`).
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from byline.content.models import Role
from byline.content.services import create_user

from .records import Author
from .report import ImportReport

User = get_user_model()

# Django's user names allow letters, digits and @ . + - _ ; WordPress's also allow spaces
# and a few more.
_NOT_IN_USERNAME = re.compile(r"[^\w.@+-]+")


def username_for(login: str) -> str:
    """A Django user name for a WordPress login: "Theme Admin" -> "Theme-Admin"."""
    name = _NOT_IN_USERNAME.sub("-", login.strip()).strip("-")
    return name[:150] or "wordpress"


class People:
    """Users by WordPress login and by WordPress user id, created as the file needs them."""

    def __init__(self, report: ImportReport, default_author=None):
        self.report = report
        self.by_login: dict[str, int] = {}
        self.by_username: dict[str, int] = {}
        self.by_wp_id: dict[int, int] = {}
        self.default_author = default_author

    def take(self, author: Author) -> None:
        """A wp:author record."""
        if author.problems:
            self.report.skip(author.line, f"author {author.login!r}", "; ".join(author.problems))
            return
        display = author.display_name or " ".join(
            part for part in (author.first_name, author.last_name) if part
        )
        pk = self._user(author.login, email=author.email, display_name=display, line=author.line)
        if author.wp_id is not None:
            self.by_wp_id.setdefault(author.wp_id, pk)

    def for_login(self, login: str, line: int) -> int:
        """The user id of a post's dc:creator, created if the file never introduced them."""
        login = login.strip()
        if not login:
            return self.fallback(line)
        pk = self.by_login.get(login)
        if pk is None:
            pk = self._user(login, email="", display_name="", line=line)
        return pk

    def fallback(self, line: int) -> int:
        """Who is credited with items that name no author: the importing user, else the first
        administrator (WordPress gives them to the user running the import)."""
        if self.default_author is None:
            self.default_author = (
                User.objects.filter(is_superuser=True).order_by("pk").first()
                or User.objects.order_by("pk").first()
            )
        if self.default_author is None:
            self.default_author = User.objects.get(pk=self._user("wordpress", "", "", line))
        return self.default_author.pk

    def _user(self, login: str, email: str, display_name: str, line: int) -> int:
        if login in self.by_login:
            return self.by_login[login]
        username = username_for(login)
        if username in self.by_username:  # "Ann" and ">Ann" in one file: one person
            self.by_login[login] = self.by_username[username]
            return self.by_username[username]
        existing = User.objects.filter(username=username).values_list("pk", flat=True).first()
        if existing is not None:
            self.report.existing["authors"] += 1
            pk = existing
        else:
            try:
                validate_email(email)
                if len(email) > 254:  # the user table's column
                    raise ValidationError("too long")
            except ValidationError:
                email = ""  # Ghost-made exports put names where emails go; keep the user
            try:
                user = create_user(
                    username, email=email, role=Role.AUTHOR, display_name=(display_name or login)[:250]
                )
            except ValidationError as refusal:
                self.report.note(
                    line, f"author {login!r}", f"{refusal.messages[0]} Their items go to another user."
                )
                pk = self.by_login[login] = self.fallback(line)
                return pk
            self.report.created["authors"] += 1
            if username != login:
                self.report.note(line, f"author {login!r}", f"user name {username!r} (Byline's user names)")
            pk = user.pk
        self.by_login[login] = self.by_username[username] = pk
        return pk
