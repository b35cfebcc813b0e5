import datetime

import factory

from accelerator.tests.factories import CoachFactory, Factory, UserFactory
from cohorts.models import City, CoachAssignment, Cohort, Membership, Role


class CohortFactory(Factory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    start_date = datetime.date(2026, 10, 1)
    end_date = datetime.date(2027, 3, 31)
    status = Cohort.Status.RUNNING


class CityFactory(Factory):
    class Meta:
        model = City

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    country = "United States"
    time_zone = "America/Chicago"
    language = "en"


class MembershipFactory(Factory):
    class Meta:
        model = Membership

    city = factory.SubFactory(CityFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CHIEF_DATA_OFFICER


class MayorFactory(MembershipFactory):
    role = Role.MAYOR


class CoachAssignmentFactory(Factory):
    class Meta:
        model = CoachAssignment

    city = factory.SubFactory(CityFactory)
    coach = factory.SubFactory(CoachFactory)
