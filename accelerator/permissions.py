"""View mixins: a view names the permission it needs; the rules in each app's rules.py decide."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404


class PermissionMixin(LoginRequiredMixin):
    """Requires `permission_required` on `get_permission_object()`; 403 for a signed-in person
    who lacks it. City pages never get here without a relation: the resolver already said 404."""

    permission_required = None
    # Pages whose very existence is not for everyone (exports naming many cities' people)
    # answer 404 instead of 403.
    hide_without_permission = False

    def get_permission_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(self.permission_required, self.get_permission_object()):
            if self.hide_without_permission:
                raise Http404
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CityMixin(PermissionMixin):
    """A page of one city: `self.city` is the city the resolver attached to the request."""

    permission_required = "cohorts.view_city"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.city = getattr(request, "city", None)
        self.city_access = getattr(request, "city_access", None)

    def get_permission_object(self):
        return self.city

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["city"] = self.city
        context["city_access"] = self.city_access
        return context
