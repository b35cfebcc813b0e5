from django.contrib import admin
from django.urls import include, path

from . import audit_views, views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("me/", views.ProfileView.as_view(), name="profile"),
    path("invitations/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.LanguageView.as_view(), name="language_set"),
    path("cities/<slug:city_slug>/audit/", audit_views.CityAuditView.as_view(), name="city_audit"),
    path("cities/<slug:city_slug>/audit.csv", audit_views.CityAuditCSVView.as_view(), name="city_audit_csv"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("cohorts.urls")),
    path("", include("agenda.urls")),
    path("", include("announcements.urls")),
    path("", include("dashboards.urls")),
    path("", include("strategy.urls")),
    path("", include("coaching.urls")),
    path("", include("convening.urls")),
    path("", include("completion.urls")),
]

handler403 = "accelerator.error_pages.permission_denied"
handler404 = "accelerator.error_pages.page_not_found"
