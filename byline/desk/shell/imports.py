"""/wp-admin/import.php: upload a WordPress export; the worker imports it while this page shows
its progress (WordPress's Tools → Import → WordPress)."""

from __future__ import annotations

from django import forms
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from byline.content import capabilities
from byline.tasks import queries
from byline.wxr.tasks import start_import

from .access import desk_view
from .tasks import _task_id


class ImportForm(forms.Form):
    file = forms.FileField(
        label="WordPress export file",
        help_text="The .xml file from WordPress's Tools → Export (WXR 1.0, 1.1 or 1.2).",
    )


@require_http_methods(["GET", "POST"])
@desk_view(needs=capabilities.can_manage_options)
def import_page(request):
    """The form; after an upload, the import's progress and then its report."""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, label_suffix="")
        if form.is_valid():
            result = start_import(form.cleaned_data["file"], user=request.user)
            return HttpResponseRedirect(f"/wp-admin/import.php?task={result.id}")
        return render(request, "desk/import.html", {"form": form}, status=400)
    task = None
    if "task" in request.GET:
        task = queries.task_row(_task_id(request.GET["task"]))
    return render(
        request,
        "desk/import.html",
        {
            "form": ImportForm(label_suffix=""),
            "task": task,
            "status": queries.status_json(task) if task else None,
        },
    )
