"""Announcements sit under their cohort; the outbox page belongs to no cohort."""

from django.urls import path

from .views import announcements, outbox

app_name = "announcements"

P = "cohorts/<slug:cohort_slug>/announcements/"

urlpatterns = [
    path(P, announcements.AnnouncementListView.as_view(), name="list"),
    path(P + "new/", announcements.AnnouncementCreateView.as_view(), name="create"),
    path(P + "<str:code>/", announcements.AnnouncementPreviewView.as_view(), name="preview"),
    path(P + "<str:code>/edit/", announcements.AnnouncementEditView.as_view(), name="edit"),
    path(P + "<str:code>/send/", announcements.AnnouncementSendView.as_view(), name="send"),
    path(P + "<str:code>/archive/", announcements.AnnouncementArchiveView.as_view(), name="archive"),
    # Staff only, and every city's mail: the message's number names it here.
    path("outbox/", outbox.OutboxView.as_view(), name="outbox"),
    path("outbox/<str:pk>/", outbox.OutboxMessageView.as_view(), name="outbox_message"),
    path("outbox/<str:pk>/resend/", outbox.OutboxResendView.as_view(), name="outbox_resend"),
]
