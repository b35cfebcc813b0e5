from django.contrib import admin

from accelerator.admin_history import KeepsHistory

from .models import CheckInCode, EligibilityReview, EnforcementStep, SurrogateAttempt


@admin.register(CheckInCode)
class CheckInCodeAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["code", "person", "city", "session", "issued_at", "revoked_at"]
    list_filter = ["session"]
    search_fields = ["code", "person__full_name", "person__email", "city__name"]
    readonly_fields = ["code", "session", "city", "person", "issued_at", "issued_by", "emailed_at", "revoked_at"]


@admin.register(SurrogateAttempt)
class SurrogateAttemptAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["recorded_at", "city", "presenter_label", "reason", "desk", "recorded_by"]
    list_filter = ["session", "reason"]
    search_fields = ["city__name", "presented_name", "presented_person__full_name", "code_used", "desk"]
    readonly_fields = [f.name for f in SurrogateAttempt._meta.fields]


@admin.register(EligibilityReview)
class EligibilityReviewAdmin(KeepsHistory, admin.ModelAdmin):
    # Decisions go through the eligibility page, which requires a reason and writes the audit log.
    list_display = ["city", "session", "state", "decided_by", "decided_at"]
    list_filter = ["session", "state"]
    search_fields = ["city__name", "reason"]
    readonly_fields = [f.name for f in EligibilityReview._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(EnforcementStep)
class EnforcementStepAdmin(KeepsHistory, admin.ModelAdmin):
    # The once-only guards of the enforcement sweep; read-only, for looking into what ran when.
    list_display = ["key", "session", "done_at"]
    list_filter = ["session"]
    search_fields = ["key"]
    readonly_fields = ["key", "session", "done_at"]

    def has_add_permission(self, request):
        return False
