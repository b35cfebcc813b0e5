"""Coaching and the program calendar: next coaching session on the coach home, decisions tied to
a mayor checkpoint, and the strategy's state."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from accelerator.errors import RuleViolation
from accelerator.tests.queries import assert_num_page_queries
from agenda.models import Session
from agenda.tests.factories import SessionFactory, in_days
from coaching.models import MayorDecision
from coaching.services.decisions import decision_raise
from dashboards.coach_home import coach_home_cities

from .test_coach_home import busy_city, with_its_row

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def city_session(city, kind, days_ahead, **fields):
    return SessionFactory(cohort=city.cohort, city=city, kind=kind, audience=Session.Audience.CITY,
                          title=f"{city.name} {kind} {days_ahead}", starts_at=in_days(days_ahead), **fields)


def test_coach_home_shows_the_next_coaching_session(client, world):
    with scope(city=world.city):
        city_session(world.city, Session.Kind.COACHING, -2)
        soon = city_session(world.city, Session.Kind.COACHING, 3)
        city_session(world.city, Session.Kind.COACHING, 1, status=Session.Status.CANCELLED)
        city_session(world.city, Session.Kind.CHECKPOINT, 1)
        [row] = coach_home_cities(world.users["coach"])
        assert row.next_session_at == soon.starts_at
        assert row.strategy_state == "Not started"


def test_coach_home_queries_stay_constant_with_sessions(client, world):
    coach = world.users["coach"]

    def grow():
        city = busy_city(world.cohort, coach)
        city_session(city, Session.Kind.COACHING, 4)
        with_its_row(city)

    client.force_login(coach)
    with_its_row(world.city)
    grow()
    assert_num_page_queries(client, "/", expected=7, grow=grow)


def test_a_decision_can_be_tied_to_a_mayor_checkpoint(client, world):
    with scope(city=world.city):
        checkpoint = city_session(world.city, Session.Kind.CHECKPOINT, 5)
        foreign = city_session(world.other_city, Session.Kind.CHECKPOINT, 5)
        coaching = city_session(world.city, Session.Kind.COACHING, 5)
        client.force_login(world.users["coach"])
        url = reverse("coaching:decision_create", kwargs={"city_slug": world.city.slug})
        form_html = client.get(url).content.decode()
        assert checkpoint.title in form_html and foreign.title not in form_html and coaching.title not in form_html
        data = {"question": "Q?", "context": "C", "options": "",
                "due_on": (TODAY + datetime.timedelta(days=7)).isoformat()}
        response = client.post(url, {**data, "session": foreign.pk})
        assert response.status_code == 200 and not MayorDecision.objects.exists()
        response = client.post(url, {**data, "session": checkpoint.pk})
        decision = MayorDecision.objects.get()
        assert decision.session == checkpoint
        assert checkpoint.title in client.get(response["Location"]).content.decode()
        with pytest.raises(RuleViolation):
            decision_raise(city=world.city, actor=world.users["coach"], question="Q", context="C",
                           due_on=TODAY, session=coaching)
