from functools import cached_property

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from accelerator.errors import RuleViolation, add_rule_error
from cohorts.models import Cohort

from .. import selectors, services
from ..forms import AnnouncementForm
from .staff import StaffOnlyMixin


class CohortAnnouncementsMixin(StaffOnlyMixin):
    permission_required = "announcements.manage_announcements"

    @cached_property
    def cohort(self):
        return get_object_or_404(Cohort, slug=self.kwargs["cohort_slug"])

    @cached_property
    def announcement(self):
        announcement = get_object_or_404(
            self.cohort.announcements.select_related("session").prefetch_related("cities"), code=self.kwargs["code"]
        )
        announcement.cohort = self.cohort
        return announcement

    def preview_url(self, announcement):
        return reverse("announcements:preview", kwargs={"cohort_slug": self.cohort.slug, "code": announcement.code})

    def get_context_data(self, **kwargs):
        return super().get_context_data(cohort=self.cohort, **kwargs)


class AnnouncementListView(CohortAnnouncementsMixin, TemplateView):
    template_name = "announcements/list.html"

    def get_context_data(self, **kwargs):
        announcements = list(selectors.cohort_announcements(self.cohort))
        return super().get_context_data(
            drafts=[a for a in announcements if a.is_draft and not a.is_archived],
            sent=[a for a in announcements if not a.is_draft],
            archived=[a for a in announcements if a.is_draft and a.is_archived],
            **kwargs,
        )


class AnnouncementFormMixin(CohortAnnouncementsMixin, FormView):
    form_class = AnnouncementForm
    template_name = "announcements/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cohort": self.cohort}


class AnnouncementCreateView(AnnouncementFormMixin):
    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("New announcement"), **kwargs)

    def form_valid(self, form):
        announcement = services.announcement_create(cohort=self.cohort, actor=self.request.user,
                                                    **form.service_fields())
        messages.success(self.request, _("Draft saved. Check who gets it and how it reads, then send it."))
        return redirect(self.preview_url(announcement))


class AnnouncementEditView(AnnouncementFormMixin):
    def get(self, request, *args, **kwargs):
        if not self.announcement.is_draft:
            messages.info(request, _("This announcement was sent; it can no longer be changed."))
            return redirect(self.preview_url(self.announcement))
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return AnnouncementForm.initial_for(self.announcement)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Edit announcement"), announcement=self.announcement, **kwargs)

    def form_valid(self, form):
        try:
            announcement = services.announcement_update(announcement=self.announcement, actor=self.request.user,
                                                        **form.service_fields())
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Draft saved. Check who gets it and how it reads, then send it."))
        return redirect(self.preview_url(announcement))


class AnnouncementPreviewView(CohortAnnouncementsMixin, TemplateView):
    """The review before sending: every recipient, and the message as the chosen one gets it."""

    template_name = "announcements/preview.html"

    def get_context_data(self, **kwargs):
        announcement = self.announcement
        recipients = selectors.announcement_recipients(announcement)
        chosen = None
        if recipients:
            wanted = self.request.GET.get("to", "")
            chosen = next((r for r in recipients if str(r.person.pk) == wanted), recipients[0])
        return super().get_context_data(
            announcement=announcement, recipients=recipients, chosen=chosen,
            preview=selectors.announcement_preview(announcement, chosen) if chosen else None,
            can_send=announcement.is_draft and not announcement.is_archived and bool(recipients),
            **kwargs,
        )


class AnnouncementSendView(CohortAnnouncementsMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            announcement = services.announcement_send(announcement=self.announcement, actor=request.user)
        except RuleViolation as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.preview_url(self.announcement))
        messages.success(request, _("Sent: %(count)s messages are on their way. The outbox shows each one.")
                         % {"count": announcement.sent_count})
        return redirect("announcements:list", cohort_slug=self.cohort.slug)


class AnnouncementArchiveView(CohortAnnouncementsMixin, View):
    def post(self, request, *args, **kwargs):
        restore = request.POST.get("restore") == "1"
        try:
            services.announcement_archive(announcement=self.announcement, actor=request.user, archived=not restore)
        except RuleViolation as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Draft restored.") if restore else _("Draft archived."))
        return redirect("announcements:list", cohort_slug=self.cohort.slug)
