from django.urls import path, re_path

from .views import cities, cohorts, exports, imports, people, teams

app_name = "cohorts"

urlpatterns = [
    path("cohorts/", cohorts.CohortListView.as_view(), name="list"),
    path("cohorts/new/", cohorts.CohortCreateView.as_view(), name="create"),
    path("cohorts/<slug:cohort_slug>/edit/", cohorts.CohortUpdateView.as_view(), name="edit"),
    path("cohorts/<slug:cohort_slug>/copy/", cohorts.CohortCopyView.as_view(), name="copy"),
    path("cohorts/<slug:cohort_slug>/cities/new/", cities.CityCreateView.as_view(), name="city_create"),
    path("cohorts/<slug:cohort_slug>/export/cities.csv", exports.CitiesExportView.as_view(), name="export_cities"),
    path("cohorts/<slug:cohort_slug>/export/people.csv", exports.PeopleExportView.as_view(), name="export_people"),
    path("cohorts/<slug:cohort_slug>/import/", imports.RosterImportView.as_view(), name="roster_import"),
    re_path(r"^cohorts/(?P<cohort_slug>[-\w]+)/import/template\.(?P<fmt>csv|xlsx)$",
            imports.RosterTemplateView.as_view(), name="roster_template"),
    path("cohorts/<slug:cohort_slug>/import/<str:code>/", imports.RosterPreviewView.as_view(), name="roster_preview"),
    re_path(r"^cohorts/(?P<cohort_slug>[-\w]+)/export/roster\.(?P<fmt>csv|xlsx)$",
            imports.RosterExportView.as_view(), name="roster_export"),
    path("people/", people.PeopleView.as_view(), name="people"),
    path("cities/<slug:city_slug>/edit/", cities.CityUpdateView.as_view(), name="city_edit"),
    path("cities/<slug:city_slug>/team/", teams.TeamView.as_view(), name="team"),
    path("cities/<slug:city_slug>/team/invite/", teams.TeamInviteView.as_view(), name="team_invite"),
    path("cities/<slug:city_slug>/team/<str:code>/edit/", teams.MembershipEditView.as_view(), name="member_edit"),
    path("cities/<slug:city_slug>/team/<str:code>/remove/", teams.MembershipRemoveView.as_view(), name="member_remove"),
    path(
        "cities/<slug:city_slug>/invitations/<str:code>/revoke/",
        teams.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
]
