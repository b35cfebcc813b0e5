from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from accelerator.audit import audit_record
from accelerator.permissions import PermissionMixin

from .. import selectors
from ..forms.cohorts import CohortForm
from ..models import Cohort


class CohortListView(PermissionMixin, ListView):
    permission_required = "cohorts.view_cohort"
    template_name = "cohorts/cohort_list.html"
    context_object_name = "cohorts"

    def get_queryset(self):
        return selectors.cohorts_for_user(self.request.user)


class CohortDetailView(PermissionMixin, TemplateView):
    permission_required = "cohorts.view_cohort"
    template_name = "cohorts/cohort_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cohort = get_object_or_404(selectors.cohorts_for_user(request.user), slug=kwargs["cohort_slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from dashboards.selectors import cohort_dashboard

        context = super().get_context_data(**kwargs)
        dashboard = cohort_dashboard(self.cohort, self.request.user, self.request.GET)
        for notice in dashboard.filters.notices:
            messages.info(self.request, notice)
        context["cohort"] = self.cohort
        context["dashboard"] = dashboard
        context["cities"] = [row.city for row in dashboard.rows]
        return context


class CohortCreateView(PermissionMixin, CreateView):
    permission_required = "cohorts.manage_cohorts"
    form_class = CohortForm
    template_name = "cohorts/form.html"
    extra_context = {"heading": _("New cohort")}

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(cohort=self.object, actor=self.request.user, action="cohort.created",
                     data={"cohort_name": self.object.name})
        messages.success(self.request, _("Cohort created."))
        return response


class CohortUpdateView(PermissionMixin, UpdateView):
    permission_required = "cohorts.manage_cohorts"
    form_class = CohortForm
    template_name = "cohorts/form.html"
    slug_url_kwarg = "cohort_slug"
    queryset = Cohort.objects.all()
    extra_context = {"heading": _("Edit cohort")}

    def form_valid(self, form):
        messages.success(self.request, _("Cohort saved."))
        return super().form_valid(form)
