"""The admin's "Import from WordPress" page: upload an export, read the same report as the CLI's."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from .loader import import_wxr
from .models import WordPressImport
from .reader import WXRError


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
        report = error = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = import_wxr(
                    upload,
                    dry_run=form.cleaned_data["dry_run"],
                    default_author=request.user,
                    name=upload.name,
                )
            except WXRError as refusal:
                error = f"{upload.name}: {refusal}. Nothing was imported."
        context = {
            **self.admin_site.each_context(request),
            "title": "Import from WordPress",
            "form": form,
            "report": report,
            "error": error,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/wxr/import.html", context)
