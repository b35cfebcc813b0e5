from django.urls import path

from .views import comments, edit, exports, history, maturity, plan, public, review, sharing

app_name = "strategy"

P = "cities/<slug:city_slug>/strategy/"

urlpatterns = [
    path(P, plan.PlanView.as_view(), name="plan"),
    path("cohorts/<slug:cohort_slug>/export/strategy-actions.csv", exports.ActionsExportView.as_view(),
         name="export_actions"),
    path(P + "print/", plan.PrintView.as_view(), name="print"),
    path(P + "export.docx", plan.ExportDocxView.as_view(), name="export_docx"),
    path(P + "export.pdf", plan.ExportPdfView.as_view(), name="export_pdf"),
    path(P + "public/", sharing.PublicToggleView.as_view(), name="public_toggle"),
    path(P + "share/<str:kind>/<str:code>/", sharing.ShareView.as_view(), name="share"),
    path(P + "peers/", sharing.PeersView.as_view(), name="peers"),
    # Public pages: no login, and not a city page (no `city_slug`), so the city resolver leaves
    # them alone; `strategy.public` decides what they show.
    path("strategies/<slug:cohort_slug>/", public.PublicIndexView.as_view(), name="public_index"),
    path("strategies/<slug:cohort_slug>/<slug:place_slug>/", public.PublicStrategyView.as_view(), name="public"),
    path("strategies/<slug:cohort_slug>/<slug:place_slug>/strategy.pdf", public.PublicStrategyPdfView.as_view(),
         name="public_pdf"),
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
