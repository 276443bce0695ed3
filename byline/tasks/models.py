"""What a long task has done so far, for the desk to show while it runs.

django-tasks stores the task itself (arguments, status, attempts, error); a progress bar needs
counts that change while the task runs, which its row has no place for.
"""

from django.db import models


class TaskProgress(models.Model):
    """Counts done and expected of one task (`task_id` is django-tasks' result id)."""

    task_id = models.UUIDField(primary_key=True)
    # {"posts": 120, "comments": 800, "photos": 3}, and the same keys in `total`.
    done = models.JSONField(default=dict)
    total = models.JSONField(default=dict)
    stage = models.CharField(max_length=200, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "task progress"

    def __str__(self):
        return f"progress of task {self.task_id}"

    @property
    def fraction(self) -> float:
        """Share of the work done, 0 to 1: everything counted, every kind alike."""
        total = sum(self.total.values())
        if not total:
            return 0.0
        return min(1.0, sum(min(self.done.get(k, 0), v) for k, v in self.total.items()) / total)
