"""The city home served from the city's stored dashboard row: the team, the coaches, the decisions
waiting, the open action items, the showcases and (once the cohort has ended) the outcome come
from the row while it is current, and read the same as when the page reads them itself."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accelerator.tests.factories import CoachFactory, UserFactory
from accelerator.tests.queries import assert_num_page_queries
from coaching.models import ActionItem, Showcase
from coaching.tests.factories import ActionItemFactory, CheckInFactory, DecisionFactory, ShowcaseFactory
from cohorts.models import Cohort, DashboardRow, Membership, Role
from dashboards.read_model import rows_refresh

from .test_city_home import busy  # noqa: F401 -- the fixture these tests share

pytestmark = pytest.mark.django_db

ROLES = ["mayor", "member", "coach", "staff"]


def home(world):
    return reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug})


def _rows_current(world):
    rows_refresh([world.city.pk, world.other_city.pk])


def _body(client, world):
    cache.clear()  # the page renders its body, not a kept copy
    return str(client.get(home(world)).context["body"])


def _live_body(client, world):
    """The body as the page reads it itself: the row is out of date."""
    with scopes_disabled():
        DashboardRow.objects.filter(city=world.city).update(version=10**6)
    try:
        return _body(client, world)
    finally:
        _rows_current(world)


@pytest.mark.parametrize("role", ROLES)
def test_the_stored_lists_show_what_the_page_reads_itself(client, busy, role):  # noqa: F811
    _rows_current(busy)
    client.force_login(busy.users[role])
    stored = _body(client, busy)
    assert stored == _live_body(client, busy)
    for text in ("Publish the inventory A", "Stat meeting A", "Coach Alpha", busy.users["member"].full_name):
        assert text in stored
    assert ("Open the permit data A?" in stored) == (role == "mayor")
    assert "Stat meeting B" not in stored and "Publish the inventory B" not in stored


@pytest.mark.parametrize("role,expected", [("mayor", 7), ("member", 7), ("coach", 7), ("staff", 8)])
def test_a_city_home_with_its_row_current_reads_no_list_again(client, busy, role, expected):  # noqa: F811
    counter = iter(range(100))

    def grow():
        n = next(counter)
        with scopes_disabled():
            checkin = CheckInFactory(city=busy.city)
            owner = Membership.objects.get(user=busy.users["member"])
            ActionItemFactory(checkin=checkin, city=busy.city, owner=owner,
                              due_on=timezone.localdate() - datetime.timedelta(days=n))
            DecisionFactory(city=busy.city)
            ShowcaseFactory(city=busy.city, status=Showcase.Status.DRAFT)
        _rows_current(busy)
        cache.clear()

    _rows_current(busy)
    client.force_login(busy.users[role])
    assert_num_page_queries(client, home(busy), expected=expected, grow=grow)


def _shows(client, world, text):
    """`text` is on the page both while the row is out of date and once it is recomputed."""
    before = _body(client, world)
    _rows_current(world)
    after = _body(client, world)
    return text in before and text in after


def test_each_change_of_a_stored_list_shows(client, busy):  # noqa: F811
    from coaching.services.checkins import action_item_set_status
    from coaching.services.decisions import decision_raise
    from coaching.services.showcases import showcase_submit
    from cohorts.services.teams import city_set_coaches, membership_add

    _rows_current(busy)
    staff, mayor = busy.users["staff"], busy.users["mayor"]
    client.force_login(mayor)
    with scopes_disabled():
        newcomer = UserFactory(full_name="Nadia Newcomer")
        membership_add(city=busy.city, user=newcomer, role=Role.POLICY, actor=staff)
    assert _shows(client, busy, "Nadia Newcomer")
    with scopes_disabled():
        city_set_coaches(city=busy.city, coaches=[CoachFactory(full_name="Coach Gamma")], actor=staff)
    assert _shows(client, busy, "Coach Gamma")
    assert "Coach Alpha" not in _body(client, busy)
    with scopes_disabled():
        decision_raise(city=busy.city, actor=staff, question="Publish the budget data?", context="Asked.",
                       due_on=timezone.localdate() + datetime.timedelta(days=3))
    assert _shows(client, busy, "Publish the budget data?")
    with scopes_disabled():
        item = ActionItem.objects.get(city=busy.city, what="Publish the inventory A")
        action_item_set_status(item=item, actor=staff, status=ActionItem.Status.DONE)
    assert not _shows(client, busy, "Publish the inventory A")
    assert "Publish the inventory A" not in _body(client, busy)
    client.force_login(busy.users["member"])
    assert "Submit the showcase “Stat meeting A” for feedback" in _body(client, busy)
    with scopes_disabled():
        showcase = Showcase.objects.get(city=busy.city, title="Stat meeting A")
        showcase_submit(showcase=showcase, actor=busy.users["member"])
    _rows_current(busy)
    assert "Submit the showcase “Stat meeting A” for feedback" not in _body(client, busy)


@pytest.fixture
def ended(busy):  # noqa: F811
    with scopes_disabled():
        # two days back: the cohort has ended in every viewer's time zone
        Cohort.objects.filter(pk=busy.cohort.pk).update(end_date=timezone.localdate() - datetime.timedelta(days=2))
    busy.city.cohort.refresh_from_db()
    return busy


@pytest.mark.parametrize("role,expected", [("mayor", 7), ("staff", 8)])
def test_an_ended_cohorts_city_home_takes_its_outcome_from_the_row(client, ended, role, expected):
    _rows_current(ended)
    client.force_login(ended.users[role])
    assert_num_page_queries(client, home(ended), expected=expected)
    stored = _body(client, ended)
    assert "Completion" in stored and stored == _live_body(client, ended)


def test_the_outcome_follows_a_new_threshold_and_a_confirmation(client, ended):
    from completion.selectors import city_outcome
    from completion.services.outcomes import completion_set_threshold, outcome_confirm

    _rows_current(ended)
    staff = ended.users["staff"]
    client.force_login(staff)
    before = _body(client, ended)
    with scopes_disabled():
        completion_set_threshold(cohort=ended.cohort, actor=staff, threshold=42)
    cache.clear()
    row = client.get(home(ended)).context["outcome_row"]
    with scopes_disabled():
        live = city_outcome(ended.city)
    assert row.reasons == live.reasons and any("42" in text for _met, text in row.reasons)
    assert _body(client, ended) != before
    with scopes_disabled():
        outcome_confirm(city=ended.city, actor=staff, outcome=live.derivation.outcome)
    assert "not confirmed yet" in before and "not confirmed yet" not in _body(client, ended)


@pytest.mark.parametrize("role,expected", [("mayor", 7), ("staff", 8)])
def test_a_closed_cohorts_city_home_keeps_reading_its_row_as_it_ages(client, ended, role, expected):
    """Once the cohort is closed nothing the row holds moves with the clock: an hour-old row whose
    version is current still serves the page, and the sweep leaves it alone."""
    from dashboards.read_model import stale_city_ids

    with scopes_disabled():
        Cohort.objects.filter(pk=ended.cohort.pk).update(status=Cohort.Status.COMPLETED)
    ended.city.cohort.refresh_from_db()
    _rows_current(ended)
    with scopes_disabled():
        DashboardRow.objects.filter(city=ended.city).update(
            computed_at=timezone.now() - datetime.timedelta(hours=1))
    assert ended.city.pk not in stale_city_ids()
    client.force_login(ended.users[role])
    assert_num_page_queries(client, home(ended), expected=expected)
    assert "Completion" in _body(client, ended)
