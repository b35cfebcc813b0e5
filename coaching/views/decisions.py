from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from accelerator.errors import RuleViolation, add_rule_error
from accelerator.permissions import CityMixin
from agenda.models import Session

from .. import page_cache, selectors
from ..forms import DecideForm, DecisionForm
from ..services.decisions import decision_decide, decision_raise, decision_withdraw


def checkpoint_sessions(city):
    """The city's mayor-checkpoint sessions, to tie a decision to."""
    return Session.objects.filter(city=city, kind=Session.Kind.CHECKPOINT).exclude(
        status=Session.Status.CANCELLED
    ).order_by("starts_at")


class DecisionListView(CityMixin, TemplateView):
    permission_required = "coaching.view"
    template_name = "coaching/decisions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, city = self.request.user, self.city
        rights = {"can_raise": user.has_perm("coaching.raise_decision", city),
                  "can_decide": user.has_perm("coaching.decide", city)}

        def render():
            decisions = list(selectors.city_decisions(city))
            return render_to_string("coaching/_decisions_body.html", {
                "city": city, **rights,
                "pending": [d for d in decisions if d.is_pending],
                "closed": [d for d in decisions if not d.is_pending],
            })

        context["body"] = page_cache.city_html("decisions", city, (sorted(rights.items()),), render)
        return context


class DecisionCreateView(CityMixin, FormView):
    permission_required = "coaching.raise_decision"
    template_name = "cohorts/form.html"
    form_class = DecisionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "city": self.city, "sessions": checkpoint_sessions(self.city)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Ask the mayor for a decision"), cancel_url=self.city_url("coaching:decisions"), **kwargs
        )

    def city_url(self, name):
        return reverse(name, kwargs={"city_slug": self.city.slug})

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            decision = decision_raise(
                city=self.city, actor=self.request.user, question=data["question"], context=data["context"],
                options=data["options"], due_on=data["due_on"], session=data.get("session"),
            )
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The mayor has been asked and notified by email."))
        return redirect(decision.get_absolute_url())


class DecisionDetailView(CityMixin, TemplateView):
    permission_required = "coaching.view"
    template_name = "coaching/decision_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, city, code = self.request.user, self.city, self.kwargs["code"]

        def build():
            decision = get_object_or_404(selectors.city_decisions(city), code=code)
            body = render_to_string("coaching/_decision_body.html", {"city": city, "decision": decision})
            return {"question": decision.question, "pending": decision.is_pending, "body": body}

        shown = page_cache.city_part("decision", city, (code,), build)
        context.update(
            code=code, question=shown["question"], pending=shown["pending"],
            body=mark_safe(shown["body"]),  # our template escaped it
            can_decide=user.has_perm("coaching.decide", city),
            can_withdraw=user.has_perm("coaching.withdraw_decision", city),
        )
        return context


class DecisionDecideView(CityMixin, FormView):
    permission_required = "coaching.decide"
    template_name = "coaching/decide.html"
    form_class = DecideForm

    def dispatch(self, request, *args, **kwargs):
        self.decision = get_object_or_404(selectors.city_decisions(self.city), code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "decision": self.decision}

    def get_context_data(self, **kwargs):
        return super().get_context_data(decision=self.decision, **kwargs)

    def form_valid(self, form):
        try:
            decision_decide(
                decision=self.decision, actor=self.request.user, note=form.cleaned_data["decision_note"],
                chosen_option=form.cleaned_data.get("chosen_option", ""),
            )
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request,
                         _("Your decision is recorded; whoever asked and the coach have been told by email."))
        return redirect(self.decision.get_absolute_url())


class DecisionWithdrawView(CityMixin, View):
    """The coach or the team takes back a request that is no longer needed (no more reminders)."""

    permission_required = "coaching.withdraw_decision"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        decision = get_object_or_404(selectors.city_decisions(self.city), code=kwargs["code"])
        try:
            decision_withdraw(decision=decision, actor=request.user)
        except RuleViolation as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Request withdrawn."))
        return redirect(decision.get_absolute_url())
