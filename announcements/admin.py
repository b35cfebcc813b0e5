"""Admin for announcements: to look up and search; writing and sending happen on the staff pages,
where the audience is reviewed first."""

from django.contrib import admin

from .models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["subject", "cohort", "status", "created_by", "created_at", "sent_at", "sent_count"]
    list_filter = ["status", "cohort"]
    search_fields = ["subject", "body", "code", "cohort__name"]
    readonly_fields = ["code", "status", "created_by", "created_at", "sent_by", "sent_at", "sent_count"]
    raw_id_fields = ["session"]
    filter_horizontal = ["cities"]
