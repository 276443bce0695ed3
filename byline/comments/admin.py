"""The moderation queue: every post's comments, by status, with counts, search and bulk actions.

Moderators see emails and IPs here (they need them to judge spam); nobody else does.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.text import Truncator

from byline.content import capabilities
from byline.content.admin import ServiceDeletes
from byline.content.permalinks import permalink_for
from byline.signals import site_changed

from . import services
from .models import Comment, CommentStatus
from .sanitize import sanitize_comment


class StatusFilter(admin.SimpleListFilter):
    """WordPress's "All | Pending (3) | Approved | Spam | Trash", with counts."""

    title = "status"
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        counts = dict(
            Comment.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        return [(value, f"{label} ({counts.get(value, 0)})") for value, label in CommentStatus.choices]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset.exclude(status__in=[CommentStatus.SPAM, CommentStatus.TRASH])


class CommentAdminForm(forms.ModelForm):
    author_url = forms.URLField(label="Website", assume_scheme="https", required=False, max_length=200)

    class Meta:
        model = Comment
        fields = ("author_name", "author_email", "author_url", "content", "status")

    def clean_content(self):
        return sanitize_comment(self.cleaned_data["content"])


class PrivacyForm(forms.Form):
    email = forms.EmailField(label="Commenter's email address")
    action = forms.ChoiceField(
        choices=[("export", "Export their data"), ("erase", "Erase (anonymise) their data")]
    )


@admin.register(Comment)
class CommentAdmin(ServiceDeletes, admin.ModelAdmin):
    form = CommentAdminForm
    list_display = (
        "excerpt",
        "author_name",
        "author_email",
        "author_ip",
        "in_response_to",
        "status",
        "reason",
        "created_at",
    )
    list_filter = (StatusFilter, "created_at")
    search_fields = ("author_name", "author_email", "author_url", "author_ip", "content", "post__title")
    list_select_related = ("post", "post__author", "post__parent")
    date_hierarchy = "created_at"
    readonly_fields = ("post", "parent", "author_ip", "user_agent", "reason", "created_at", "user")
    actions = ["approve", "unapprove", "mark_spam", "trash"]
    list_per_page = 50

    def has_module_permission(self, request):
        return request.user.has_perm("comments.moderate_comments") or request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False  # comments come from readers (or an import), not from this form

    def may_delete(self, user, obj) -> bool:
        return user.has_perm("comments.delete_comment") and capabilities.can_moderate(user, obj.post)

    def delete_through(self, obj, user) -> None:
        services.delete_comment(obj)  # replies move up a level; the pages are purged

    @admin.display(description="comment")
    def excerpt(self, obj):
        from django.utils.html import strip_tags

        return Truncator(strip_tags(obj.content)).words(14)

    @admin.display(description="in response to", ordering="post__title")
    def in_response_to(self, obj):
        return format_html(
            '<a href="{}#comment-{}" target="_blank">{}</a>', permalink_for(obj.post), obj.pk, obj.post.title
        )

    def save_model(self, request, obj, form, change):
        new_status = form.cleaned_data.get("status")
        if change and "status" in form.changed_data:
            obj.status = Comment.objects.get(pk=obj.pk).status
            obj.save()
            services.set_status([obj], new_status, by=request.user)
        else:
            super().save_model(request, obj, form, change)
            if change and obj.status == CommentStatus.APPROVED:
                # An edited name or text of a shown comment: the page cache must hear of it.
                site_changed.send(sender=Comment, reason=f"comment {obj.pk} edited in the admin")

    def _bulk(self, request, queryset, status, verb):
        n = services.set_status(list(queryset), status, by=request.user)
        self.message_user(request, f"{n} comment{'s' if n != 1 else ''} {verb}.")

    @admin.action(description="Approve")
    def approve(self, request, queryset):
        self._bulk(request, queryset, CommentStatus.APPROVED, "approved")

    @admin.action(description="Unapprove (hold)")
    def unapprove(self, request, queryset):
        self._bulk(request, queryset, CommentStatus.PENDING, "held")

    @admin.action(description="Mark as spam")
    def mark_spam(self, request, queryset):
        self._bulk(request, queryset, CommentStatus.SPAM, "marked as spam")

    @admin.action(description="Move to the trash")
    def trash(self, request, queryset):
        self._bulk(request, queryset, CommentStatus.TRASH, "moved to the trash")

    def get_urls(self):
        return [
            path("privacy/", self.admin_site.admin_view(self.privacy_view), name="comments_privacy"),
            *super().get_urls(),
        ]

    def privacy_view(self, request):
        """WordPress's Tools → Export / Erase Personal Data, for commenters."""
        if not request.user.is_superuser:
            return redirect("admin:index")
        form = PrivacyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            if form.cleaned_data["action"] == "export":
                data = {"email": email, "comments": services.export_personal_data(email)}
                response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
                response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
                return response
            n = services.erase_personal_data(email)
            messages.success(request, f"Anonymised {n} comment{'s' if n != 1 else ''} by {email}.")
            return redirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": "Commenters' personal data",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/comments/privacy.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "privacy_url": "privacy/"}
        return super().changelist_view(request, extra_context)
