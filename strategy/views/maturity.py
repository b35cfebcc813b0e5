from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accelerator.caching import kept

from .. import selectors
from ..forms import MaturityForm
from ..models import MaturityRating
from ..services.maturity import maturity_rate
from .base import StrategyMixin


class MaturityView(StrategyMixin, FormView):
    permission_required = "strategy.assess_maturity"
    template_name = "strategy/maturity.html"
    form_class = MaturityForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["phase"] not in MaturityRating.Phase.values:
            raise Http404
        self.phase = MaturityRating.Phase(kwargs["phase"])

    @cached_property
    def current(self):
        """{component: this phase's rating or None}."""
        return {k: v.get(self.phase) for k, v in selectors.maturity_ratings(self.city).items()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "current": self.current}

    def get_context_data(self, **kwargs):
        if "form" in kwargs:  # posted and not valid: shown as typed
            return super().get_context_data(phase=self.phase, **kwargs)
        # The fields as they open: the same for everyone until a rating changes (its level or note),
        # kept, and the form made only when they are rendered again.
        shown = sorted((kind, r.level, r.note) for kind, r in self.current.items() if r is not None)
        fields_html = mark_safe(kept(  # rendered (and escaped) by our own template
            "strategy:maturity-fields", (self.phase, shown),
            lambda: render_to_string("strategy/includes/maturity_fields.html", {"form": self.get_form()})))
        return super().get_context_data(phase=self.phase, form=None, fields_html=fields_html, **kwargs)

    def form_valid(self, form):
        maturity_rate(city=self.city, actor=self.request.user, phase=self.phase, ratings=form.ratings())
        messages.success(self.request, _("Self-assessment saved."))
        return redirect(self.plan_url("maturity"))
