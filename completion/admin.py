from django.contrib import admin

from accelerator.admin_history import KeepsHistory

from .models import CityOutcome, CompletionSettings


@admin.register(CityOutcome)
class CityOutcomeAdmin(KeepsHistory, admin.ModelAdmin):
    """Outcomes are confirmed on the city's completion page, with the rule and the audit log."""

    list_display = ["city", "outcome", "derived", "confirmed_by_name", "confirmed_at"]
    list_filter = ["outcome", "city__cohort"]
    list_select_related = ["city"]
    search_fields = ["city__name", "reason"]
    readonly_fields = ["code", "city", "outcome", "derived", "explanation", "reason", "confirmed_by",
                       "confirmed_by_name", "confirmed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CompletionSettings)
class CompletionSettingsAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["cohort", "attendance_threshold"]
    list_filter = ["cohort__status"]
    search_fields = ["cohort__name"]
