from django.contrib import admin

from accelerator.admin_history import KeepsHistory
from cohorts.services.dashboard_rows import dashboard_rows_changed

from .models import (
    ActionItem,
    CheckIn,
    CheckInAttendee,
    CoachingReminder,
    CoachingSettings,
    EvidenceFile,
    MayorDecision,
    Showcase,
    ShowcaseFeedback,
)


class ChangesCityCoaching:
    """An edit here raises the city's coaching version as the services do, so neither the
    dashboard's row nor a kept coaching page (coaching.page_cache) outlives it."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        dashboard_rows_changed(city_ids=[obj.city_id])


class ChangesShowcase:
    """An edit of a showcase's feedback or evidence moves the showcase's `updated_at`, which its
    kept pages are keyed on, and raises the city's version for the dashboard."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.showcase.save(update_fields=["updated_at"])
        dashboard_rows_changed(city_ids=[obj.showcase.city_id])


@admin.register(CoachingSettings)
class CoachingSettingsAdmin(admin.ModelAdmin):
    list_display = ["cohort", "checkin_every_days"]
    list_filter = ["cohort__status"]
    search_fields = ["cohort__name"]


@admin.register(CheckIn)
class CheckInAdmin(ChangesCityCoaching, KeepsHistory, admin.ModelAdmin):
    list_display = ["city", "held_on", "coach", "focus_goal"]
    list_filter = ["city__cohort", "focus_goal"]
    search_fields = ["city__name", "summary"]
    raw_id_fields = ["city", "coach"]


@admin.register(CheckInAttendee)
class CheckInAttendeeAdmin(KeepsHistory, admin.ModelAdmin):
    """Who attended is set on the check-in's own page; shown here only."""

    list_display = ["checkin", "membership"]
    list_filter = ["checkin__city__cohort"]
    search_fields = ["checkin__city__name", "membership__user__full_name"]
    list_select_related = ["checkin__city", "membership__user"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ActionItem)
class ActionItemAdmin(ChangesCityCoaching, KeepsHistory, admin.ModelAdmin):
    list_display = ["what", "city", "owner", "due_on", "status"]
    list_filter = ["status", "city__cohort"]
    search_fields = ["what", "city__name"]
    raw_id_fields = ["city", "checkin", "owner", "carried_into"]


@admin.register(MayorDecision)
class MayorDecisionAdmin(ChangesCityCoaching, KeepsHistory, admin.ModelAdmin):
    list_display = ["question", "city", "due_on", "status"]
    list_filter = ["status", "city__cohort"]
    search_fields = ["question", "city__name"]
    raw_id_fields = ["city", "raised_by", "decided_by", "session"]


class FeedbackInline(KeepsHistory, admin.StackedInline):
    model = ShowcaseFeedback
    extra = 0
    raw_id_fields = ["coach"]


@admin.register(Showcase)
class ShowcaseAdmin(ChangesCityCoaching, KeepsHistory, admin.ModelAdmin):
    list_display = ["title", "city", "kind", "status"]
    list_filter = ["status", "kind", "city__cohort"]
    search_fields = ["title", "city__name"]
    raw_id_fields = ["city", "created_by"]
    inlines = [FeedbackInline]


@admin.register(ShowcaseFeedback)
class ShowcaseFeedbackAdmin(ChangesShowcase, KeepsHistory, admin.ModelAdmin):
    list_display = ["showcase", "coach", "sustained", "follow_up_on"]
    list_filter = ["sustained"]
    search_fields = ["showcase__title", "showcase__city__name"]
    raw_id_fields = ["showcase", "coach"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ChangesShowcase, KeepsHistory, admin.ModelAdmin):
    list_display = ["original_name", "showcase", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "showcase__title"]
    raw_id_fields = ["showcase", "uploaded_by"]


@admin.register(CoachingReminder)
class CoachingReminderAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["kind", "target", "step", "city", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["target", "city__name"]
    readonly_fields = ["city", "kind", "target", "step", "sent_at"]
