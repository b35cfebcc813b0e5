from django.contrib import admin

from accelerator.admin_history import KeepsHistory

from .models import City, CoachAssignment, Cohort, DashboardRow, ImportBatch, Membership, RoleInvitation


class ChangedOnTheTeamPages:
    """Who is on a team, who coaches a city and whether it takes part are changed on the app's
    own pages (the team page, the city's settings): they enforce the team rules, record the
    change in the audit trail and re-derive invitations to upcoming sessions. The admin shows
    them only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CityInline(KeepsHistory, admin.TabularInline):
    model = City
    fields = ["name", "slug", "country", "status"]
    readonly_fields = ["status"]
    extra = 0
    show_change_link = True


@admin.register(Cohort)
class CohortAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["name", "slug", "start_date", "end_date", "status"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CityInline]


class MembershipInline(ChangedOnTheTeamPages, admin.TabularInline):
    model = Membership
    fields = ["user", "role", "title"]
    autocomplete_fields = ["user"]
    extra = 0


class CoachAssignmentInline(ChangedOnTheTeamPages, admin.TabularInline):
    model = CoachAssignment
    autocomplete_fields = ["coach"]
    extra = 0


@admin.register(City)
class CityAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["name", "country", "cohort", "status", "time_zone", "language"]
    list_filter = ["cohort", "status", "country", "language"]
    search_fields = ["name", "slug", "country"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["cohort"]
    readonly_fields = ["status"]
    inlines = [MembershipInline, CoachAssignmentInline]


@admin.register(Membership)
class MembershipAdmin(ChangedOnTheTeamPages, admin.ModelAdmin):
    list_display = ["user", "city", "role", "title", "ended_at"]
    list_filter = ["role", "city__cohort", "city", ("ended_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__full_name", "user__email", "city__name", "title"]
    autocomplete_fields = ["user", "city"]
    list_select_related = ["user", "city"]

    def get_queryset(self, request):
        # The record: memberships that ended are listed too (the default manager is the team now).
        return Membership.history.with_scopes_disabled().all()


@admin.register(CoachAssignment)
class CoachAssignmentAdmin(ChangedOnTheTeamPages, admin.ModelAdmin):
    list_display = ["coach", "city", "assigned_at", "ended_at"]
    list_filter = ["city__cohort", "coach", ("ended_at", admin.EmptyFieldListFilter)]
    search_fields = ["coach__full_name", "city__name"]
    autocomplete_fields = ["coach", "city"]
    list_select_related = ["coach", "city"]


@admin.register(RoleInvitation)
class RoleInvitationAdmin(KeepsHistory, admin.ModelAdmin):
    list_display = ["email", "kind", "city", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["kind", "role", "city__cohort"]
    search_fields = ["email", "full_name", "city__name"]
    readonly_fields = ["token_hash", "code", "created_at", "accepted_at", "revoked_at", "invited_by"]
    list_select_related = ["city"]


@admin.register(DashboardRow)
class DashboardRowAdmin(admin.ModelAdmin):
    """Derived data, computed by the dashboards app from every other app: shown, never edited (a
    row that looks wrong is recomputed by raising its version, or by the sweep)."""

    list_display = ["city", "version", "computed_version", "computed_at"]
    list_filter = ["city__cohort"]
    search_fields = ["city__name", "city__slug"]
    readonly_fields = ["city", "data", "version", "computed_version", "computed_at"]
    list_select_related = ["city"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ChangedOnTheTeamPages, admin.ModelAdmin):
    """Roster files are previewed and imported on the cohort's import page; kept here as a record."""

    list_display = ["uploaded_at", "cohort", "file_name", "status", "uploaded_by", "applied_at"]
    list_filter = ["status", "cohort"]
    search_fields = ["file_name", "cohort__name"]
    list_select_related = ["cohort", "uploaded_by"]
