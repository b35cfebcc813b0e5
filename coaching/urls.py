from django.urls import path

from .views import checkins, decisions, exports, settings, showcases

app_name = "coaching"

urlpatterns = [
    path("cities/<slug:city_slug>/coaching/", checkins.CoachingLogView.as_view(), name="log"),
    path("cities/<slug:city_slug>/coaching/new/", checkins.CheckInCreateView.as_view(), name="checkin_create"),
    path("cities/<slug:city_slug>/coaching/<str:code>/", checkins.CheckInDetailView.as_view(), name="checkin_detail"),
    path("cities/<slug:city_slug>/coaching/<str:code>/edit/", checkins.CheckInEditView.as_view(), name="checkin_edit"),
    path(
        "cities/<slug:city_slug>/action-items/<str:code>/status/",
        checkins.ActionItemStatusView.as_view(),
        name="action_item_status",
    ),
    path("cities/<slug:city_slug>/decisions/", decisions.DecisionListView.as_view(), name="decisions"),
    path("cities/<slug:city_slug>/decisions/new/", decisions.DecisionCreateView.as_view(), name="decision_create"),
    path("cities/<slug:city_slug>/decisions/<str:code>/", decisions.DecisionDetailView.as_view(),
         name="decision_detail"),
    path(
        "cities/<slug:city_slug>/decisions/<str:code>/decide/",
        decisions.DecisionDecideView.as_view(),
        name="decision_decide",
    ),
    path(
        "cities/<slug:city_slug>/decisions/<str:code>/withdraw/",
        decisions.DecisionWithdrawView.as_view(),
        name="decision_withdraw",
    ),
    path("cities/<slug:city_slug>/showcases/", showcases.ShowcaseListView.as_view(), name="showcases"),
    path("cities/<slug:city_slug>/showcases/new/", showcases.ShowcaseCreateView.as_view(), name="showcase_create"),
    path("cities/<slug:city_slug>/showcases/<str:code>/", showcases.ShowcaseDetailView.as_view(),
         name="showcase_detail"),
    path("cities/<slug:city_slug>/showcases/<str:code>/edit/", showcases.ShowcaseEditView.as_view(),
         name="showcase_edit"),
    path(
        "cities/<slug:city_slug>/showcases/<str:code>/submit/",
        showcases.ShowcaseSubmitView.as_view(),
        name="showcase_submit",
    ),
    path(
        "cities/<slug:city_slug>/showcases/<str:code>/feedback/",
        showcases.ShowcaseFeedbackView.as_view(),
        name="showcase_feedback",
    ),
    path("cities/<slug:city_slug>/files/<str:code>/", showcases.EvidenceDownloadView.as_view(), name="file_download"),
    path("cities/<slug:city_slug>/files/<str:code>/remove/", showcases.EvidenceRemoveView.as_view(),
         name="file_remove"),
    path("cohorts/<slug:cohort_slug>/showcases/", showcases.CohortShowcasesView.as_view(), name="cohort_showcases"),
    path("cohorts/<slug:cohort_slug>/coaching-settings/", settings.CohortCoachingSettingsView.as_view(),
         name="cohort_settings"),
    path("cohorts/<slug:cohort_slug>/export/action-items.csv", exports.ActionItemsExportView.as_view(),
         name="export_action_items"),
]
