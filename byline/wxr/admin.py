"""The admin's "Import from WordPress" page: upload an export; the worker imports it, and the
desk's import page (/wp-admin/import.php?task=…) shows its progress and the CLI's report."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from .models import WordPressImport
from .tasks import start_import


class ImportForm(forms.Form):
    file = forms.FileField(
        label="WordPress export file",
        help_text="The .xml file from WordPress's Tools → Export (WXR 1.0, 1.1 or 1.2).",
    )
    dry_run = forms.BooleanField(
        required=False, label="Dry run", help_text="Read and check everything, write nothing."
    )


@admin.register(WordPressImport)
class WordPressImportAdmin(admin.ModelAdmin):
    """The model's list page is the import form (the model has no rows)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_module_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            # The import is a task: this request only stores the file and records it.
            result = start_import(
                form.cleaned_data["file"], user=request.user, dry_run=form.cleaned_data["dry_run"]
            )
            return HttpResponseRedirect(f"/wp-admin/import.php?task={result.id}")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import from WordPress",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/wxr/import.html", context)
