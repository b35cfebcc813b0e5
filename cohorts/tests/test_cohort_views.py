import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accelerator.models import AuditEvent
from accelerator.tests.factories import CoachFactory
from cohorts.models import City, Cohort

pytestmark = pytest.mark.django_db


def test_staff_create_a_cohort_and_a_city_with_coaches(client, world):
    # The requests run outside any wrap: the middleware disables scopes for staff.
    client.force_login(world.users["staff"])
    response = client.post(reverse("cohorts:create"), {
        "name": "2027 cohort", "slug": "2027", "start_date": "2027-06-01", "end_date": "2027-12-01",
        "status": "planned",
    })
    assert response.status_code == 302
    cohort = Cohort.objects.get(slug="2027")
    coach = CoachFactory()
    response = client.post(reverse("cohorts:city_create", kwargs={"cohort_slug": "2027"}), {
        "name": "Medellín", "slug": "medellin", "country": "Colombia", "time_zone": "America/Bogota",
        "language": "es", "status": "active", "coaches": [coach.pk],
    })
    assert response.status_code == 302
    city = City.objects.get(slug="medellin")
    assert city.cohort == cohort
    with scope(city=city):
        assert [a.coach for a in city.coach_assignments.all()] == [coach]
        assert AuditEvent.objects.filter(city=city, action="coach.assigned").exists()


def test_bad_cohort_input_is_explained_next_to_the_fields(client, world):
    client.force_login(world.users["staff"])
    response = client.post(reverse("cohorts:create"), {
        "name": "Dup", "slug": world.cohort.slug, "start_date": "2027-06-01", "end_date": "2027-01-01",
        "status": "planned",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "already exists" in html
    assert "end date must be on or after" in html
    assert 'value="Dup"' in html


def test_duplicate_city_slug_and_unknown_time_zone_are_field_errors(client, world):
    client.force_login(world.users["staff"])
    response = client.post(reverse("cohorts:city_create", kwargs={"cohort_slug": world.cohort.slug}), {
        "name": "Again", "slug": world.city.slug, "country": "X", "time_zone": "Nowhere/Town", "language": "en",
        "status": "active",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "City with this Short name in addresses already exists" in html
    assert "Nowhere/Town is not one of the available choices" in html


def test_status_change_is_audited(client, world):
    with scope(city=world.city):
        client.force_login(world.users["staff"])
        client.post(reverse("cohorts:city_edit", kwargs={"city_slug": world.city.slug}), {
            "name": world.city.name, "slug": world.city.slug, "country": world.city.country,
            "time_zone": world.city.time_zone, "language": "en", "status": "at_risk",
            "coaches": [world.users["coach"].pk],
        })
        world.city.refresh_from_db()
        assert world.city.status == City.Status.AT_RISK
        event = AuditEvent.objects.get(city=world.city, action="city.status_changed")
        assert event.actor == world.users["staff"]


def test_coach_sees_only_their_cities_on_the_cohort_page(client, world):
    client.force_login(world.users["coach"])
    html = client.get(reverse("dashboards:cohort", kwargs={"cohort_slug": world.cohort.slug})).content.decode()
    assert world.city.name in html and world.other_city.name not in html


def test_coach_cannot_open_a_cohort_without_their_cities(client, world):
    from cohorts.tests.factories import CohortFactory

    other = CohortFactory()
    client.force_login(world.users["coach"])
    assert client.get(reverse("dashboards:cohort", kwargs={"cohort_slug": other.slug})).status_code == 404


def test_cohort_dates_far_outside_a_program_are_refused(client, world):
    client.force_login(world.users["staff"])
    response = client.post(reverse("cohorts:create"), {
        "name": "Typo", "slug": "typo", "start_date": "9999-01-01", "end_date": "9999-06-01", "status": "planned",
    })
    assert response.status_code == 200
    assert "Give a date between 2000 and 2100" in response.content.decode()
    assert not Cohort.objects.filter(slug="typo").exists()


def test_people_page_lists_coaches_with_their_cities_and_staff_in_constant_queries(client, world):
    from accelerator.tests.queries import assert_num_page_queries
    from cohorts.tests.factories import CityFactory, CoachAssignmentFactory

    coach, other_coach = world.users["coach"], world.users["other_coach"]
    with scopes_disabled():
        CoachAssignmentFactory(city=CityFactory(name="Gamma City", slug="gamma", cohort=world.cohort), coach=coach)
    former = CoachFactory(full_name="Former Coach")
    client.force_login(world.users["staff"])
    html = client.get(reverse("cohorts:people")).content.decode()
    assert (f'Coach Alpha &lt;{coach.email}&gt; — <a href="/cities/alpha/">Alpha City</a>, '
            '<a href="/cities/gamma/">Gamma City</a>') in html
    assert f'<a href="{world.other_city.get_absolute_url()}">Beta City</a>' in html
    assert f"Former Coach &lt;{former.email}&gt; — no city yet" in html
    assert f"Program Staff &lt;{world.users['staff'].email}&gt;" in html
    # Someone who stops being a coach leaves the list, and with them their cities.
    other_coach.is_coach = False
    other_coach.save(update_fields=["is_coach"])
    assert "Beta City" not in client.get(reverse("cohorts:people")).content.decode()

    def grow():
        with scopes_disabled():
            CoachAssignmentFactory(city=CityFactory(cohort=world.cohort), coach=CoachFactory())

    assert_num_page_queries(client, reverse("cohorts:people"), expected=4, grow=grow)
