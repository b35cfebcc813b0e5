"""The mayor's public toggle, the team's sharing toggles, and what other cities share."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accelerator.errors import RuleViolation
from accelerator.permissions import CityMixin

from .. import selectors
from ..services.publishing import strategy_set_public
from ..services.sharing import unit_share
from .base import StrategyMixin


class PublicToggleView(StrategyMixin, View):
    permission_required = "strategy.publish_public"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        public = request.POST.get("public") == "1"
        try:
            strategy_set_public(city=self.city, actor=request.user, public=public)
        except RuleViolation as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The approved strategy is now public.") if public
                             else _("The strategy is no longer public."))
        return redirect(self.plan_url("publishing"))


class ShareView(StrategyMixin, View):
    permission_required = "strategy.share"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        shared = request.POST.get("shared") == "1"
        try:
            unit = unit_share(city=self.city, actor=request.user, kind=kwargs["kind"], code=kwargs["code"],
                              shared=shared, learning_goal=request.POST.get("learning_goal", ""))
        except RuleViolation as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.plan_url())
        messages.success(request, _("Shared with the cohort.") if shared else _("No longer shared with the cohort."))
        return redirect(self.unit_url(unit))


class PeersView(CityMixin, TemplateView):
    """What the other cities of the cohort chose to share, by component and learning goal (it
    reads none of this city's plan, so it does not make one)."""

    permission_required = "strategy.view_peers"
    template_name = "strategy/peers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["components"] = selectors.cohort_shared_items(self.city)
        return context
