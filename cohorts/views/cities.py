from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import CreateView, UpdateView

from accelerator.permissions import CityMixin, PermissionMixin
from cohorts.models import Cohort

from ..forms.cohorts import CityForm
from ..services.cities import city_create, city_update


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
        self.object = city_create(form=form, actor=self.request.user)
        messages.success(self.request, _("City created. Next, invite its mayor and team."))
        return redirect(self.get_success_url())


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
        self.object = city_update(form=form, actor=self.request.user)
        messages.success(self.request, _("City saved."))
        return redirect(self.get_success_url())
