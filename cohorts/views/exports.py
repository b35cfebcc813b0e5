"""Cohort-wide CSV exports. A coach's export holds only their cities (the same visibility rule
as every page), and every export is recorded in the audit log."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from accelerator.audit import audit_record
from accelerator.exports import csv_response
from accelerator.permissions import PermissionMixin

from .. import selectors
from ..models import City


class CohortExportView(PermissionMixin, View):
    permission_required = "cohorts.view_cohort"
    # An export names people of many cities: to anyone without access it does not exist.
    hide_without_permission = True
    export_name = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cohort = selectors.visible_cohort_at(request.user, kwargs["cohort_slug"])
            if self.cohort is None:
                raise Http404("No cohort here.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        header, rows = self.table()
        audit_record(cohort=self.cohort, actor=request.user, action=f"export.{self.export_name}",
                     data={"export": self.export_name})
        return csv_response(f"{self.cohort.slug}-{self.export_name}-{timezone.localdate().isoformat()}.csv", header,
                            rows)

    def cities(self):
        return City.objects.visible_to(self.request.user).filter(cohort=self.cohort)


class CitiesExportView(CohortExportView):
    export_name = "cities"

    def table(self):
        header = [_("City"), _("Country"), _("Time zone"), _("Language"), _("Participation"), _("Mayor"),
                  _("Senior team size"), _("Coaches")]
        return header, selectors.cities_export_rows(self.cohort, self.request.user)


class PeopleExportView(CohortExportView):
    export_name = "people"

    def table(self):
        header = [_("City"), _("Name"), _("Email"), _("Role"), _("Time zone"), _("Language")]
        return header, selectors.people_export_rows(self.cities())
