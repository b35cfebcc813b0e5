"""The program calendar's pages; their addresses sit beside the cohort and city pages."""

from django.urls import path

from .views import attendance_import, exports, feedback, sessions

app_name = "agenda"

urlpatterns = [
    path("cohorts/<slug:cohort_slug>/export/attendance.csv", exports.AttendanceExportView.as_view(),
         name="export_attendance"),
    path("cohorts/<slug:cohort_slug>/attendance-settings/", attendance_import.CohortAttendanceSettingsView.as_view(),
         name="cohort_attendance_settings"),
    path("cohorts/<slug:cohort_slug>/export/feedback.csv", feedback.FeedbackExportView.as_view(),
         name="export_feedback"),
    path("cohorts/<slug:cohort_slug>/feedback/", feedback.CohortFeedbackView.as_view(), name="cohort_feedback"),
    path("cohorts/<slug:cohort_slug>/sessions/", sessions.CohortCalendarView.as_view(), name="sessions"),
    path("cohorts/<slug:cohort_slug>/sessions/new/", sessions.SessionCreateView.as_view(), name="session_create"),
    path("sessions/", sessions.MySessionsView.as_view(), name="my_sessions"),
    path("sessions/feed/", sessions.CalendarTokenView.as_view(), name="calendar_token"),
    path("sessions/<str:code>/", sessions.SessionDetailView.as_view(), name="session"),
    path("sessions/<str:code>/edit/", sessions.SessionEditView.as_view(), name="session_edit"),
    path("sessions/<str:code>/cancel/", sessions.SessionCancelView.as_view(), name="session_cancel"),
    path("sessions/<str:code>/nudge/", sessions.SessionNudgeView.as_view(), name="session_nudge"),
    path("sessions/<str:code>/attendance/", sessions.SessionAttendanceView.as_view(), name="session_attendance"),
    path("sessions/<str:code>/attendance/import/", attendance_import.SessionAttendanceImportView.as_view(),
         name="session_attendance_import"),
    path("sessions/<str:code>/feedback/", feedback.SessionFeedbackView.as_view(), name="session_feedback"),
    path("sessions/<str:code>/feedback/results/", feedback.SessionFeedbackResultsView.as_view(),
         name="session_feedback_results"),
    path("sessions/<str:code>/session.ics", sessions.SessionICSView.as_view(), name="session_ics"),
    path("calendar/<str:token>.ics", sessions.CalendarFeedView.as_view(), name="calendar_feed"),
    path("cities/<slug:city_slug>/sessions/", sessions.CitySessionsView.as_view(), name="city_sessions"),
]
