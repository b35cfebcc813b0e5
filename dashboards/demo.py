"""Demo data the dashboards need beyond what each app seeds: the 2024 cities' maturity
self-assessments at the start and the end of the program, so the 2024 cohort's maturity chart
covers the whole cohort and not only the two cities whose plans the strategy demo writes.
A city that already has a rating is left alone, so loading twice changes nothing."""

import datetime

from django.utils import timezone

from accelerator.models import AuditEvent
from cohorts.models import Role
from strategy.guide import COMPONENT_KINDS
from strategy.models import MaturityRating
from strategy.services.maturity import maturity_rate


def _levels(slug, lift):
    # Stable, believable levels from the city's name: 1–3 at baseline, a step or two up by the end.
    seed = sum(map(ord, slug))
    baseline = {kind: 1 + (seed + i) % 3 for i, kind in enumerate(COMPONENT_KINDS)}
    end = {kind: min(5, level + (lift if (seed + i) % 4 else 0)) for i, (kind, level) in enumerate(baseline.items())}
    return baseline, end


def seed(context):
    cohort = context["cohort_2024"]
    for city in cohort.cities.order_by("name"):
        if MaturityRating.objects.filter(city=city).exists():
            continue
        member = city.memberships.exclude(role=Role.MAYOR).select_related("user").order_by("pk").first()
        if member is None:
            continue
        baseline, end = _levels(city.slug, 1 + len(city.slug) % 2)
        maturity_rate(city=city, actor=member.user, phase=MaturityRating.Phase.BASELINE,
                      ratings={k: (v, "") for k, v in baseline.items()})
        maturity_rate(city=city, actor=member.user, phase=MaturityRating.Phase.END,
                      ratings={k: (v, "") for k, v in end.items()})
        rated = {MaturityRating.Phase.BASELINE: datetime.datetime(2024, 7, 3, 15, tzinfo=datetime.timezone.utc),
                 MaturityRating.Phase.END: datetime.datetime(2024, 12, 10, 15, tzinfo=datetime.timezone.utc)}
        for phase, when in rated.items():
            MaturityRating.objects.filter(city=city, phase=phase).update(rated_at=min(when, timezone.now()))
        # The audit trail tells the same dates as the ratings.
        events = AuditEvent.objects.filter(city=city, action="strategy.maturity_rated").order_by("pk")
        for event, when in zip(events, rated.values()):
            AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
