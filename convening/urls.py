from django.urls import path

from . import views

app_name = "convening"

urlpatterns = [
    path("sessions/<str:code>/check-in/", views.DeskView.as_view(), name="desk"),
    path("sessions/<str:code>/board/", views.BoardView.as_view(), name="board"),
    path("sessions/<str:code>/codes/", views.CodesView.as_view(), name="codes"),
    path(
        "sessions/<str:code>/cities/<slug:city_slug>/eligibility/",
        views.EligibilityView.as_view(),
        name="eligibility",
    ),
]
