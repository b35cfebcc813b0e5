"""Peer learning: what a team shares with its cohort appears on the other cities' peer page, by
component and learning goal; what it did not share is visible to no other city, on any page."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accelerator.errors import RuleViolation
from accelerator.tests.test_page_queries import GET_PAGES

from ..models import Action
from ..services.editing import unit_delete
from ..services.sharing import unit_share
from .factories import approve_plan, build_plan

pytestmark = pytest.mark.django_db

SHARED, UNSHARED = "Open the permit data every Monday", "Quietly fix the crash data before the audit"


@pytest.fixture
def two_actions(world):
    """City A has two actions under one goal; its team shares the first, tagged "lead"."""
    with scopes_disabled():  # written straight to the table: the matrix's own set-ups expect no revisions
        strategy = build_plan(world.city)
        goal = world.city.strategy_goals.select_related("component").get(component__kind="use")
        shared = Action.objects.create(city=world.city, strategy=strategy, goal=goal, what=SHARED, start_quarter=1,
                                       end_quarter=2, position=5)
        Action.objects.create(city=world.city, strategy=strategy, goal=goal, what=UNSHARED, position=6)
    with scope(city=world.city):
        unit_share(city=world.city, actor=world.users["member"], kind="action", code=shared.code, shared=True,
                   learning_goal="lead")
    return shared


def peers_url(city):
    return reverse("strategy:peers", kwargs={"city_slug": city.slug})


def test_the_other_city_sees_the_shared_action_under_its_component_and_learning_goal(client, world, two_actions):
    for who in (world.users["outsider"], world.mayor_b, world.users["other_coach"]):
        client.force_login(who)
        page = client.get(peers_url(world.other_city)).content.decode()
        assert SHARED in page, who
        assert UNSHARED not in page, who
        use = page.split('id="peers-use"')[1].split("<section")[0]
        assert SHARED in use.split("Lead confidently with data")[1]
        assert "Alpha City" in use


def test_a_city_does_not_see_its_own_shared_items_as_another_citys(client, world, two_actions):
    client.force_login(world.users["member"])
    assert SHARED not in client.get(peers_url(world.city)).content.decode()


def test_the_unshared_neighbour_is_on_no_page_any_other_city_can_open(client, world, two_actions):
    """Every GET page of the access matrix, opened by city B's member and by city B's coach. The
    public pages are left out: a plan the mayor made public shows every action by her consent,
    which is a different promise (strategy/tests/test_public.py)."""
    opened = set()
    for page in GET_PAGES:
        if page.url_name.startswith("strategy:public"):
            continue
        with scopes_disabled():
            kwargs = page.kwargs(world)
        urls = [reverse(page.url_name, kwargs=kwargs)]
        if kwargs == {"city_slug": world.city.slug}:  # and the same page of city B, the viewers' own city
            urls.append(reverse(page.url_name, kwargs={"city_slug": world.other_city.slug}))
        for url, role in ((url, role) for url in urls for role in ("outsider", "other_coach")):
            client.force_login(world.users[role])
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert UNSHARED.encode() not in body, f"{role} on {page.url_name} ({url})"
            if response.status_code == 200:
                opened.add(page.url_name)
    # The probe reached real pages, not only 404s: city B's home, plan and peer page among them.
    assert {"strategy:peers", "dashboards:cohort", "home"} <= opened and len(opened) >= 10


def test_removing_a_shared_action_removes_it_from_the_peer_page(client, world, two_actions):
    client.force_login(world.users["outsider"])
    assert SHARED in client.get(peers_url(world.other_city)).content.decode()
    with scope(city=world.city):
        unit_delete(city=world.city, actor=world.users["member"], unit=two_actions, base_version=two_actions.version)
    page = client.get(peers_url(world.other_city)).content.decode()
    assert SHARED not in page and "Nothing shared for this component yet." in page


def test_stopping_sharing_hides_it_again(client, world, two_actions):
    client.force_login(world.users["member"])
    response = client.post(reverse("strategy:share", kwargs={"city_slug": world.city.slug, "kind": "action",
                                                             "code": two_actions.code}), {"shared": "0"}, follow=True)
    assert "No longer shared with the cohort." in response.content.decode()
    client.force_login(world.users["outsider"])
    assert SHARED not in client.get(peers_url(world.other_city)).content.decode()


def test_the_peer_page_links_to_a_public_strategy(client, world, two_actions):
    public = reverse("strategy:public", kwargs={"cohort_slug": world.cohort.slug, "place_slug": world.city.slug})
    client.force_login(world.users["outsider"])
    assert public not in client.get(peers_url(world.other_city)).content.decode()
    with scopes_disabled():
        from ..models import Strategy

        Strategy.objects.filter(city=world.city).delete()
        approve_plan(world.city, public=True)
        action = Action.objects.filter(city=world.city).first()
    with scope(city=world.city):
        unit_share(city=world.city, actor=world.users["member"], kind="action", code=action.code, shared=True)
    page = client.get(peers_url(world.other_city)).content.decode()
    assert public in page and "No learning goal chosen" in page


def test_bad_sharing_requests_are_refused_with_a_message(client, world, two_actions):
    with scope(city=world.city):
        with pytest.raises(RuleViolation):
            unit_share(city=world.city, actor=world.users["member"], kind="action", code=two_actions.code,
                       shared=True, learning_goal="nonsense")
        with pytest.raises(RuleViolation):
            unit_share(city=world.city, actor=world.users["coach"], kind="action", code=two_actions.code, shared=True)
        with pytest.raises(RuleViolation):
            unit_share(city=world.city, actor=world.users["member"], kind="section", code=two_actions.code,
                       shared=True)
    client.force_login(world.users["member"])
    for kind, code, data in (("action", two_actions.code, {"shared": "1", "learning_goal": "x" * 500}),
                             ("action", "nosuchcode", {"shared": "1"}), ("component", "x", {"shared": "1"})):
        response = client.post(reverse("strategy:share", kwargs={"city_slug": world.city.slug, "kind": kind,
                                                                 "code": code}), data, follow=True)
        assert response.status_code == 200
        assert response.context["messages"] and "alert-danger" in response.content.decode()
    with scopes_disabled():  # a city B action cannot be shared through city A's address
        build_plan(world.other_city)
        other = Action.objects.filter(city=world.other_city).first()
    response = client.post(reverse("strategy:share", kwargs={"city_slug": world.city.slug, "kind": "action",
                                                             "code": other.code}), {"shared": "1"})
    with scopes_disabled():
        other.refresh_from_db()
    assert other.shared_at is None and response.status_code == 302


def test_the_plan_page_offers_sharing_to_the_team_only(client, world, two_actions):
    plan = reverse("strategy:plan", kwargs={"city_slug": world.city.slug}) + "?part=use"
    client.force_login(world.users["member"])
    page = client.get(plan).content.decode()
    assert "Share with the cohort" in page and "Stop sharing" in page
    client.force_login(world.users["coach"])
    page = client.get(plan).content.decode()
    assert "Share with the cohort" not in page
