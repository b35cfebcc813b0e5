from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_scopes import scopes_disabled

from accelerator.errors import RuleViolation
from accelerator.models import AuditEvent
from accelerator.prepared import PreparedQuery

from .. import selectors
from ..forms import TransitionForm
from ..progress import plan_progress
from ..services.review import TRANSITIONS, available_transitions, strategy_transition
from .base import StrategyMixin


def _review_events(city):
    with scopes_disabled():  # the city is the query's own filter
        return AuditEvent.objects.filter(city_id=city, action__startswith="strategy.")[:20]


# The plan's latest review steps, compiled once per process (accelerator.prepared); -7305001 stands
# for the city.
_review_events_of = PreparedQuery(_review_events, city=-7_305_001)


class ReviewView(StrategyMixin, TemplateView):
    """Where the plan stands in review, and the steps the viewer may take."""

    template_name = "strategy/review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        transitions = available_transitions(self.strategy, city=self.city, actor=self.request.user)
        context.update(
            transitions=transitions, form=kwargs.get("form") or TransitionForm(),
            failed=kwargs.get("failed"),
            problems=self.problems() if any(t.name == "submit" for t in transitions) else [],
            # Each event names its actor (actor_label): no need to read the people.
            events=_review_events_of(city=self.city.pk),
            edition=selectors.latest_edition(self.strategy),
        )
        return context

    def problems(self):
        """What submission still needs, each with the part of the plan it is in (its link opens that part)."""
        return [(message, anchor, part.key) for part in plan_progress(selectors.page_tree(self.strategy))
                for message, anchor in part.missing]

    def post(self, request, *args, **kwargs):
        name = request.POST.get("step", "")
        form = TransitionForm(request.POST)
        form.is_valid()
        try:
            strategy_transition(city=self.city, actor=request.user, name=name,
                                message=form.cleaned_data.get("message", ""))
        except RuleViolation as error:
            if error.field == "message":
                form.add_error("message", error.messages)
            else:
                form.add_error(None, error.messages)
            return self.render_to_response(self.get_context_data(form=form, failed=name), status=200)
        step = TRANSITIONS[name]
        messages.success(request, _("Done: %(step)s.") % {"step": step.label})
        return redirect("strategy:plan", city_slug=self.city.slug)
