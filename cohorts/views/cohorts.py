from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import CreateView, FormView, ListView, UpdateView

from accelerator.errors import RuleViolation, add_rule_error
from accelerator.permissions import PermissionMixin
from cohorts.models import Cohort

from .. import selectors
from ..forms.cohorts import CohortCopyForm, CohortForm
from ..services.cities import cohort_create, cohort_update
from ..services.cohort_copy import cohort_copy, cohort_copy_preview


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


class CohortCopyView(PermissionMixin, FormView):
    """Staff start a new cohort from this one: the form, then a preview of everything the copy
    will create, then the copy itself (one transaction)."""

    permission_required = "cohorts.manage_cohorts"
    form_class = CohortCopyForm
    template_name = "cohorts/cohort_copy.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.source = get_object_or_404(Cohort, slug=kwargs["cohort_slug"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "source": self.source}

    def get_initial(self):
        return {"name": _("%(name)s (copy)") % {"name": self.source.name}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.source, **kwargs)

    def form_valid(self, form):
        request = form.copy_request()
        if "change" in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form))
        if "confirm" not in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form, preview=cohort_copy_preview(request)))
        try:
            target = cohort_copy(request=request, actor=self.request.user)
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Cohort %(name)s created from %(source)s.")
                         % {"name": target.name, "source": self.source.name})
        return redirect("cohorts:edit", cohort_slug=target.slug)
