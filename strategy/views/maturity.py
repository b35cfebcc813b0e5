from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

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

    def get_form_kwargs(self):
        ratings = selectors.maturity_ratings(self.city)
        return {**super().get_form_kwargs(), "current": {k: v.get(self.phase) for k, v in ratings.items()}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(phase=self.phase, **kwargs)

    def form_valid(self, form):
        maturity_rate(city=self.city, actor=self.request.user, phase=self.phase, ratings=form.ratings())
        messages.success(self.request, _("Self-assessment saved."))
        return redirect(self.plan_url("maturity"))
