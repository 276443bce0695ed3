"""The background half of a cache purge: `site_changed` is answered at once where the change
was made; anything slow (telling other machines, a CDN) listens to `site_changed_later`,
which the worker sends.

Nothing is queued while nobody listens to `site_changed_later`. Changes coalesce: while one
purge task waits, further changes add none (it will run after them all).
"""

from __future__ import annotations

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from byline.signals import site_changed_later

from . import background, defer


@background(label="Cache purge", max_attempts=5, describe=lambda: "pages changed")
def purge_later() -> None:
    """Tell `site_changed_later`'s listeners that the site changed since the last purge."""
    site_changed_later.send(sender=None, reason="site changed")


def site_changed_receiver(sender, reason: str = "", **kwargs) -> None:
    if not site_changed_later.has_listeners():
        return
    waiting = DBTaskResult.objects.filter(task_path=purge_later.module_path, status=TaskResultStatus.READY)
    if not waiting.exists():
        defer(purge_later)
