from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, UpdateView

from accelerator.permissions import PermissionMixin
from cohorts.models import Cohort

from .. import selectors
from ..forms.cohorts import CohortForm
from ..services.cities import cohort_create, cohort_update


class CohortListView(PermissionMixin, ListView):
    permission_required = "cohorts.view_cohort"
    template_name = "cohorts/cohort_list.html"
    context_object_name = "cohorts"

    def get_queryset(self):
        return selectors.cohorts_for_user(self.request.user)


class CohortCreateView(PermissionMixin, CreateView):
    permission_required = "cohorts.manage_cohorts"
    form_class = CohortForm
    template_name = "cohorts/form.html"
    extra_context = {"heading": _("New cohort")}

    def form_valid(self, form):
        self.object = cohort_create(form=form, actor=self.request.user)
        messages.success(self.request, _("Cohort created."))
        return redirect(self.get_success_url())


class CohortUpdateView(PermissionMixin, UpdateView):
    permission_required = "cohorts.manage_cohorts"
    form_class = CohortForm
    template_name = "cohorts/cohort_edit.html"
    slug_url_kwarg = "cohort_slug"
    queryset = Cohort.objects.all()
    extra_context = {"heading": _("Edit cohort")}

    def form_valid(self, form):
        self.object = cohort_update(form=form, actor=self.request.user)
        messages.success(self.request, _("Cohort saved."))
        return redirect(self.get_success_url())
