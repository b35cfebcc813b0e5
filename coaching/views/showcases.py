from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from accelerator.caching import kept
from accelerator.errors import RuleViolation, add_rule_error
from accelerator.pagination import CountingPaginator
from accelerator.permissions import CityMixin, PermissionMixin
from cohorts.models import Cohort

from .. import page_cache, selectors
from ..forms import FeedbackForm, ShowcaseForm
from ..models import EvidenceFile, Showcase
from ..services.showcases import (
    SHOWCASE_FIELDS,
    evidence_remove,
    showcase_create,
    showcase_give_feedback,
    showcase_submit,
    showcase_update,
)


class ShowcaseLookupMixin:
    def get_showcase(self):
        if not hasattr(self, "_showcase"):
            self._showcase = get_object_or_404(
                selectors.showcase_detail(self.city.showcases.all(), self.kwargs["code"])
            )
        return self._showcase


class ShowcaseListView(CityMixin, TemplateView):
    permission_required = "coaching.view"
    template_name = "coaching/showcases.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, city = self.request.user, self.city
        rights = {"can_edit": user.has_perm("coaching.edit_showcase", city),
                  # Asked of the city, like every permission of this page: without an object the
                  # model backend reads the person's permission rows.
                  "can_see_cohort": user.has_perm("coaching.view_cohort_showcases", city)}

        def render():
            return render_to_string("coaching/_showcases_body.html", {
                "city": city, "showcases": list(selectors.city_showcases(city)), **rights,
            })

        cohort = city.cohort
        parts = (page_cache.city_showcases_stamp(city), cohort.pk, cohort.slug, cohort.name, sorted(rights.items()))
        body = page_cache.kept_part("showcases", city, parts, lambda: str(render()))
        context["body"] = mark_safe(body)  # our template escaped it
        return context


class ShowcaseDetailView(CityMixin, TemplateView):
    permission_required = "coaching.view"
    template_name = "coaching/showcase_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, city, code = self.request.user, self.city, self.kwargs["code"]
        # What keys the kept content: every change of the showcase, its evidence or its feedback
        # moves `updated_at` (coaching.services.showcases).
        stamp = page_cache.showcase_stamp(city, code)
        if stamp is None:
            raise Http404
        pk, title, status, updated_at = stamp
        rights = {"can_edit": user.has_perm("coaching.edit_showcase", city),
                  "can_feedback": user.has_perm("coaching.give_feedback", city)}
        # A draft the viewer may change shows forms, each with the viewer's token: never kept.
        forms = rights["can_edit"] and status == Showcase.Status.DRAFT

        def render():
            showcase = get_object_or_404(selectors.showcase_detail(city.showcases.all(), code))
            extra = {"csrf_token": get_token(self.request)} if forms else {}
            return render_to_string("coaching/_showcase_body.html",
                                    {"city": city, "showcase": showcase, **rights, **extra})

        if forms:
            body = render()
        else:
            parts = (pk, updated_at, sorted(rights.items()))
            body = mark_safe(page_cache.kept_part("showcase", city, parts, lambda: str(render())))  # escaped there
        context.update(title=title, body=body)
        return context


class ShowcaseFormMixin:
    permission_required = "coaching.edit_showcase"
    template_name = "coaching/showcase_form.html"
    form_class = ShowcaseForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "max_bytes": settings.UPLOAD_MAX_BYTES}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in SHOWCASE_FIELDS}
        try:
            showcase = self.save(fields, form.cleaned_data.get("evidence_file"))
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Showcase saved. Submit it when it is ready for your coach."))
        return redirect(showcase.get_absolute_url())


class ShowcaseCreateView(ShowcaseFormMixin, CityMixin, FormView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Prepare a showcase"), **kwargs)

    def save(self, fields, upload):
        return showcase_create(city=self.city, actor=self.request.user, upload=upload, **fields)


class ShowcaseEditView(ShowcaseLookupMixin, ShowcaseFormMixin, CityMixin, FormView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_showcase()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Edit showcase"), showcase=self.get_showcase(), **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.get_showcase().is_editable:
            messages.info(request, _("This showcase has been submitted and can no longer be changed."))
            return redirect(self.get_showcase().get_absolute_url())
        return super().get(request, *args, **kwargs)

    def save(self, fields, upload):
        return showcase_update(showcase=self.get_showcase(), actor=self.request.user, upload=upload, **fields)


class ShowcaseSubmitView(ShowcaseLookupMixin, CityMixin, View):
    permission_required = "coaching.edit_showcase"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        showcase = showcase_submit(showcase=self.get_showcase(), actor=request.user)
        messages.success(request, _("Submitted. Your coach has been told and will give feedback."))
        return redirect(showcase.get_absolute_url())


class ShowcaseFeedbackView(ShowcaseLookupMixin, CityMixin, FormView):
    permission_required = "coaching.give_feedback"
    template_name = "coaching/feedback_form.html"
    form_class = FeedbackForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(showcase=self.get_showcase(), **kwargs)

    def form_valid(self, form):
        try:
            showcase_give_feedback(showcase=self.get_showcase(), actor=self.request.user, **form.cleaned_data)
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Feedback saved; the team has been emailed."))
        return redirect(self.get_showcase().get_absolute_url())


def _evidence(city, code):
    return get_object_or_404(EvidenceFile.objects.select_related("showcase__city"), showcase__city=city, code=code)


class EvidenceDownloadView(CityMixin, View):
    """The only way to an uploaded file: through the city, as an attachment."""

    permission_required = "coaching.view"

    def get(self, request, *args, **kwargs):
        evidence = _evidence(self.city, kwargs["code"])
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("This file is no longer stored.")) from None
        response = FileResponse(
            handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class EvidenceRemoveView(CityMixin, View):
    permission_required = "coaching.edit_showcase"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        evidence = _evidence(self.city, kwargs["code"])
        showcase = evidence.showcase
        try:
            evidence_remove(evidence=evidence, actor=request.user)
        except RuleViolation as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("File removed."))
        return redirect(showcase.get_absolute_url())


class CohortShowcasesView(PermissionMixin, TemplateView):
    """Program staff: every showcase of a cohort and where it stands (the coaching cadence is a
    setting of the cohort: coaching:cohort_settings)."""

    permission_required = "coaching.view_cohort_showcases"
    template_name = "coaching/cohort_showcases.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        self.cohort = get_object_or_404(Cohort, slug=kwargs["cohort_slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        cohort, number = self.cohort, self.request.GET.get("page")

        def render():
            page = CountingPaginator(selectors.cohort_showcases(cohort), self.paginate_by).get_page(number)
            return render_to_string("coaching/_cohort_showcases_body.html", {
                "cohort": cohort, "page": page, "showcases": selectors.with_feedback_labels(list(page.object_list)),
            })

        parts = (cohort.pk, cohort.name, page_cache.cohort_showcases_stamp(cohort), number)
        body = mark_safe(kept("coaching:cohort_showcases", parts, lambda: str(render())))  # escaped there
        return super().get_context_data(cohort=cohort, body=body, **kwargs)
