"""The pages that read across apps: a city's home, the cohort's dashboard and its impact report."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accelerator.audit import audit_record
from accelerator.caching import kept
from accelerator.exports import csv_response
from accelerator.pdf import html_to_pdf
from accelerator.permissions import CityMixin, PermissionMixin
from cohorts.models import Cohort
from completion import selectors as completion_selectors
from strategy.guide import COMPONENTS

from . import city_home, impact
from .page_parts import cohort_parts
from .selectors import cohort_dashboard, cohort_page, page_state
from .setup_checklist import city_checklist, cohort_checklist_for_page


class CityHomeView(CityMixin, TemplateView):
    template_name = "dashboards/city_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = city_home.home_state(self.city, self.request.user, self.city_access)
        def body():
            return render_to_string("dashboards/_city_home_body.html", self.body_context(context, state),
                                    request=self.request)

        context["body"] = kept("city_home", (state.key,), body) if state.cacheable else body()
        return context

    def body_context(self, context, state):
        context = dict(context)
        user = self.request.user
        data = city_home.home_data(self.city, user, self.city_access, state=state)
        context["team"] = data.team
        context["coaches"] = data.coaches
        context["next_actions"] = city_home.next_actions(self.city, user, self.city_access, data=data)
        context["upcoming"] = city_home.next_sessions(self.city, user, data=data)
        context["open_items"] = city_home.open_items(data)
        context["showcases"] = city_home.showcases(data)
        # Read once here; the strategy card and the mayor's decisions block take them from the context.
        context["strategy"] = data.strategy
        context["decisions_waiting"] = data.decisions
        if user.has_perm("cohorts.manage_city", self.city):
            context["setup"] = city_checklist(self.city)
        # Once the cohort is over, the city's outcome and why.
        context["outcome_row"] = data.outcome
        return context


class CohortDetailView(PermissionMixin, TemplateView):
    permission_required = "cohorts.view_cohort"
    template_name = "dashboards/cohort_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # The cohort is read with its state over the viewer's cities (as the request scope holds
            # them), in one query.
            self.page = cohort_page(request.user, kwargs["cohort_slug"])
            if self.page is None:
                raise Http404("No cohort here.")
            self.cohort, self.city_ids = self.page.cohort, self.page.city_ids
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, params, city_ids = self.request.user, self.request.GET, self.city_ids
        parts = cohort_parts(self.cohort, user)
        # A cohort is set up while it is planned; once it runs, the cockpit's rows say what each city lacks
        # (and the page is served from its cached copy without reading anything more).
        setting_up = self.cohort.status == Cohort.Status.PLANNED and parts.can_manage
        state = page_state(self.page, user, params)
        # The rows are built only if the body is rendered (it is kept under the page's state).
        dashboard = SimpleLazyObject(lambda: cohort_dashboard(self.cohort, user, params, city_ids=city_ids))
        context["cohort"] = self.cohort
        context["cohort_parts"] = parts
        context["can_manage"] = parts.can_manage
        context["dashboard"] = dashboard
        context["dashboard_state"] = state
        context["cities"] = SimpleLazyObject(lambda: [row.city for row in dashboard.rows])
        if setting_up:
            context["setup"] = cohort_checklist_for_page(self.cohort, state)
        # Once the cohort is over, each city's outcome (outside the kept body: staff confirm them).
        if completion_selectors.cohort_has_ended(self.cohort):
            context["outcome_rows"] = completion_selectors.cohort_outcomes(self.cohort, user)

        def body():
            html = render_to_string("dashboards/includes/cohort_body.html", context, request=self.request)
            return list(dashboard.filters.notices), html

        if state.cacheable:
            # The filters' notices and the body, kept together under the page's state; the requests
            # of a process that find them missing (the minute turned, a row changed) wait for one
            # of them to render it, not each their own.
            notices, html = kept("cohort_dashboard", (state.key,), body, seconds=state.seconds)
            context["body_html"] = mark_safe(html)  # rendered by our templates, escaped there
        else:
            notices = dashboard.filters.notices
        for notice in notices:
            messages.info(self.request, notice)
        return context


class ImpactMixin(PermissionMixin):
    """The impact report of one cohort (program staff); `?compare=<cohort>` adds another's
    headline figures beside it."""

    permission_required = "dashboards.view_impact"
    # A report on many cities: to anyone else it does not exist.
    hide_without_permission = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cohort = get_object_or_404(Cohort.objects.all(), slug=kwargs["cohort_slug"])
        return super().dispatch(request, *args, **kwargs)

    def report_context(self):
        report = impact.impact_report(self.cohort)
        others = list(Cohort.objects.exclude(pk=self.cohort.pk).order_by("-start_date"))
        compare = next((c for c in others if c.slug == self.request.GET.get("compare")), None)
        comparison = None
        if compare is not None:
            theirs = impact.impact_report(compare).headline()
            comparison = [(label, mine, other) for (label, mine), (_l, other) in
                          zip(report.headline(), theirs, strict=True)]
        return {"base_template": "base.html", "cohort": self.cohort, "report": report,
                "charts": impact.impact_charts(report), "components": COMPONENTS, "others": others,
                "compare": compare, "comparison": comparison}


class ImpactView(ImpactMixin, TemplateView):
    template_name = "dashboards/impact.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.report_context()}


class ImpactPdfView(ImpactMixin, View):
    def get(self, request, *args, **kwargs):
        context = {**self.report_context(), "for_pdf": True, "base_template": "accelerator/pdf_base.html"}
        html = render_to_string("dashboards/impact.html", context, request=request)
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="impact-{self.cohort.slug}.pdf"'
        return response


class ImpactCsvView(ImpactMixin, View):
    def get(self, request, *args, **kwargs):
        report = impact.impact_report(self.cohort)
        audit_record(cohort=self.cohort, actor=request.user, action="export.impact", data={"export": "impact"})
        header = [_("Section"), _("Subject"), _("Measure"), _("Value")]
        return csv_response(f"{self.cohort.slug}-impact-{timezone.localdate().isoformat()}.csv", header,
                            impact.impact_csv_rows(report))
