"""The published strategy: public only with the mayor's consent and an approved edition, the
approved edition only, in the city's language, with nothing private on it."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accelerator.errors import RuleViolation

from ..models import Strategy
from ..services.comments import thread_start
from ..services.editing import unit_save
from ..services.publishing import strategy_set_public
from ..services.review import strategy_transition
from .factories import approve_plan, build_plan

pytestmark = pytest.mark.django_db


def public_url(world, city=None, name="strategy:public"):
    city = city or world.city
    return reverse(name, kwargs={"cohort_slug": city.cohort.slug, "place_slug": city.slug})


def test_an_anonymous_visitor_reads_the_approved_edition_and_nothing_private(client, world):
    with scopes_disabled():
        strategy = approve_plan(world.city, approved_by=world.users["mayor"])
        thread_start(city=world.city, actor=world.users["coach"], strategy=strategy, part="vision",
                     body="A coach's private remark about the vision.", notify=False)
    with scope(city=world.city):
        strategy_set_public(city=world.city, actor=world.users["mayor"], public=True)
    response = client.get(public_url(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Every resident can see how the city is doing" in page  # the vision
    assert "governance goal 1 action 1" in page and "Measure 1 of governance goal 1 action 1" in page
    assert "Maturity self-assessment" in page and "<caption" in page  # the chart's table
    assert "private remark" not in page and "@" not in page.split("<main")[1].split("</main>")[0]
    assert 'href="/cities/' not in page  # no way into the city's own pages
    assert "Sign out" not in page


def test_the_page_speaks_the_citys_language_unless_the_visitor_chose_one(client, world):
    with scopes_disabled():
        world.city.language = "es"
        world.city.save(update_fields=["language"])
        approve_plan(world.city, public=True)
    page = client.get(public_url(world)).content.decode()
    assert '<html lang="es">' in page and "Estrategia de datos de Alpha City" in page
    client.cookies["django_language"] = "en"
    page = client.get(public_url(world)).content.decode()
    assert '<html lang="en">' in page
    assert ' lang="es"' in page  # the city's own words still carry their language


@pytest.mark.parametrize("state", ["draft", "approved_not_public", "withdrawn", "no_such_city", "other_cohort"])
def test_everything_not_public_answers_404_like_a_city_one_has_no_role_in(client, world, state):
    url = public_url(world)
    with scopes_disabled():
        if state == "draft":
            build_plan(world.city)
            Strategy.objects.filter(city=world.city).update(public_since="2026-01-01T00:00Z")  # no approved edition
        elif state == "approved_not_public":
            approve_plan(world.city)
        elif state == "withdrawn":
            approve_plan(world.city, public=True)
            assert client.get(url).status_code == 200
            with scope(city=world.city):
                strategy_set_public(city=world.city, actor=world.users["mayor"], public=False)
        elif state == "no_such_city":
            url = url.replace("/alpha/", "/omega/")
        else:
            approve_plan(world.city, public=True)
            url = reverse("strategy:public", kwargs={"cohort_slug": "another-cohort", "place_slug": world.city.slug})
    for user in (None, world.users["staff"], world.users["mayor"]):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 404, (state, user)
        assert "Alpha City" not in response.content.decode()
        assert client.get(url.rstrip("/") + "/strategy.pdf").status_code == 404


def test_an_amended_draft_never_replaces_the_public_edition_until_approved(client, world):
    with scopes_disabled():
        approve_plan(world.city, public=True)
    with scope(city=world.city):
        strategy_transition(city=world.city, actor=world.users["member"], name="amend", notify=False)
        vision = world.city.strategy_sections.get(key="vision")
        unit_save(city=world.city, actor=world.users["member"], unit=vision,
                  values={"text": "A draft nobody approved."}, base_version=vision.version)
    page = client.get(public_url(world)).content.decode()
    assert "Every resident can see how the city is doing" in page
    assert "A draft nobody approved." not in page


def test_only_the_mayor_makes_public_and_only_an_approved_edition(client, world):
    with scope(city=world.city):
        build_plan(world.city)
        with pytest.raises(RuleViolation, match="approved edition"):
            strategy_set_public(city=world.city, actor=world.users["mayor"], public=True)
    with scopes_disabled():
        approve_plan(world.city)
    with scope(city=world.city), pytest.raises(RuleViolation, match="mayor"):
        strategy_set_public(city=world.city, actor=world.users["member"], public=True)
    client.force_login(world.users["mayor"])
    plan = reverse("strategy:plan", kwargs={"city_slug": world.city.slug})
    page = client.get(plan).content.decode()
    assert "Make the approved strategy public" in page
    response = client.post(reverse("strategy:public_toggle", kwargs={"city_slug": world.city.slug}), {"public": "1"},
                           follow=True)
    assert "The approved strategy is now public." in response.content.decode()
    assert "Withdraw from public view" in client.get(plan).content.decode()  # the page kept before is not served
    assert client.get(public_url(world)).status_code == 200
    with scope(city=world.city):
        assert world.city.audit_events.filter(action="strategy.made_public").count() == 1


def test_making_public_without_an_approved_edition_shows_a_message_not_an_error(client, world):
    with scopes_disabled():
        build_plan(world.city)
    client.force_login(world.users["mayor"])
    response = client.post(reverse("strategy:public_toggle", kwargs={"city_slug": world.city.slug}), {"public": "1"},
                           follow=True)
    assert response.status_code == 200
    assert "Only an approved edition can be made public" in response.content.decode()
    assert client.get(public_url(world)).status_code == 404


def test_the_index_lists_the_cohorts_public_strategies_only(client, world):
    index = reverse("strategy:public_index", kwargs={"cohort_slug": world.cohort.slug})
    with scopes_disabled():
        approve_plan(world.other_city)
    assert client.get(index).status_code == 404  # nothing public yet: no index either
    with scopes_disabled():
        approve_plan(world.city, public=True)
    page = client.get(index).content.decode()
    assert "Alpha City" in page and public_url(world) in page
    assert "Beta City" not in page
