"""Reads for the completion pages, the cohort page and the city home."""

from dataclasses import dataclass

from django.utils import timezone

from cohorts.models import City, Cohort

from .explain import reasons_text
from .models import CityOutcome, Outcome, attendance_threshold
from .services.outcomes import Derivation, outcomes_derive


@dataclass
class OutcomeRow:
    city: object
    derivation: Derivation
    confirmed: CityOutcome | None

    @property
    def outcome(self):
        """The confirmed outcome, else the derived one."""
        return self.confirmed.outcome if self.confirmed else self.derivation.outcome

    @property
    def outcome_label(self):
        return self.confirmed.get_outcome_display() if self.confirmed else self.derivation_label

    @property
    def derivation_label(self):
        return Outcome(self.derivation.outcome).label

    @property
    def reasons(self):
        """[(met, sentence)]: what the confirmation recorded, else what the record says now."""
        return reasons_text(self.confirmed.explanation if self.confirmed else self.derivation.reasons)

    @property
    def missing(self):
        return [text for met, text in self.reasons if not met]

    @property
    def is_completed(self):
        return self.confirmed is not None and self.confirmed.is_completed


def cohort_has_ended(cohort, today=None):
    today = today or timezone.localdate()
    return cohort.status in Cohort.CLOSED_STATUSES or cohort.end_date < today


def outcome_rows(cohort, cities):
    """One OutcomeRow per city of `cohort`: six queries, however many cities."""
    cities = list(cities)
    derived = outcomes_derive(cities, cohort)
    confirmed = {row.city_id: row for row in CityOutcome.objects.filter(city__in=cities).select_related("confirmed_by")}
    return [OutcomeRow(city, derived[city.pk], confirmed.get(city.pk)) for city in cities]


def cohort_outcomes(cohort, user):
    """The cohort's cities the viewer may see (a coach: their own), by name, with each outcome."""
    cities = City.objects.visible_to(user).filter(cohort=cohort).order_by("name")
    return outcome_rows(cohort, cities)


def city_outcome(city):
    return outcome_rows(city.cohort, [city])[0]


def completed_outcome(city):
    """The city's confirmed completion, or None: one query."""
    return CityOutcome.objects.filter(city=city, outcome=Outcome.COMPLETED).first()


def threshold(cohort):
    return attendance_threshold(cohort)
