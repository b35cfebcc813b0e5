from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import CreateView, TemplateView, UpdateView

from accelerator.audit import audit_record
from accelerator.permissions import CityMixin, PermissionMixin

from .. import selectors
from ..forms.cohorts import CityForm
from ..models import Cohort
from ..services.teams import city_set_coaches


class CityHomeView(CityMixin, TemplateView):
    template_name = "cohorts/city_home.html"

    def get_context_data(self, **kwargs):
        from dashboards import city_home

        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["team"] = list(selectors.city_team(self.city))
        context["coaches"] = selectors.city_coaches(self.city)
        context["next_actions"] = city_home.next_actions(self.city, user, self.city_access)
        context["upcoming"] = city_home.next_sessions(self.city, user)
        context["open_items"] = city_home.open_items(self.city)
        context["showcases"] = city_home.showcases(self.city)
        return context


class CityCreateView(PermissionMixin, CreateView):
    permission_required = "cohorts.manage_cohorts"
    form_class = CityForm
    template_name = "cohorts/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.cohort = get_object_or_404(Cohort, slug=kwargs["cohort_slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cohort": self.cohort}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("New city in %(cohort)s") % {"cohort": self.cohort}, **kwargs)

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            city_set_coaches(city=self.object, coaches=form.cleaned_data["coaches"], actor=self.request.user)
            audit_record(city=self.object, actor=self.request.user, action="city.created",
                         data={"city_name": self.object.name})
        messages.success(self.request, _("City created. Next, invite its mayor and team."))
        return response


class CityUpdateView(CityMixin, UpdateView):
    permission_required = "cohorts.manage_city"
    form_class = CityForm
    template_name = "cohorts/form.html"

    def get_object(self, queryset=None):
        return self.city

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cohort": self.city.cohort}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Edit %(city)s") % {"city": self.city}, **kwargs)

    def form_valid(self, form):
        before = form.initial["status"]
        with transaction.atomic():
            response = super().form_valid(form)
            city_set_coaches(city=self.object, coaches=form.cleaned_data["coaches"], actor=self.request.user)
            if before != self.object.status:
                audit_record(
                    city=self.object, actor=self.request.user, action="city.status_changed",
                    data={"before": before, "after": self.object.status},
                )
        messages.success(self.request, _("City saved."))
        return response
