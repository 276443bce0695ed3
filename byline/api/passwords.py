"""Application passwords: create, check, revoke (WordPress's WP_Application_Passwords).

The clear password is shown once, when it is made; only Django's hash is kept. As in
WordPress it is 24 letters and digits, shown in groups of four, and accepted with or
without the spaces.

Checking one costs at most one slow hash. Beside each hash a keyed lookup (an HMAC of the
clear password under a key derived from the site's secret) finds the one row to check, so
a user's ten passwords cost what one does, and a wrong password costs one hash (a dummy
one when no row matches, so the answer takes as long). A password verified in the last
few minutes is remembered in the shared cache under its lookup, so a client's next
requests cost no hash at all; revoking the password forgets it at once on every node.
"""

from __future__ import annotations

import re
import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import ApplicationPassword

User = get_user_model()
ALPHABET = string.ascii_letters + string.digits
LENGTH = 24
# WordPress records use at most once a day, to spare the database a write per request.
USAGE_RESOLUTION = timedelta(days=1)
_DUMMY_HASH = make_password(None)
# How long a verified password is remembered (seconds): long enough that a client's burst of
# requests pays one hash, short enough that a password changed elsewhere is not trusted long.
VERIFIED_FOR = 300
_LOOKUP_SALT = "byline.api.passwords.lookup"
_VERIFIED_SALT = "byline.api.passwords.verified"


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
        record = ApplicationPassword.objects.create(
            user=user, name=name, password=make_password(clear), lookup=lookup_key(clear)
        )
    return record, chunked(clear)


def revoke_app_password(record: ApplicationPassword) -> None:
    """Forget an application password: the client using it is refused from its next request."""
    if record.lookup:
        caches["shared"].delete(_verified_cache_key(record.lookup))
    record.delete()


def lookup_key(clear: str, secret: str | None = None) -> str:
    """The keyed lookup of a clear password: finds its row without a slow hash.

    The passwords are 24 random letters and digits (about 143 bits), so a fast keyed hash
    reveals nothing useful even to someone holding both the database and the site's key.
    """
    return salted_hmac(_LOOKUP_SALT, clear, secret=secret, algorithm="sha256").hexdigest()


def authenticate(username: str, password: str, *, ip: str | None = None):
    """The active user whose application password this is, else None.

    Only application passwords are accepted here, never the account's own password. Costs
    one slow hash at most, none for a password verified in the last VERIFIED_FOR seconds.
    """
    clear = re.sub(r"[^A-Za-z0-9]", "", password or "")
    if len(clear) != LENGTH:
        check_password(clear, _DUMMY_HASH)  # as long as a real check: no probing for user names
        return None
    # The current key first, then SECRET_KEY_FALLBACKS: rotating the site key keeps clients working.
    lookups = [lookup_key(clear, key) for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
    record = (
        ApplicationPassword.objects.select_related("user")
        .filter(user__username=username, user__is_active=True, lookup__in=lookups)
        .first()
    )
    if record is None:
        record = _unkeyed_match(username, clear)
        if record is None:
            return None
    elif _remembered(record):
        _record_use(record, ip)
        return record.user  # no hash, no write: the common case of a busy client
    elif not check_password(clear, record.password):
        return None
    if record.lookup != lookups[0]:
        record.lookup = lookups[0]
        ApplicationPassword.objects.filter(pk=record.pk).update(lookup=record.lookup)
    _remember(record)
    _record_use(record, ip)
    return record.user


def _unkeyed_match(username: str, clear: str) -> ApplicationPassword | None:
    """The row this password opens among rows made before lookups existed (they have none).

    A one-time fallback: each such row costs a hash until its first successful use, when it
    gets its lookup. With no such row, one dummy hash, so a miss takes as long as a check.
    """
    rows = list(
        ApplicationPassword.objects.select_related("user").filter(
            user__username=username, user__is_active=True, lookup=""
        )
    )
    if not rows:
        check_password(clear, _DUMMY_HASH)
        return None
    for row in rows:
        if check_password(clear, row.password):
            return row
    return None


def _verified_cache_key(lookup: str) -> str:
    return "app-password-verified:" + lookup


def _fingerprint(record: ApplicationPassword) -> str:
    # Bound to the row's hash and the account's own password hash: a changed row or a changed
    # account password makes the remembered check worthless, and the next request hashes again.
    text = f"{record.pk}:{record.password}:{record.user.password}"
    return salted_hmac(_VERIFIED_SALT, text, algorithm="sha256").hexdigest()


def _remembered(record: ApplicationPassword) -> bool:
    cached = caches["shared"].get(_verified_cache_key(record.lookup))
    return isinstance(cached, str) and constant_time_compare(cached, _fingerprint(record))


def _remember(record: ApplicationPassword) -> None:
    caches["shared"].set(_verified_cache_key(record.lookup), _fingerprint(record), VERIFIED_FOR)


def _record_use(record: ApplicationPassword, ip: str | None) -> None:
    now = timezone.now()
    if record.last_used and now - record.last_used < USAGE_RESOLUTION and record.last_ip == ip:
        return
    ApplicationPassword.objects.filter(pk=record.pk).update(last_used=now, last_ip=ip)
