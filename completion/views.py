"""Completion pages: the cohort's outcomes (staff), a city's outcome, its certificate."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accelerator.errors import RuleViolation, add_rule_error
from accelerator.pdf import html_to_pdf
from accelerator.permissions import CityMixin, PermissionMixin
from cohorts import selectors as cohort_selectors
from cohorts.models import Cohort

from . import selectors
from .forms import OutcomeForm, ThresholdForm
from .services.outcomes import cohort_close, completion_set_threshold, outcome_confirm


class CohortCompletionView(PermissionMixin, TemplateView):
    """Every city's outcome, the cohort's completion rule, and closing the cohort."""

    permission_required = "completion.close_cohort"
    template_name = "completion/cohort.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cohort = get_object_or_404(Cohort.objects.all(), slug=kwargs["cohort_slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return getattr(self, "cohort", None)

    def get_context_data(self, threshold_form=None, close_error=None, **kwargs):
        threshold = selectors.threshold(self.cohort)
        rows = selectors.cohort_outcomes(self.cohort, self.request.user)
        return super().get_context_data(
            cohort=self.cohort, rows=rows, threshold=threshold, close_error=close_error,
            threshold_form=threshold_form or ThresholdForm(initial={"attendance_threshold": threshold}),
            unconfirmed=[row.city for row in rows if row.confirmed is None], **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "close":
            try:
                cohort_close(cohort=self.cohort, actor=request.user)
            except RuleViolation as error:
                return self.render_to_response(self.get_context_data(close_error=" ".join(error.messages)),
                                               status=400)
            messages.success(request, _("The cohort is closed; its cities are alumni."))
            return redirect(request.path)
        form = ThresholdForm(request.POST)
        if form.is_valid():
            try:
                completion_set_threshold(cohort=self.cohort, actor=request.user,
                                         threshold=form.cleaned_data["attendance_threshold"])
            except RuleViolation as error:
                add_rule_error(form, error)
            else:
                messages.success(request, _("Completion rule saved."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(threshold_form=form), status=400)


class CityOutcomeView(CityMixin, TemplateView):
    """A city's outcome and why; program staff confirm it here."""

    permission_required = "completion.view_outcome"
    template_name = "completion/city.html"

    @cached_property
    def row(self):
        return selectors.city_outcome(self.city)

    def get_context_data(self, form=None, **kwargs):
        can_confirm = self.request.user.has_perm("completion.confirm_outcome", self.city)
        if form is None and can_confirm:
            form = OutcomeForm(initial={"outcome": self.row.outcome, "reason": ""})
        return super().get_context_data(row=self.row, form=form, can_confirm=can_confirm,
                                        ended=selectors.cohort_has_ended(self.city.cohort), **kwargs)

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("completion.confirm_outcome", self.city):
            raise Http404
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                outcome_confirm(city=self.city, actor=request.user, outcome=form.cleaned_data["outcome"],
                                reason=form.cleaned_data["reason"])
            except RuleViolation as error:
                add_rule_error(form, error)
            else:
                messages.success(request, _("Outcome confirmed."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CertificateMixin(CityMixin):
    """The certificate exists only for a city whose completion staff confirmed."""

    permission_required = "completion.view_certificate"

    def certificate_context(self):
        outcome = selectors.completed_outcome(self.city)
        if outcome is None:
            raise Http404("No certificate for this city.")
        team = list(cohort_selectors.city_team(self.city))
        return {"city": self.city, "cohort": self.city.cohort, "outcome": outcome,
                "mayor": next((m for m in team if m.is_mayor), None),
                "team": [m for m in team if not m.is_mayor]}


class CertificateView(CertificateMixin, TemplateView):
    template_name = "completion/certificate.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.certificate_context(),
                "base_template": "base.html"}


class CertificatePdfView(CertificateMixin, View):
    def get(self, request, *args, **kwargs):
        context = {**self.certificate_context(), "for_pdf": True, "base_template": "accelerator/pdf_base.html"}
        html = render_to_string("completion/certificate.html", context, request=request)
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        name = slugify(self.city.name) or self.city.slug
        response["Content-Disposition"] = f'attachment; filename="certificate-{name}.pdf"'
        return response
