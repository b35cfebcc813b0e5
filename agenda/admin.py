"""Admin for the program calendar."""

from django.contrib import admin

from accelerator.admin_history import KeepsHistory

from .models import (
    AbsenceWarning,
    Attendance,
    AttendanceThresholds,
    ConveningDay,
    ReminderLog,
    Session,
    SessionFeedback,
    SessionInvitation,
)
from .services.session_invitations import invitations_changed


class ConveningDayInline(KeepsHistory, admin.TabularInline):
    model = ConveningDay
    fields = ["label", "starts_at", "ends_at", "required"]
    extra = 0


@admin.register(Session)
class SessionAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["title", "kind", "cohort", "city", "starts_at", "status", "sequence"]
    list_filter = ["kind", "status", "audience", "cohort"]
    search_fields = ["title", "code", "city__name", "cohort__name"]
    readonly_fields = ["code", "sequence", "changed_at", "created_at", "updated_at"]
    inlines = [ConveningDayInline]


@admin.register(ConveningDay)
class ConveningDayAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["session", "label", "starts_at", "ends_at", "required"]
    list_filter = ["required", "session__cohort"]
    search_fields = ["label", "session__title"]


@admin.register(SessionInvitation)
class SessionInvitationAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["session", "person", "city", "response", "responded_at"]
    list_filter = ["response", "session__kind", "city"]
    search_fields = ["person__full_name", "person__email", "session__title", "city__name"]
    raw_id_fields = ["session", "person"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        invitations_changed([obj.session_id])


@admin.register(Attendance)
class AttendanceAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["session", "person", "city", "day", "status", "source", "marked_by", "marked_at"]
    list_filter = ["status", "source", "session__kind", "city"]
    search_fields = ["person__full_name", "session__title", "city__name"]
    raw_id_fields = ["session", "person", "day", "marked_by"]


@admin.register(ReminderLog)
class ReminderLogAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["session", "person", "city", "kind", "sent_at", "skipped"]
    list_filter = ["kind", "skipped", "city"]
    search_fields = ["person__email", "session__title", "kind"]
    raw_id_fields = ["session", "person"]


@admin.register(AbsenceWarning)
class AbsenceWarningAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["person", "city", "streak", "first_missed", "last_missed", "created_at"]
    list_filter = ["city__cohort", "city"]
    search_fields = ["person__full_name", "person__email", "city__name"]
    list_select_related = ["person", "city", "first_missed", "last_missed"]
    readonly_fields = ["city", "person", "first_missed", "last_missed", "streak", "created_at"]


@admin.register(AttendanceThresholds)
class AttendanceThresholdsAdmin(admin.ModelAdmin):
    list_display = ["cohort", "late_after_minutes", "min_stay_percent", "absent_under_minutes"]
    list_filter = ["cohort__status"]
    search_fields = ["cohort__name"]


@admin.register(SessionFeedback)
class SessionFeedbackAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["session", "person", "city", "usefulness", "will_apply", "updated_at"]
    list_filter = ["usefulness", "will_apply", "session__kind", "session__learning_goal", "city"]
    search_fields = ["person__full_name", "person__email", "session__title", "city__name", "comment"]
    list_select_related = ["session", "person", "city"]
    readonly_fields = ["code", "session", "city", "person", "created_at"]
