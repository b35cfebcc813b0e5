import datetime

import pytest
from django.utils import timezone
from django_scopes import scope

from accelerator.tests.queries import assert_num_page_queries
from coaching.models import CoachingSettings, Showcase
from cohorts.tenancy import visible_city_ids
from cohorts.tests.factories import CityFactory, CoachAssignmentFactory, MayorFactory, MembershipFactory
from dashboards.coach_home import coach_home_cities
from dashboards.read_model import rows_refresh

from .factories import ActionItemFactory, CheckInFactory, DecisionFactory, ShowcaseFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def busy_city(cohort, coach):
    city = CityFactory(cohort=cohort)
    MayorFactory(city=city)
    MembershipFactory(city=city)
    CoachAssignmentFactory(city=city, coach=coach)
    checkin = CheckInFactory(city=city, coach=coach, held_on=days(-20))
    ActionItemFactory(checkin=checkin, due_on=days(-1))
    ActionItemFactory(checkin=checkin, due_on=days(5))
    DecisionFactory(city=city, due_on=days(-2))
    DecisionFactory(city=city, due_on=days(3))
    ShowcaseFactory(city=city, status=Showcase.Status.SUBMITTED)
    return city


def test_coach_home_shows_where_each_city_stands(client, world):
    coach = world.users["coach"]
    world.cohort.start_date = days(-60)
    world.cohort.save()
    busy = busy_city(world.cohort, coach)
    CheckInFactory(city=world.city, coach=coach, held_on=days(-3))
    with scope(city=visible_city_ids(coach)):  # the coach's home reads their cities, as its request does
        rows = {city.pk: city for city in coach_home_cities(coach)}
        assert set(rows) == {world.city.pk, busy.pk}
        row = rows[busy.pk]
        assert (row.open_items, row.overdue_items, row.pending_decisions, row.overdue_decisions,
                row.showcases_waiting) == (2, 1, 2, 1, 1)
        assert row.last_checkin == days(-20) and row.checkin_overdue and row.cadence_days == 14
        assert not rows[world.city.pk].checkin_overdue

        CoachingSettings.objects.create(cohort=world.cohort, checkin_every_days=30)
        assert not {c.pk: c for c in coach_home_cities(coach)}[busy.pk].checkin_overdue

    client.force_login(coach)
    html = client.get("/").content.decode()
    assert busy.name in html and "check-in overdue since" not in html
    assert world.other_city.name not in html


def with_its_row(city):  # as the refresh queued after the city's set-up would
    rows_refresh([city.pk])
    return city


def test_coach_home_queries_stay_constant(client, world):
    coach = world.users["coach"]
    client.force_login(coach)
    rows_refresh([world.city.pk, busy_city(world.cohort, coach).pk])
    # Built from the stored rows (one query for the key, one for the cities and their rows, two for
    # what is overdue today) ...
    assert_num_page_queries(client, "/", expected=7, grow=lambda: with_its_row(busy_city(world.cohort, coach)))
    # ... and kept: the same list again reads only its key.
    assert_num_page_queries(client, "/", expected=4)


def test_coach_home_computes_missing_rows_in_one_batch(client, world):
    coach = world.users["coach"]
    client.force_login(coach)
    busy_city(world.cohort, coach)
    # 5 of them: the lists each city's home shows, stored in the same rows.
    assert_num_page_queries(client, "/", expected=31, grow=lambda: busy_city(world.cohort, coach))
