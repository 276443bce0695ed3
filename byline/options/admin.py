"""The admin's "Site options" page: one form built from the option declarations."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from .models import Option
from .registry import OPTIONS, InvalidOption
from .store import get_option, set_option


def options_form_class():
    fields = {}
    for name, spec in sorted(OPTIONS.items(), key=lambda kv: (kv[1].group, kv[0])):
        label = f"{name}"
        if spec.kind == "bool":
            field = forms.BooleanField(required=False, label=label, help_text=spec.help)
        elif spec.kind == "choice":
            field = forms.ChoiceField(
                choices=[(c, c) for c in spec.allowed()], label=label, help_text=spec.help
            )
        else:
            field = forms.CharField(
                required=spec.kind != "str",
                label=label,
                help_text=spec.help,
                widget=forms.TextInput(attrs={"size": 60}) if spec.kind == "str" else None,
            )
        field.group = spec.group
        fields[name] = field
    return type("OptionsForm", (forms.Form,), fields)


@admin.register(Option)
class OptionAdmin(admin.ModelAdmin):
    """Replaces the row list with the settings form (as WordPress's Settings screens)."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not request.user.is_superuser:
            return redirect("admin:index")
        Form = options_form_class()
        initial = {
            name: OPTIONS[name].serialize(get_option(name))
            if OPTIONS[name].kind != "bool"
            else get_option(name)
            for name in OPTIONS
        }
        form = Form(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            problems = []
            for name, value in list(form.cleaned_data.items()):
                raw = OPTIONS[name].serialize(value) if OPTIONS[name].kind == "bool" else str(value)
                if raw == OPTIONS[name].serialize(get_option(name)):
                    continue
                try:
                    set_option(name, raw)
                except InvalidOption as exc:
                    form.add_error(name, str(exc))
                    problems.append(name)
            if not problems:
                messages.success(request, "Options saved.")
                return redirect(request.path)
        groups = {}
        for bound in form:
            groups.setdefault(form.fields[bound.name].group, []).append(bound)
        context = {
            **self.admin_site.each_context(request),
            "title": "Site options",
            "form": form,
            "groups": sorted(groups.items()),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/options/settings.html", context)
