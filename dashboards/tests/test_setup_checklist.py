import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from agenda.models import Session
from agenda.tests.factories import SessionFactory
from cohorts.models import Cohort, Role
from cohorts.services.invitations import invitation_create
from cohorts.tests.factories import CityFactory, CohortFactory, MembershipFactory
from dashboards.setup_checklist import city_checklist, cohort_checklist

pytestmark = pytest.mark.django_db


def texts(checklist):
    return [(step.done, step.text, [name for name, _url in step.cities]) for step in checklist.steps]


def test_a_new_cohort_lists_everything_it_lacks_with_links(client, world):
    with scopes_disabled():
        cohort = CohortFactory(name="Cohort 2027", slug="c2027", status=Cohort.Status.PLANNED)
    client.force_login(world.users["staff"])
    page = client.get(reverse("dashboards:cohort", kwargs={"cohort_slug": cohort.slug})).content.decode()
    assert "Set-up checklist" in page and "6 steps left" in page
    assert "No city in this cohort yet." in page and "No city matches these filters" not in page
    assert reverse("cohorts:roster_import", kwargs={"cohort_slug": cohort.slug}) in page
    assert "The mayors&#x27; convening is not scheduled yet." in page
    assert reverse("agenda:session_create", kwargs={"cohort_slug": cohort.slug}) in page


def test_the_cohort_checklist_names_the_cities_that_miss_each_step(world):
    with scopes_disabled():
        bare = CityFactory(cohort=world.cohort, name="Gamma City")
        invitation_create(email="mayor@gamma.example", full_name="G Mayor", kind="city", city=bare, role=Role.MAYOR,
                          actor=world.users["staff"])
        for _n in range(2):
            MembershipFactory(city=world.city)
        SessionFactory(cohort=world.cohort, kind=Session.Kind.CONVENING, audience=Session.Audience.MAYORS)
    assert texts(cohort_checklist(world.cohort)) == [
        (True, "3 cities take part.", []),
        (True, "Every city's mayor is on the team or invited.", []),
        (False, "Fewer than 3 senior team members on the team or invited:", ["Beta City", "Gamma City"]),
        (False, "No coach assigned yet:", ["Gamma City"]),
        (True, "The mayors' convening is scheduled.", []),
        (False, "No keynote, workshop, coaching session or checkpoint is scheduled yet.", []),
    ]


def test_a_running_cohort_has_no_checklist_its_rows_say_what_each_city_lacks(client, world):
    client.force_login(world.users["staff"])
    page = client.get(reverse("dashboards:cohort", kwargs={"cohort_slug": world.cohort.slug})).content.decode()
    assert "Set-up checklist" not in page


def test_a_new_city_page_says_what_is_missing_and_only_staff_see_it(client, world):
    with scopes_disabled():
        city = CityFactory(cohort=world.cohort, name="Gamma City", slug="gamma")
    checklist = city_checklist(city)
    assert [step.text for step in checklist.steps][:3] == [
        "No mayor invited yet.",
        "0 senior team members on the team or invited (the program suggests 3 to 4).",
        "No coach assigned yet.",
    ]
    client.force_login(world.users["staff"])
    page = client.get(reverse("dashboards:city_home", kwargs={"city_slug": city.slug})).content.decode()
    assert "Set-up checklist" in page and "No mayor invited yet." in page
    assert reverse("cohorts:team", kwargs={"city_slug": city.slug}) in page
    assert "Nothing is waiting" not in page and "nobody is on the team, and no mayor has joined yet" in page
    client.force_login(world.users["mayor"])
    page = client.get(reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug})).content.decode()
    assert "Set-up checklist" not in page


def test_a_set_up_city_shows_no_checklist(client, world):
    with scopes_disabled():
        for _n in range(2):
            MembershipFactory(city=world.city)
        SessionFactory(cohort=world.cohort, kind=Session.Kind.CONVENING, audience=Session.Audience.MAYORS)
        SessionFactory(cohort=world.cohort)
    assert city_checklist(world.city).complete
    client.force_login(world.users["staff"])
    page = client.get(reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug})).content.decode()
    assert "Set-up checklist" not in page


def test_the_cohort_checklist_runs_one_query_however_many_cities(world, django_assert_num_queries):
    for _n in range(3):
        with django_assert_num_queries(1):
            cohort_checklist(world.cohort)
        with scopes_disabled():
            MembershipFactory(city=CityFactory(cohort=world.cohort))


def test_an_empty_cohort_checklist_still_counts_its_sessions(django_assert_num_queries):
    from cohorts.tests.factories import CohortFactory

    cohort = CohortFactory()
    with django_assert_num_queries(2):
        checklist = cohort_checklist(cohort)
    assert [step.done for step in checklist.steps] == [False, False, False, False, False, False]


def test_the_cohort_page_keeps_its_checklist_until_an_invitation_changes_it(client, world):
    from dashboards.read_model import rows_refresh

    with scopes_disabled():
        Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.PLANNED)
        bare = CityFactory(cohort=world.cohort, name="Gamma City")
        rows_refresh([city.pk for city in world.cohort.cities.all()])
    client.force_login(world.users["staff"])
    url = reverse("dashboards:cohort", kwargs={"cohort_slug": world.cohort.slug})
    assert "No mayor invited yet:" in client.get(url).content.decode()
    assert "No mayor invited yet:" in client.get(url).content.decode()  # the kept copy
    with scopes_disabled():
        invitation_create(email="mayor@gamma.example", full_name="G Mayor", kind="city", city=bare, role=Role.MAYOR,
                          actor=world.users["staff"])
    assert "No mayor invited yet:" not in client.get(url).content.decode()
