import factory

from accelerator.tests.factories import Factory
from cohorts.tests.factories import CityFactory
from completion.models import CityOutcome, Outcome


class CityOutcomeFactory(Factory):
    class Meta:
        model = CityOutcome

    city = factory.SubFactory(CityFactory)
    outcome = Outcome.COMPLETED
    derived = Outcome.COMPLETED
    confirmed_by_name = "Program Staff"
