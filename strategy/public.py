"""The public predicate: which strategies anyone may read without signing in.

This is deliberately separate from the city visibility rule (`cohorts.models.visibility`), which
answers who may see a city as a whole. A city's plan is public when, and only while, its mayor
has made it public and it has an approved edition; then exactly that edition is shown, never the
draft of a next one, never comments, notes or anyone's email. Everything else answers the same
404 as a city the viewer has no role in."""

from dataclasses import dataclass

from django.http import Http404
from django_scopes import scope

from cohorts.models import City, Cohort

from .models import PublishedEdition, Strategy


@dataclass(frozen=True)
class PublicPlan:
    city: City
    strategy: Strategy
    edition: PublishedEdition


def _public_strategies(city_ids):
    return Strategy.objects.filter(city_id__in=city_ids, public_since__isnull=False)


def public_plan(city):
    """The city's public plan, or None. Reads the city's rows inside its own scope, visibly."""
    with scope(city=city):
        strategy = _public_strategies([city.pk]).first()
        if strategy is None:
            return None
        edition = strategy.editions.filter(city=city).first()
        if edition is None or not isinstance(edition.content, dict):
            return None
        return PublicPlan(city, strategy, edition)


def public_plan_or_404(cohort_slug, city_slug):
    city = City.objects.select_related("cohort").filter(slug=city_slug, cohort__slug=cohort_slug).first()
    plan = public_plan(city) if city is not None else None
    if plan is None:
        raise Http404("No city here.")  # the resolver's answer for a city one has no role in
    return plan


def public_index_or_404(cohort_slug):
    """The cohort and its cities with a public plan, as (city, edition) in name order; 404 when
    there are none, so an index never tells that a cohort exists before it has published."""
    cohort = Cohort.objects.filter(slug=cohort_slug).first()
    if cohort is None:
        raise Http404("No cohort here.")
    cities = {c.pk: c for c in City.objects.filter(cohort=cohort)}
    with scope(city=list(cities)):
        strategies = {s.pk: s for s in _public_strategies(list(cities))}
        editions = {}
        for edition in PublishedEdition.objects.filter(city_id__in=list(cities), strategy_id__in=list(strategies)):
            editions.setdefault(edition.strategy_id, edition)  # newest first
    rows = [(cities[s.city_id], editions[pk]) for pk, s in strategies.items() if pk in editions]
    if not rows:
        raise Http404("No cohort here.")
    return cohort, sorted(rows, key=lambda row: row[0].name)


def public_city_ids(city_ids):
    """Of `city_ids`, those whose plan is public now (for links from other pages)."""
    with scope(city=list(city_ids)):
        return set(
            _public_strategies(list(city_ids)).filter(editions__isnull=False).values_list("city_id", flat=True)
        )
