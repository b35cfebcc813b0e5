from django.urls import path

from . import views

app_name = "completion"

urlpatterns = [
    path("cohorts/<slug:cohort_slug>/completion/", views.CohortCompletionView.as_view(), name="cohort"),
    path("cities/<slug:city_slug>/completion/", views.CityOutcomeView.as_view(), name="city"),
    path("cities/<slug:city_slug>/certificate/", views.CertificateView.as_view(), name="certificate"),
    path("cities/<slug:city_slug>/certificate.pdf", views.CertificatePdfView.as_view(), name="certificate_pdf"),
]
