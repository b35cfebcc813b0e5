"""Bulk set-up from a roster file: upload, preview every row, confirm; the template and the
cohort's current roster download in the same format."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from accelerator.permissions import PermissionMixin
from cohorts.models import Cohort, Role

from .. import selectors
from ..forms.imports import RosterUploadForm
from ..roster_files import COLUMNS, MAX_ROWS, RosterFileError, roster_csv, roster_xlsx
from ..services.roster_import import PlanChanged, plan_counts, roster_import_confirm, roster_preview

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TEMPLATE_ROWS = [
    {"city": "Springfield", "country": "United States", "time_zone": "America/Chicago", "language": "en",
     "role": "mayor", "name": "Alex Example", "email": "mayor@springfield.example", "title": ""},
    {"city": "Springfield", "country": "United States", "time_zone": "America/Chicago", "language": "en",
     "role": "cdo", "name": "Sam Example", "email": "cdo@springfield.example", "title": "Chief Data Officer"},
]


class CohortStaffMixin(PermissionMixin):
    permission_required = "cohorts.import_roster"

    def dispatch(self, request, *args, **kwargs):
        self.cohort = get_object_or_404(Cohort, slug=kwargs["cohort_slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cohort=self.cohort, max_rows=MAX_ROWS, columns=COLUMNS, **kwargs)


class RosterImportView(CohortStaffMixin, FormView):
    form_class = RosterUploadForm
    template_name = "cohorts/roster_import.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(batches=selectors.cohort_import_batches(self.cohort), **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            batch = roster_preview(cohort=self.cohort, file_name=upload.name, content=upload.read(),
                                   actor=self.request.user)
        except RosterFileError as error:
            for message in error.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        return redirect("cohorts:roster_preview", cohort_slug=self.cohort.slug, code=batch.code)


class RosterPreviewView(CohortStaffMixin, TemplateView):
    template_name = "cohorts/roster_preview.html"

    def get_batch(self):
        return get_object_or_404(self.cohort.import_batches.select_related("uploaded_by"), code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        batch = self.get_batch()
        counts = plan_counts(batch.plan)
        labels = dict(Role.choices)
        rows = [{**entry, "role_label": labels.get(entry["role"], entry["role"]),
                 "before_role_label": labels.get(entry.get("before_role"), "")} for entry in batch.plan]
        changes = sum(counts[k] for k in ("cities_created", "cities_updated", "invited", "added", "changed"))
        return super().get_context_data(batch=batch, rows=rows, counts=counts, changes=changes,
                                        upload_form=RosterUploadForm(), **kwargs)

    def post(self, request, *args, **kwargs):
        batch = self.get_batch()
        try:
            counts = roster_import_confirm(batch=batch, actor=request.user)
        except PlanChanged:
            messages.warning(request, _("The cohort changed since this preview was made. Check the preview again "
                                        "and confirm."))
            return redirect("cohorts:roster_preview", cohort_slug=self.cohort.slug, code=batch.code)
        except RuleViolation as violation:
            messages.error(request, " ".join(violation.messages))
            return redirect("cohorts:roster_preview", cohort_slug=self.cohort.slug, code=batch.code)
        messages.success(request, _(
            "Imported: %(cities_created)s cities added, %(cities_updated)s changed, %(invited)s invitations "
            "queued, %(added)s people with an account added, %(changed)s roles changed.") % counts)
        return redirect(self.cohort.get_absolute_url())


def _file_response(fmt, rows, name, title):
    if fmt == "csv":
        body = roster_csv(rows)
    elif fmt == "xlsx":
        body = roster_xlsx(rows, title=title)
    else:
        raise Http404
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class RosterTemplateView(CohortStaffMixin, View):
    def get(self, request, *args, **kwargs):
        return _file_response(kwargs["fmt"], TEMPLATE_ROWS, "roster-template", "roster")


class RosterExportView(CohortStaffMixin, View):
    # The roster names every city's people and open invitations: to anyone else it does not exist.
    hide_without_permission = True

    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in CONTENT_TYPES:
            raise Http404
        rows = selectors.cohort_roster_rows(self.cohort)
        audit_record(cohort=self.cohort, actor=request.user, action="export.roster", data={"export": "roster"})
        return _file_response(fmt, rows, f"{self.cohort.slug}-roster-{timezone.localdate().isoformat()}",
                              self.cohort.slug)
