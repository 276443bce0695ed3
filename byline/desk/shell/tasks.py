"""The Tasks page (administrators): what the worker has waiting, running, failed and done, with
"Retry" on a failed task; and the status one task's page polls (the import's progress bar)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from byline.content import capabilities
from byline.tasks import queries
from byline.tasks.retry import retry_now

from .access import desk_view


def _task_id(value: str):
    import uuid

    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        raise Http404("No such task.") from None


@require_http_methods(["GET", "POST"])
@desk_view(needs=capabilities.can_manage_options)
def tasks_page(request):
    if request.method == "POST":
        task_id = _task_id(request.POST.get("task", ""))
        if retry_now(task_id):
            messages.success(request, "The task will run again as soon as the worker is free.")
        else:
            messages.error(request, "That task has not failed (it may be running again already).")
        return HttpResponseRedirect("/wp-admin/tasks.php")
    return render(request, "desk/tasks.html", {"sections": queries.desk_sections()})


@desk_view(needs=capabilities.can_manage_options)
def task_status(request):
    """JSON for one task: polled by desk-tasks.js while an import runs."""
    row = queries.task_row(_task_id(request.GET.get("task", "")))
    if row is None:
        return JsonResponse({"error": "No such task."}, status=404)
    return JsonResponse(queries.status_json(row))
