"""Application passwords in the admin: listed per user, revocable; made by `byline app-password`."""

from django.contrib import admin, messages

from .models import ApplicationPassword
from .passwords import revoke_app_password


@admin.register(ApplicationPassword)
class ApplicationPasswordAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "created", "last_used", "last_ip")
    list_filter = ("user",)
    search_fields = ("name", "user__username")
    readonly_fields = ("user", "name", "uuid", "created", "last_used", "last_ip")
    fields = readonly_fields
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        # The clear password is shown once, by `byline app-password create USER LABEL`.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # revoking says what it does
        return actions

    @admin.action(description="Revoke the selected application passwords", permissions=["delete"])
    def revoke_selected(self, request, queryset):
        count = 0
        for record in queryset:
            revoke_app_password(record)
            count += 1
        self.message_user(request, f"Revoked {count} application password(s).", messages.SUCCESS)

    def delete_model(self, request, obj):
        revoke_app_password(obj)
