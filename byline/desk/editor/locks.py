"""The post lock: who has a post open in the editor (WordPress's _edit_lock), kept in the cache.

A lock is refreshed by the editor's saves, autosaves and heartbeat (a beat a minute while the
page is open) and lapses after LOCK_SECONDS without one, so a closed tab frees the post on its own.
"""

from __future__ import annotations

import time

from django.core.cache import caches

from byline.content.services import display_name

LOCK_SECONDS = 150


def _key(post_id: int) -> str:
    return f"byline:post-lock:{post_id}"


def holder(post_id: int, user) -> str | None:
    """The display name of someone else editing the post now, or None."""
    lock = caches["shared"].get(_key(post_id))
    if not lock or lock["user"] == user.pk or time.time() - lock["at"] > LOCK_SECONDS:
        return None
    return lock["name"]


def take(post_id: int, user) -> None:
    """This user is editing the post now (on opening, saving, autosaving, a heartbeat, or taking over)."""
    caches["shared"].set(
        _key(post_id), {"user": user.pk, "name": display_name(user), "at": time.time()}, LOCK_SECONDS * 2
    )
