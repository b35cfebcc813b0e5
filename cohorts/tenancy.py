"""City access: the one place that turns `/cities/<slug>/…` into a city and the viewer's relation,
built on the visibility rule in `cohorts.models.visibility`.

Every request runs inside a django-scopes scope, so a query on a city-owned model that forgets
its city raises instead of leaking: on a city page the scope is that city; elsewhere it is the
cities the viewer may see (program staff: scopes disabled, visibly).
"""

import functools
from dataclasses import dataclass
from typing import Optional

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.urls import Resolver404, get_urlconf, resolve
from django_scopes import get_scope, scope, scopes_disabled
from django_scopes.exceptions import ScopeError

from accelerator.prepared import PreparedQuery

from .models import City
from .models.visibility import Relation, current_memberships, relations

__all__ = ["CityAccess", "CityScopeMiddleware", "Relation", "city_access", "memberships_of", "relations",
           "resolve_city", "scope_city_ids", "scoped_city_ids", "viewer_memberships"]


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
# Every membership of the viewer, as this request read them: the menu and the home page offer each
# of the person's cities (one per cohort) without asking the database again.
MEMBERSHIPS_ATTR = "_accelerator_memberships"


# Stand-ins for a person's id and a city's address in the prepared queries below (no real person or
# city has them).
_PERSON = -7_000_001
_SLUG = "\x00city-address\x00"

# Current memberships with their city and cohort, compiled once per process: each request only
# puts its person in (see accelerator.prepared).
_memberships_with_cities = PreparedQuery(
    lambda person: current_memberships().select_related("city", "cohort").filter(user_id=person).order_by(),
    person=_PERSON,
)
# The city at an address with its cohort, for staff; for a coach, also whether they coach it now.
_city_at = PreparedQuery(lambda slug: City.objects.select_related("cohort").filter(slug=slug)[:1], slug=_SLUG)


def _coached_city_at_query(slug, person):
    # The visibility rule's own subquery, for a stand-in coach whose id is then replaced.
    coached = relations(get_user_model()(pk=person, is_coach=True)).coached_city_ids.filter(city=OuterRef("pk"))
    return City.objects.select_related("cohort").filter(slug=slug).annotate(coached=Exists(coached))[:1]


_coached_city_at = PreparedQuery(_coached_city_at_query, slug=_SLUG, person=_PERSON)


def memberships_of(user):
    """The person's memberships in every cohort, newest cohort first, each with its city and
    cohort: one query. Kept on the user object for the rest of the request (the menu lists them)."""
    if not user.is_authenticated:
        return []
    user = getattr(user, "_wrapped", user)
    # Every page of a city's people runs this: sorted here (a person has a few), not by the
    # database, which would make the query longer to build than to run.
    mine = sorted(_memberships_with_cities(person=user.pk), key=lambda m: m.city.name)
    mine.sort(key=lambda m: m.cohort.start_date, reverse=True)
    for membership in mine:
        # A membership's cohort is its city's (saved so, and a foreign key on PostgreSQL): a city
        # page reads `city.cohort` without another query.
        if membership.city.cohort_id == membership.cohort_id:
            membership.city.cohort = membership.cohort
    user.__dict__[MEMBERSHIPS_ATTR] = mine
    return mine


def viewer_memberships(user):
    """The viewer's memberships for this request: as the city resolver or the scope already read
    them (no query), else `memberships_of`."""
    known = getattr(user, "_wrapped", user).__dict__.get(MEMBERSHIPS_ATTR)
    return memberships_of(user) if known is None else known


def city_access(user, city, *, coached=None, memberships=None) -> CityAccess | None:
    """The viewer's relation to one city, or None. Cached on the user object for the request so
    the resolver, the permission rules and the templates ask the database once. The resolver
    passes what it read with the city: `coached` (whether this person coaches it now) or
    `memberships` (the person's memberships, as `memberships_of` gives them)."""
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
    elif coached if coached is not None else (user.is_coach and rel.coached_city_ids.filter(city=city).exists()):
        # Only a coach can coach a city (`coached_city_ids` is empty for anyone else): the others
        # skip building that query, which every city page of theirs would pay for.
        access = CityAccess(city, Relation.COACH)
    else:
        # The membership of this city's cohort; the others come along for the menu in the same query.
        mine = memberships_of(user) if memberships is None else memberships
        membership = next((m for m in mine if m.city_id == city.pk), None)
        if membership is not None:
            access = CityAccess(city, Relation.MEMBER, membership)
    cache[city.pk] = access
    return access


def resolve_city(user, city_slug) -> CityAccess:
    """The city at `city_slug` with the viewer's relation to it, in one query: a city's people
    find it among their own memberships (which the menu lists anyway); staff and coaches read the
    city, a coach with whether they coach it. No relation, or no such city: 404, the same answer
    for both, so outsiders learn nothing."""
    access = None
    if user.is_authenticated:
        user = getattr(user, "_wrapped", user)
        rel = relations(user)
        if rel.sees_all or user.is_coach:
            cities = _city_at(slug=city_slug) if rel.sees_all else _coached_city_at(slug=city_slug, person=user.pk)
            city = cities[0] if cities else None
            if city is not None:
                access = city_access(user, city, coached=getattr(city, "coached", None))
        else:
            # Anyone else sees only the cities of their memberships.
            mine = memberships_of(user)
            membership = next((m for m in mine if m.city.slug == city_slug), None)
            if membership is not None:
                access = city_access(user, membership.city, memberships=mine)
    if access is None:
        raise Http404("No city here.")
    return access


def scope_city_ids():
    """The ids of the cities this request's scope lets the scoped managers read (a city page's one
    city, the cities a viewer sees elsewhere); None for no limit (staff's disabled scope). Without
    a city scope it fails as a scoped manager would."""
    state = get_scope()
    if not state.get("_enabled", True):
        return None
    if "city" not in state:
        raise ScopeError("A scope on dimension(s) city needs to be active for this query.")
    cities = state["city"]
    if cities is None:
        return None
    cities = cities if isinstance(cities, (list, tuple)) else [cities]
    return [getattr(city, "pk", city) for city in cities]


def scoped_city_ids():
    """The ids of the cities the viewer sees, when this request's scope holds them: the middleware
    read them (`visible_city_ids`) for a page that is not a city's, for anyone but staff. None
    otherwise (a city page's scope, staff's disabled scope, no scope): ask the visibility rule."""
    state = get_scope()
    ids = state.get("city") if state.get("_enabled") else None
    return ids if isinstance(ids, list) and all(type(pk) is int for pk in ids) else None


# The cities a coach sees by the visibility rule (coached now, or a team's member), for a stand-in
# coach whose id each request replaces.
_coach_city_ids = PreparedQuery(
    lambda person: City.objects.visible_to(get_user_model()(pk=person, is_coach=True)).order_by().values_list("pk"),
    person=_PERSON,
)


def visible_city_ids(user):
    """The ids of the cities `user` sees, by the visibility rule: one prepared query for a coach;
    for anyone else their memberships' cities, read as `memberships_of` reads them (which the
    menu and the home page then take without asking again)."""
    if not user.is_authenticated:
        return []
    user = getattr(user, "_wrapped", user)
    if relations(user).sees_all:
        return list(City.objects.values_list("pk", flat=True))
    if user.is_coach:
        return [pk for (pk,) in _coach_city_ids.rows(person=user.pk)]
    return [membership.city_id for membership in memberships_of(user)]


@functools.lru_cache(maxsize=4096)
def _city_slug_at(path_info, urlconf):
    """The `city_slug` of the page at `path_info`, or None (not a city page, or no page): the
    middleware asks before the view is resolved, and pages are asked for again and again, so the
    answer is kept per address instead of walking the URL patterns twice on every request."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    return match.kwargs.get("city_slug")


class CityScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        city_slug = _city_slug_at(request.path_info, getattr(request, "urlconf", None) or get_urlconf()
                                  or settings.ROOT_URLCONF)
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
            city_ids = visible_city_ids(request.user)
            if not city_ids:
                # Someone who sees no city belongs to no team: the home page and the menu need not ask.
                getattr(request.user, "_wrapped", request.user).__dict__[MEMBERSHIPS_ATTR] = []
            with scope(city=city_ids):
                return self.get_response(request)
        with scope(city=[]):
            return self.get_response(request)
