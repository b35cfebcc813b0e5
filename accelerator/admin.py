from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from .admin_history import KeepsHistory
from .models import AuditEvent, OutgoingMessage, User


@admin.register(User)
class UserAdmin(KeepsHistory, BaseUserAdmin):
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
    actions = ["export_personal_data", "erase_personal_data"]

    def has_erase_permission(self, request):
        return request.user.is_superuser

    @admin.action(description=_("Download everything that names this person (one person, JSON)"))
    def export_personal_data(self, request, queryset):
        from .people_data import person_export_json

        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one person to export."), messages.ERROR)
            return None
        person = queryset.get()
        response = HttpResponse(person_export_json(person), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="personal-data-{person.pk}.json"'
        return response

    @admin.action(description=_("Erase the name and email of the selected people, keeping their records"),
                  permissions=["erase"])
    def erase_personal_data(self, request, queryset):
        from .errors import RuleViolation
        from .people_data import person_erase

        erased = 0
        for person in queryset:
            try:
                person_erase(user=person, actor=request.user)
            except RuleViolation as error:
                self.message_user(request, f"{person}: {' '.join(error.messages)}", messages.ERROR)
            else:
                erased += 1
        if erased:
            self.message_user(request, _("%(n)d people erased; their records are kept.") % {"n": erased})


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
