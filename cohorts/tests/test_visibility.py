"""The one visibility rule, asked along every path that decides who sees a city: the resolver's
relation, the city list, the request scope, the city page, its coaching session's page, "my
sessions" and session visibility. Each kind of person gets the same answer from all of them."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accelerator.tests.factories import UserFactory
from agenda.models import Session
from agenda.tests.factories import coaching_session
from cohorts.models import City
from cohorts.services.teams import membership_remove
from cohorts.tenancy import city_access, visible_city_ids


def _former_coach(world):
    coach = world.users["coach"]
    coach.is_coach = False
    coach.save(update_fields=["is_coach"])
    return coach


def _former_member(world):
    member = world.users["member"]
    with scope(city=world.city):
        membership_remove(membership=world.city.memberships.get(user=member), actor=world.users["staff"])
    return member


PEOPLE = {
    "staff": (lambda world: world.users["staff"], "staff"),
    "coach of A": (lambda world: world.users["coach"], "coach"),
    "coach of B only": (lambda world: world.users["other_coach"], None),
    "member of A": (lambda world: world.users["member"], "member"),
    "mayor of A": (lambda world: world.users["mayor"], "member"),
    "member of B": (lambda world: world.users["outsider"], None),
    "no role": (lambda world: UserFactory(), None),
    "coach no longer a coach": (_former_coach, None),
    "member who left the team": (_former_member, None),
}


@pytest.mark.parametrize("who", PEOPLE)
def test_every_path_gives_the_same_answer(client, world, who):
    session = coaching_session(world)
    make_person, relation = PEOPLE[who]
    person = make_person(world)
    sees = relation is not None

    with scopes_disabled():
        access = city_access(type(person).objects.get(pk=person.pk), world.city)
        assert (access.relation if access else None) == relation
        assert (world.city in City.objects.visible_to(person)) is sees
        assert (world.city.pk in visible_city_ids(person)) is sees
        assert (session in Session.objects.visible_to(person)) is sees

    client.force_login(person)
    city_page = client.get(reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug}))
    assert city_page.status_code == (200 if sees else 404)
    session_page = client.get(reverse("agenda:session", kwargs={"code": session.code}))
    assert session_page.status_code == (200 if sees else 404)
    my_sessions = client.get(reverse("agenda:my_sessions"))
    assert my_sessions.status_code == 200
    assert (session.code in my_sessions.content.decode()) is sees


def test_a_coach_who_stops_coaching_is_no_longer_invited(world):
    from agenda.services.session_invitations import invitations_sync

    session = coaching_session(world)
    coach = _former_coach(world)
    invitations_sync(session_ids=[session.pk])
    with scopes_disabled():
        assert not session.invitations.filter(person=coach).exists()
