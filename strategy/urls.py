from django.urls import path

from .views import comments, edit, exports, history, maturity, plan, review

app_name = "strategy"

P = "cities/<slug:city_slug>/strategy/"

urlpatterns = [
    path(P, plan.PlanView.as_view(), name="plan"),
    path("cohorts/<slug:cohort_slug>/export/strategy-actions.csv", exports.ActionsExportView.as_view(),
         name="export_actions"),
    path(P + "print/", plan.PrintView.as_view(), name="print"),
    path(P + "export.docx", plan.ExportDocxView.as_view(), name="export_docx"),
    path(P + "editions/<int:edition>/", plan.PublishedView.as_view(), name="edition"),
    path(P + "edit/<str:kind>/<str:code>/", edit.UnitEditView.as_view(), name="edit"),
    path(P + "edit/<str:kind>/<str:code>/autosave/", edit.AutosaveView.as_view(), name="autosave"),
    path(P + "add/<str:kind>/<str:parent_code>/", edit.UnitCreateView.as_view(), name="add"),
    path(P + "remove/<str:kind>/<str:code>/", edit.UnitDeleteView.as_view(), name="remove"),
    path(P + "history/", history.HistoryView.as_view(), name="history"),
    path(P + "history/<str:code>/", history.RevisionView.as_view(), name="revision"),
    path(P + "history/<str:code>/restore/", history.RestoreView.as_view(), name="restore"),
    path(P + "review/", review.ReviewView.as_view(), name="review"),
    path(P + "comments/", comments.ThreadsView.as_view(), name="comments"),
    path(P + "comments/<str:code>/reply/", comments.ThreadActionView.as_view(action="reply"), name="reply"),
    path(P + "comments/<str:code>/resolve/", comments.ThreadActionView.as_view(action="resolve"), name="resolve"),
    path(P + "maturity/<str:phase>/", maturity.MaturityView.as_view(), name="maturity"),
]
