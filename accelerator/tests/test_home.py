import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accelerator.tests.factories import UserFactory
from accelerator.tests.queries import assert_num_page_queries
from coaching.services.decisions import decision_raise
from cohorts.tests.factories import (
    CityFactory,
    CoachAssignmentFactory,
    CohortFactory,
    MayorFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


def add_city(cohort, coach=None):
    city = CityFactory(cohort=cohort)
    MayorFactory(city=city)
    MembershipFactory.create_batch(3, city=city)
    if coach is not None:
        CoachAssignmentFactory(city=city, coach=coach)
    return city


def test_each_role_lands_on_its_own_home(client, world):
    client.force_login(world.users["staff"])
    assert world.cohort.name in client.get("/").content.decode()
    client.force_login(world.users["coach"])
    html = client.get("/").content.decode()
    assert world.city.name in html and world.other_city.name not in html
    client.force_login(world.users["member"])
    assert client.get("/")["Location"] == reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug})
    client.force_login(UserFactory())
    assert "no role" in client.get("/").content.decode()


def test_staff_home_queries_do_not_grow_with_cohorts_and_cities(client, world):
    client.force_login(world.users["staff"])

    def grow():
        cohort = CohortFactory()
        add_city(cohort)
        add_city(cohort)

    assert_num_page_queries(client, "/", expected=3, grow=grow)


def test_coach_home_queries_do_not_grow_with_cities(client, world):
    from dashboards.read_model import rows_refresh

    coach = world.users["coach"]
    client.force_login(coach)
    rows_refresh([world.city.pk])
    assert_num_page_queries(client, "/", expected=7, grow=lambda: rows_refresh([add_city(world.cohort, coach).pk]),
                            times=3)
    assert_num_page_queries(client, "/", expected=4)  # kept


def test_coach_home_follows_a_change_within_the_minute(client, world):
    coach = world.users["coach"]
    client.force_login(coach)
    decisions = reverse("coaching:decisions", kwargs={"city_slug": world.city.slug})
    assert f'{decisions}">0</a>' in client.get("/").content.decode()
    decision_raise(city=world.city, actor=coach, question="Open the bus data?", context="C",
                   due_on=timezone.localdate() + datetime.timedelta(days=7))
    assert f'{decisions}">1</a>' in client.get("/").content.decode()


def test_cohort_page_queries_do_not_grow_with_cities(client, world):
    url = reverse("dashboards:cohort", kwargs={"cohort_slug": world.cohort.slug})
    client.force_login(world.users["staff"])
    # New cities have no stored dashboard row yet: the page computes them, in one batch (with the
    # lists each city's home shows).
    assert_num_page_queries(client, url, expected=32, grow=lambda: add_city(world.cohort, world.users["coach"]),
                            times=3)
    client.force_login(world.users["coach"])

    def add_city_with_its_row():  # as the refresh queued after the city's set-up would
        from dashboards.read_model import rows_refresh

        rows_refresh([add_city(world.cohort, world.users["coach"]).pk])

    assert_num_page_queries(client, url, expected=8, grow=add_city_with_its_row, times=3)


def test_team_page_queries_do_not_grow_with_the_team(client, world):
    client.force_login(world.users["staff"])
    url = reverse("cohorts:team", kwargs={"city_slug": world.city.slug})
    assert_num_page_queries(client, url, expected=4, grow=lambda: MembershipFactory(city=world.city), times=3)
