"""Answers that every page of the site shares, remembered by each process until the site changes.

Every page read the site's options, checked for scheduled posts that are due and listed the
menu's pages: three queries whose answers change only when the site does, about a quarter
of a plain page's time. Every such change sends `site_changed`, and the page cache
(`byline.site.pagecache`) answers it by replacing its *generation*: a token every process of
the site reads the same (a file in the data dir, or Redis when `cache_url` is set, the only
way to run several nodes). An answer is remembered under the generation that was current
*before* it was computed, and used only while that generation is: a change replaces the
generation at once and again when its transaction commits, so an answer computed from rows
that were not yet committed is never used after the commit, on any process or node.

What is remembered is shared by the threads of a process: callers treat it as read-only.
When the generation cannot be read, or the setting `BYLINE_SITEWIDE_MEMO` is off (tests that
write rows behind the services' back), every answer is computed afresh.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import transaction

T = TypeVar("T")

_source: Callable[[], str | None] | None = None
_remembered: dict[str, tuple[str, object]] = {}
_request = threading.local()


def use_generation(source: Callable[[], str | None]) -> None:
    """Name the function that reads the site's current generation (the site app does, at start)."""
    global _source  # noqa: PLW0603 - set once, when the apps are ready
    _source = source


def request_started(**_kwargs) -> None:
    """A request reads the generation once, at its first remembered answer (connected in the site app)."""
    _request.generation, _request.in_request = None, True


def request_finished(**_kwargs) -> None:
    _request.in_request = False


def site_changed(**_kwargs) -> None:
    """A request that changes the site reads the generation again after the change, and again
    after its commit (connected after the page cache's listener, which replaces it)."""
    _request.generation = None
    transaction.on_commit(_read_again, robust=True)


def _read_again() -> None:
    _request.generation = None


def _enabled() -> bool:
    if _source is None or not getattr(settings, "BYLINE_SITEWIDE_MEMO", False):
        return False
    # Several nodes without Redis have no generation in common: nothing is remembered.
    return bool(getattr(settings, "BYLINE_CACHE_URL", "")) or getattr(settings, "BYLINE_NODES", 1) <= 1


def generation() -> str | None:
    """The site's generation (read once per request, again after a change), or None."""
    if _source is None:
        return None
    if not getattr(_request, "in_request", False):
        return _source()
    if _request.generation is None:
        _request.generation = _source()
    return _request.generation


def remembered(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, or what it answered earlier in this process if the site has not changed since."""
    if not _enabled():
        return compute()
    current = generation()  # read before computing: see the module's docstring
    if current is None:
        return compute()
    found = _remembered.get(name)
    if found is not None and found[0] == current:
        return found[1]  # type: ignore[return-value]
    value = compute()
    _remembered[name] = (current, value)
    return value


def forget() -> None:
    """Drop every remembered answer of this process (tests)."""
    _remembered.clear()
