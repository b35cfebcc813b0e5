from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, OutgoingMessage, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "is_staff", "is_coach", "is_active", "last_login"]
    list_filter = ["is_staff", "is_coach", "is_active", "language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "time_zone", "language"]}),
        (_("Roles"), {"fields": ["is_active", "is_staff", "is_coach", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "city", "actor_label", "action", "what"]
    list_filter = ["action", "cohort", "city"]
    search_fields = ["summary", "reason", "actor_label", "city__name"]
    date_hierarchy = "created_at"
    list_select_related = ["city"]

    @admin.display(description=_("what happened"))
    def what(self, obj):
        return obj.text

    # The audit log is append-only: nobody edits history, not even in the admin.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    """Read-only: messages are queued by the services and sent by the outbox; staff resend a
    failed one from the outbox page."""

    list_display = ["created_at", "kind", "to_email", "status", "sent_at", "attempts"]
    list_filter = ["status", "kind", "cohort"]
    search_fields = ["to_email", "to_name", "subject", "key"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
