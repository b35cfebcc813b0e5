from django.db import transaction
from django.utils import timezone

from accelerator.audit import audit_record
from cohorts.services.dashboard_rows import dashboard_rows_changed

from ..models import MaturityRating


def maturity_rate(*, city, actor, phase, ratings):
    """Record the team's self-assessment for one phase: `ratings` maps component → (level, note)."""
    with transaction.atomic():
        for component, (level, note) in ratings.items():
            if not level:
                continue
            MaturityRating.objects.update_or_create(
                city=city, component=component, phase=phase,
                defaults={"level": level, "note": note, "rated_by": actor, "rated_at": timezone.now()},
            )
        dashboard_rows_changed(city_ids=[city.pk])
        audit_record(city=city, actor=actor, action="strategy.maturity_rated",
                     data={**{k: v[0] for k, v in ratings.items()}, "phase": phase})
