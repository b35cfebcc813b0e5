"""The one visibility rule, asked along every path that decides who sees a city: the resolver's
relation, the city list, the request scope, the city page, its coaching session's page, "my
sessions" and session visibility. Each kind of person gets the same answer from all of them."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accelerator.errors import RuleViolation
from accelerator.tests.factories import UserFactory
from agenda.models import Session, SessionInvitation
from agenda.tests.factories import coaching_session
from cohorts.models import City, Membership, Role
from cohorts.services.teams import membership_add, membership_remove
from cohorts.tenancy import city_access, memberships_of, visible_city_ids


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


# A person in two cohorts: the member of city A also took part, with an earlier cohort, in a city
# of that cohort. Each membership answers for its own city; the person sees both.

def _earlier_city(world):
    from cohorts.tests.factories import CityFactory, CohortFactory

    with scopes_disabled():
        earlier = CohortFactory(name="Earlier cohort", start_date=datetime.date(2024, 6, 1),
                                end_date=datetime.date(2024, 12, 1), status="completed")
        return CityFactory(name="Alpha City of old", slug="alpha-earlier", cohort=earlier)


def _two_cohort_member(world):
    member = world.users["member"]
    earlier = _earlier_city(world)
    with scope(city=earlier):
        membership_add(city=earlier, user=member, role=Role.CITY_MANAGER, actor=world.users["staff"])
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
    "member of A and of a city in another cohort": (_two_cohort_member, "member"),
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


def test_a_person_in_two_cohorts_has_each_membership_in_its_own_city(world):
    person = _two_cohort_member(world)
    earlier = City.objects.get(slug="alpha-earlier")
    with scopes_disabled():
        fresh = type(person).objects.get(pk=person.pk)
        here, there = city_access(fresh, world.city), city_access(fresh, earlier)
        assert (here.relation, here.membership.city, here.membership.role) == (
            "member", world.city, Role.CHIEF_DATA_OFFICER)
        assert (there.relation, there.membership.city, there.membership.role) == ("member", earlier, Role.CITY_MANAGER)
        assert there.membership.cohort == earlier.cohort and here.membership.cohort == world.cohort
        assert set(City.objects.visible_to(person)) == {world.city, earlier}
        assert [m.city for m in memberships_of(person)] == [world.city, earlier]  # the newest cohort first


def test_a_person_in_two_cohorts_sees_both_cities_sessions_and_menu(client, world):
    person = _two_cohort_member(world)
    earlier = City.objects.get(slug="alpha-earlier")
    here_session = coaching_session(world)
    with scopes_disabled():
        there_session = coaching_session(SimpleNamespace(cohort=earlier.cohort, city=earlier, users=world.users))
        assert {i.city for i in SessionInvitation.objects.filter(person=person)} == {world.city, earlier}
    client.force_login(person)
    home = client.get(reverse("home"))
    assert home.status_code == 200  # a list, no longer a redirect to the one city
    links = {reverse("dashboards:city_home", kwargs={"city_slug": c.slug}) for c in (world.city, earlier)}
    for path in links:
        assert home.content.decode().count(f'href="{path}"') == 2  # in the list and in the menu
    for city in (world.city, earlier):
        page = client.get(reverse("dashboards:city_home", kwargs={"city_slug": city.slug}))
        assert page.status_code == 200
        assert all(f'href="{path}"' in page.content.decode() for path in links)  # the menu offers both
    assert client.get(reverse("dashboards:city_home", kwargs={"city_slug": world.other_city.slug})).status_code == 404
    mine = client.get(reverse("agenda:my_sessions")).content.decode()
    assert here_session.code in mine and there_session.code in mine


def test_one_person_sees_their_one_city_from_home_and_menu(client, world):
    client.force_login(world.users["member"])
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home.url == reverse("dashboards:city_home", kwargs={"city_slug": "alpha"})


def test_one_city_per_person_per_cohort(world):
    member = world.users["member"]
    with scope(city=world.other_city), pytest.raises(RuleViolation, match="one city per cohort"):
        membership_add(city=world.other_city, user=member, role=Role.POLICY, actor=world.users["staff"])
    # The database holds the rule too, whatever path writes the row.
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(city=world.other_city, user=member, role=Role.POLICY)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the (city, cohort) key is PostgreSQL's")
def test_a_memberships_cohort_is_always_its_citys(world):
    from cohorts.tests.factories import CohortFactory

    with scopes_disabled():
        moved_to = CohortFactory()
        City.objects.filter(pk=world.other_city.pk).update(cohort=moved_to)
        assert set(Membership.objects.filter(city=world.other_city).values_list("cohort", flat=True)) == {moved_to.pk}
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.filter(city=world.city).update(cohort=moved_to)
            connection.check_constraints()


@pytest.mark.parametrize("who", ["coach", "member", "other_coach", "staff"])
def test_a_page_finds_the_same_cities_from_the_requests_scope_as_from_the_rule(world, who):
    from cohorts.selectors import viewer_city_ids

    user = world.users[who]
    with scopes_disabled():
        read = viewer_city_ids(user)
    # As the tenancy middleware scopes a page that is not a city's: to the viewer's cities.
    with scope(city=visible_city_ids(user)):
        scoped = viewer_city_ids(user)
    with scope(city=world.city):  # a city page's scope says nothing of the viewer's cities
        on_city_page = viewer_city_ids(user)
    if who == "staff":
        assert read is scoped is on_city_page is None  # every city
    else:
        assert sorted(read) == sorted(scoped) == sorted(on_city_page) == sorted(visible_city_ids(user))
        assert read
    with scope(city=[]):
        assert viewer_city_ids(user) == (None if who == "staff" else [])
