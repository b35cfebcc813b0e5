"""Feedback after a session: the attendee's form, the results per session and per cohort, the CSV."""

from datetime import UTC

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accelerator.errors import RuleViolation, add_rule_error
from accelerator.permissions import PermissionMixin
from agenda import selectors
from agenda.forms import FeedbackForm
from agenda.models import LearningGoal, Session, SessionFeedback
from agenda.services.feedback import attendee_city_id, feedback_give
from agenda.views.sessions import SessionMixin
from cohorts import selectors as cohort_selectors
from cohorts.models import City
from cohorts.views.exports import CohortExportView


class SessionFeedbackView(SessionMixin, FormView):
    """The attendee's answer. Only someone the ledger marks as having attended sees the form;
    to anyone else the page does not exist."""

    permission_required = "agenda.give_feedback"
    template_name = "agenda/session_feedback.html"
    form_class = FeedbackForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.session = get_object_or_404(
                Session.objects.visible_to(request.user).select_related("cohort", "city").prefetch_related("days"),
                code=kwargs["code"],
            )
            if attendee_city_id(self.session, request.user) is None:
                raise Http404
            self.answer = SessionFeedback.objects.filter(session=self.session, person=request.user).first()
        return super(SessionMixin, self).dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.answer is None:
            return {}
        return {"usefulness": self.answer.usefulness, "will_apply": self.answer.will_apply,
                "comment": self.answer.comment}

    def get_context_data(self, **kwargs):
        return super().get_context_data(answer=self.answer, **kwargs)

    def form_valid(self, form):
        try:
            _feedback, created = feedback_give(session=self.session, actor=self.request.user, **form.cleaned_data)
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you for your feedback.") if created
                         else _("Your feedback is updated."))
        return redirect(self.session.get_absolute_url())


class SessionFeedbackResultsView(SessionMixin, TemplateView):
    """Averages, distributions and comments of one session, from the cities the viewer sees."""

    permission_required = "agenda.view_feedback"
    template_name = "agenda/session_feedback_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cities = City.objects.visible_to(self.request.user)
        answers = self.session.feedback.filter(city__in=cities)
        context.update(
            summary=selectors.feedback_summary(answers), comments=selectors.feedback_comments(answers),
            attended=selectors.session_attendee_count(self.session, cities),
        )
        return context


class CohortFeedbackMixin(PermissionMixin):
    permission_required = "agenda.view_cohort_calendar"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cohort = cohort_selectors.visible_cohort_at(request.user, kwargs["cohort_slug"])
            if self.cohort is None:
                raise Http404("No cohort here.")
        return super().dispatch(request, *args, **kwargs)


class CohortFeedbackView(CohortFeedbackMixin, TemplateView):
    """The cohort's feedback per learning goal, per kind of session and per session."""

    template_name = "agenda/cohort_feedback.html"

    def get_context_data(self, **kwargs):
        cities = City.objects.visible_to(self.request.user).filter(cohort=self.cohort)
        return super().get_context_data(cohort=self.cohort, feedback=selectors.cohort_feedback(self.cohort, cities),
                                        **kwargs)


class FeedbackExportView(CohortExportView):
    """Every answer of the cohort (the viewer's cities), one row each, streamed."""

    export_name = "feedback"

    def table(self):
        header = [_("City"), _("Person"), _("Email"), _("Session"), _("Kind"), _("Learning goal"),
                  _("Starts (UTC)"), _("Usefulness (1–5)"), _("I will apply this in my city (1–5)"), _("Comment"),
                  _("Answered at (UTC)")]
        kinds = {value: str(label) for value, label in Session.Kind.choices}
        goals = {value: str(label) for value, label in LearningGoal.choices}
        answers = (
            SessionFeedback.objects.filter(city__in=self.cities(), session__cohort=self.cohort)
            .order_by("session__starts_at", "city__name", "person__full_name")
            .values_list("city__name", "person__full_name", "person__email", "session__title", "session__kind",
                         "session__learning_goal", "session__starts_at", "usefulness", "will_apply", "comment",
                         "updated_at")
        )
        rows = (
            [city, person, email, title, kinds.get(kind, kind), goals.get(goal, goal),
             starts.astimezone(UTC).isoformat(timespec="minutes"), usefulness, will_apply, comment,
             answered.astimezone(UTC).isoformat(timespec="minutes")]
            for city, person, email, title, kind, goal, starts, usefulness, will_apply, comment, answered
            in answers.iterator(chunk_size=2000)
        )
        return header, rows
