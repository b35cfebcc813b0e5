"""A cohort's coaching settings, reached from the cohort's settings page (program staff)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accelerator.permissions import PermissionMixin
from cohorts.models import Cohort

from ..forms import CoachingSettingsForm
from ..models import CoachingSettings


class CohortCoachingSettingsView(PermissionMixin, FormView):
    permission_required = "coaching.manage_settings"
    template_name = "coaching/cohort_settings.html"
    form_class = CoachingSettingsForm

    def dispatch(self, request, *args, **kwargs):
        self.cohort = get_object_or_404(Cohort, slug=kwargs["cohort_slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        instance = CoachingSettings.objects.filter(cohort=self.cohort).first() or CoachingSettings(cohort=self.cohort)
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cohort=self.cohort, **kwargs)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Check-in cadence saved."))
        return redirect(reverse("cohorts:edit", kwargs={"cohort_slug": self.cohort.slug}))
