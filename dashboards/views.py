"""The two pages that read across apps: a city's home and the cohort's dashboard."""

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django.views.generic import TemplateView

from accelerator.permissions import CityMixin, PermissionMixin
from cohorts import selectors as cohort_selectors

from . import city_home
from .selectors import cohort_dashboard, page_state


class CityHomeView(CityMixin, TemplateView):
    template_name = "dashboards/city_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["team"] = list(cohort_selectors.city_team(self.city))
        context["coaches"] = cohort_selectors.city_coaches(self.city)
        data = city_home.home_data(self.city, self.city_access)
        context["next_actions"] = city_home.next_actions(self.city, user, self.city_access, data=data)
        context["upcoming"] = city_home.next_sessions(self.city, user)
        context["open_items"] = city_home.open_items(data)
        context["showcases"] = city_home.showcases(data)
        # Read once here; the strategy card and the mayor's decisions block take them from the context.
        context["strategy"] = data.strategy
        context["decisions_waiting"] = data.decisions
        return context


class CohortDetailView(PermissionMixin, TemplateView):
    permission_required = "cohorts.view_cohort"
    template_name = "dashboards/cohort_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cohort = get_object_or_404(cohort_selectors.cohorts_for_user(request.user), slug=kwargs["cohort_slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, params = self.request.user, self.request.GET
        state = page_state(self.cohort, user, params)
        notices = cache.get(f"cohort_dashboard_notices:{state.key}") if state.cacheable else None
        if notices is None:
            dashboard = cohort_dashboard(self.cohort, user, params)
            notices = dashboard.filters.notices
            if state.cacheable:
                cache.set(f"cohort_dashboard_notices:{state.key}", notices, state.seconds)
        else:
            # The body is most likely cached under the same key: the rows are built only if the
            # template asks for them (its cached copy expired meanwhile).
            dashboard = SimpleLazyObject(lambda: cohort_dashboard(self.cohort, user, params))
        for notice in notices:
            messages.info(self.request, notice)
        context["cohort"] = self.cohort
        context["dashboard"] = dashboard
        context["dashboard_state"] = state
        context["cities"] = SimpleLazyObject(lambda: [row.city for row in dashboard.rows])
        return context
