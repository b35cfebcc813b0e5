import pytest
from django.urls import reverse
from django_scopes import scope

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
