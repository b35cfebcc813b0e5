from django.contrib import admin

from .models import CheckInCode, EligibilityReview, SurrogateAttempt


@admin.register(CheckInCode)
class CheckInCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "person", "city", "session", "issued_at", "revoked_at"]
    list_filter = ["session"]
    search_fields = ["code", "person__full_name", "person__email", "city__name"]
    readonly_fields = ["code", "session", "city", "person", "issued_at", "issued_by", "emailed_at", "revoked_at"]


@admin.register(SurrogateAttempt)
class SurrogateAttemptAdmin(admin.ModelAdmin):
    list_display = ["recorded_at", "city", "presenter_label", "reason", "desk", "recorded_by"]
    list_filter = ["session", "reason"]
    readonly_fields = [f.name for f in SurrogateAttempt._meta.fields]


@admin.register(EligibilityReview)
class EligibilityReviewAdmin(admin.ModelAdmin):
    # Decisions go through the eligibility page, which requires a reason and writes the audit log.
    list_display = ["city", "session", "state", "decided_by", "decided_at"]
    list_filter = ["session", "state"]
    readonly_fields = [f.name for f in EligibilityReview._meta.fields]

    def has_add_permission(self, request):
        return False
