"""Application passwords: create, check, revoke (WordPress's WP_Application_Passwords).

The clear password is shown once, when it is made; only Django's hash is kept. As in
WordPress it is 24 letters and digits, shown in groups of four, and accepted with or
without the spaces.
"""

from __future__ import annotations

import re
import secrets
import string
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ApplicationPassword

User = get_user_model()
ALPHABET = string.ascii_letters + string.digits
LENGTH = 24
# WordPress records use at most once a day, to spare the database a write per request.
USAGE_RESOLUTION = timedelta(days=1)
_DUMMY_HASH = make_password(None)


def chunked(password: str) -> str:
    """'abcdefgh…' as 'abcd efgh …', the way WordPress shows it."""
    return " ".join(password[i : i + 4] for i in range(0, len(password), 4))


def create_app_password(user, name: str) -> tuple[ApplicationPassword, str]:
    """A new application password for `user`; returns the record and the clear password (shown once)."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": "An application password needs a label of 1 to 200 characters."})
    if not user.is_active:
        raise ValidationError({"user": "That user is not active."})
    clear = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    with transaction.atomic():
        record = ApplicationPassword.objects.create(user=user, name=name, password=make_password(clear))
    return record, chunked(clear)


def revoke_app_password(record: ApplicationPassword) -> None:
    """Forget an application password: the client using it is refused from its next request."""
    record.delete()


def authenticate(username: str, password: str, *, ip: str | None = None):
    """The active user whose application password this is, else None.

    Only application passwords are accepted here, never the account's own password.
    """
    clear = re.sub(r"[^A-Za-z0-9]", "", password or "")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or len(clear) != LENGTH:
        check_password(clear, _DUMMY_HASH)  # as long as a real check: no probing for user names
        return None
    for record in ApplicationPassword.objects.filter(user=user):
        if check_password(clear, record.password):
            _record_use(record, ip)
            return user
    return None


def _record_use(record: ApplicationPassword, ip: str | None) -> None:
    now = timezone.now()
    if record.last_used and now - record.last_used < USAGE_RESOLUTION and record.last_ip == ip:
        return
    ApplicationPassword.objects.filter(pk=record.pk).update(last_used=now, last_ip=ip)
