from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _

from accelerator.permissions import CityMixin

from ..caching import plan_stamps
from ..guide import COMPONENT_KINDS
from ..selectors import new_strategy, strategy_for
from ..services.units import unit_anchor, unit_part


class StrategyMixin(CityMixin):
    permission_required = "strategy.view_plan"

    @cached_property
    def strategy(self):
        return strategy_for(self.city)

    def read_stamps(self, **kwargs):
        """`plan_stamps` of this city's plan; a city without one yet gets it made now."""
        stamps = plan_stamps(self.city, **kwargs)
        if stamps.plan is None:
            self.__dict__["strategy"] = new_strategy(self.city)  # this request's plan (a cached_property)
        return stamps

    def plan_url(self, anchor="", part=""):
        """The plan page scrolled to `anchor`, showing `part` if it is a component (each has a page
        of its own; the written parts are on the page the plan opens with)."""
        from django.urls import reverse

        url = reverse("strategy:plan", kwargs={"city_slug": self.city.slug})
        if part in COMPONENT_KINDS:
            url = f"{url}?part={part}"
        return f"{url}#{anchor}" if anchor else url

    def unit_url(self, unit):
        """The plan page at one of its units."""
        return self.plan_url(unit_anchor(unit.UNIT_KIND, unit.code), part=unit_part(unit))

    def get_context_data(self, **kwargs):
        # Read only if the page shows it: several pages find what they list by the city alone.
        return super().get_context_data(strategy=SimpleLazyObject(lambda: self.strategy), **kwargs)


class EditableMixin(StrategyMixin):
    """Pages that change the plan: only while it is a draft or has changes requested."""

    permission_required = "strategy.edit_plan"

    def handle_locked(self):
        messages.info(self.request, _("The plan is %(status)s, so it cannot be changed now.")
                      % {"status": self.strategy.get_status_display().lower()})
        return redirect(self.plan_url())
