"""City access: the one place that turns `/cities/<slug>/…` into a city and the viewer's relation,
built on the visibility rule in `cohorts.models.visibility`.

Every request runs inside a django-scopes scope, so a query on a city-owned model that forgets
its city raises instead of leaking: on a city page the scope is that city; elsewhere it is the
cities the viewer may see (program staff: scopes disabled, visibly).
"""

from dataclasses import dataclass
from typing import Optional

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import Resolver404, resolve
from django_scopes import scope, scopes_disabled

from .models import City
from .models.visibility import Relation, current_memberships, relations

__all__ = ["CityAccess", "CityScopeMiddleware", "Relation", "city_access", "memberships_of", "relations",
           "resolve_city"]


@dataclass(frozen=True)
class CityAccess:
    city: "object"
    relation: str
    membership: Optional["object"] = None

    @property
    def is_staff(self):
        return self.relation == Relation.STAFF

    @property
    def is_coach(self):
        return self.relation == Relation.COACH

    @property
    def is_member(self):
        return self.relation == Relation.MEMBER

    @property
    def is_mayor(self):
        return self.membership is not None and self.membership.is_mayor


_CACHE_ATTR = "_accelerator_city_access"
# Every membership of the viewer, as the resolver last read them: the menu offers each of the
# person's cities (one per cohort) without asking the database again.
MEMBERSHIPS_ATTR = "_accelerator_memberships"


def memberships_of(user):
    """The person's memberships in every cohort, newest cohort first, each with its city and
    cohort: one query."""
    if not user.is_authenticated:
        return []
    return list(
        current_memberships().filter(user=user).select_related("city", "cohort")
        .order_by("-cohort__start_date", "city__name")
    )


def city_access(user, city) -> CityAccess | None:
    """The viewer's relation to one city, or None. Cached on the user object for the request so
    the resolver, the permission rules and the templates ask the database once."""
    if not user.is_authenticated:
        return None
    # request.user is a lazy wrapper; the permission backends get the user inside it. Cache on
    # that one object, so the resolver and the rules share the answer.
    user = getattr(user, "_wrapped", user)
    cache = user.__dict__.setdefault(_CACHE_ATTR, {})
    if city.pk in cache:
        return cache[city.pk]
    rel = relations(user)
    access = None
    if rel.sees_all:
        access = CityAccess(city, Relation.STAFF)
    elif rel.coached_city_ids.filter(city=city).exists():
        access = CityAccess(city, Relation.COACH)
    else:
        # The membership of this city's cohort; the others come along for the menu in the same query.
        mine = memberships_of(user)
        user.__dict__[MEMBERSHIPS_ATTR] = mine
        membership = next((m for m in mine if m.city_id == city.pk), None)
        if membership is not None:
            membership.city = city
            access = CityAccess(city, Relation.MEMBER, membership)
    cache[city.pk] = access
    return access


def resolve_city(user, city_slug) -> CityAccess:
    city = City.objects.select_related("cohort").filter(slug=city_slug).first()
    access = city_access(user, city) if city is not None else None
    if access is None:
        # The same answer for "no such city" and "not yours": outsiders learn nothing.
        raise Http404("No city here.")
    return access


def visible_city_ids(user):
    return list(City.objects.visible_to(user).values_list("pk", flat=True))


class CityScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        city_slug = match.kwargs.get("city_slug") if match else None
        if city_slug is not None:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = resolve_city(request.user, city_slug)
            request.city_access = access
            request.city = access.city
            with scope(city=access.city):
                return self.get_response(request)
        if relations(request.user).sees_all:
            with scopes_disabled():
                return self.get_response(request)
        if request.user.is_authenticated:
            with scope(city=visible_city_ids(request.user)):
                return self.get_response(request)
        with scope(city=[]):
            return self.get_response(request)
