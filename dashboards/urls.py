from django.urls import path

from . import views

app_name = "dashboards"

# Included after the cohorts URLs: "cohorts/new/" must not read as a cohort called "new".
urlpatterns = [
    path("cohorts/<slug:cohort_slug>/", views.CohortDetailView.as_view(), name="cohort"),
    path("cohorts/<slug:cohort_slug>/impact/", views.ImpactView.as_view(), name="impact"),
    path("cohorts/<slug:cohort_slug>/impact.pdf", views.ImpactPdfView.as_view(), name="impact_pdf"),
    path("cohorts/<slug:cohort_slug>/impact.csv", views.ImpactCsvView.as_view(), name="impact_csv"),
    path("cities/<slug:city_slug>/", views.CityHomeView.as_view(), name="city_home"),
]
