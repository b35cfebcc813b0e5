"""Demo completion: the 2024 cohort is over. Staff confirmed every city's outcome as the record
derives it — Mérida did not complete (its mayor missed the convening's Friday and the review is not
settled), Quito completed (its mayor's absence was excused with a reason), every other city
completed — and closed the cohort, so its cities are alumni. Tulsa's certificate prints."""

from cohorts.models import Cohort

from .models import CityOutcome, CompletionSettings
from .services.outcomes import cohort_close, outcome_confirm, outcome_derive


def seed(context):
    cohort = context["cohort_2024"]
    staff = context["staff"][0]
    CompletionSettings.objects.get_or_create(cohort=cohort)
    for city in cohort.cities.order_by("name"):
        if not CityOutcome.objects.filter(city=city).exists():
            outcome_confirm(city=city, actor=staff, outcome=outcome_derive(city).outcome)
    if cohort.status != Cohort.Status.COMPLETED or cohort.cities.exclude(status__in=("alumni", "withdrawn")).exists():
        cohort_close(cohort=cohort, actor=staff)
