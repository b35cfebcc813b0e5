"""The completion pages: staff confirm an outcome on the city's page (a clear message next to the
reason when one is needed), the cohort page closes the cohort, and the certificate exists only for
a completed city."""

import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from cohorts.models import City
from completion.models import CityOutcome, CompletionSettings
from convening.models import EligibilityReview
from strategy.tests.pdf_structure import pdf_structure

from .factories import CityOutcomeFactory
from .test_outcomes import held_program

pytestmark = pytest.mark.django_db


def test_staff_overriding_without_a_reason_see_why_next_to_the_field_and_lose_nothing(client, world):
    held_program(world, review_state=EligibilityReview.State.PENDING)
    client.force_login(world.users["staff"])
    url = reverse("completion:city", kwargs={"city_slug": world.city.slug})
    page = client.get(url).content.decode()
    assert "The mayor missed Friday" in page and "The record says: Not completed." in page
    response = client.post(url, {"outcome": "completed", "reason": ""})
    assert response.status_code == 400
    assert "write the reason" in response.context["form"].errors["reason"][0]
    with scopes_disabled():
        assert not CityOutcome.objects.exists()
    response = client.post(url, {"outcome": "not_completed", "reason": ""})
    assert response.status_code == 302
    with scopes_disabled():
        assert CityOutcome.objects.get(city=world.city).outcome == "not_completed"


def test_only_staff_confirm(client, world):
    held_program(world)
    url = reverse("completion:city", kwargs={"city_slug": world.city.slug})
    for role in ("coach", "mayor", "member"):
        client.force_login(world.users[role])
        assert "Confirm the outcome" not in client.get(url).content.decode()
        assert client.post(url, {"outcome": "completed"}).status_code == 404
    with scopes_disabled():
        assert not CityOutcome.objects.exists()


def test_the_cohort_page_sets_the_rule_and_closes_the_cohort(client, world):
    held_program(world)
    client.force_login(world.users["staff"])
    url = reverse("completion:cohort", kwargs={"cohort_slug": world.cohort.slug})
    response = client.post(url, {"action": "threshold", "attendance_threshold": "140"})
    assert response.status_code == 400 and response.context["threshold_form"].errors["attendance_threshold"]
    assert client.post(url, {"action": "threshold", "attendance_threshold": "80"}).status_code == 302
    with scopes_disabled():
        assert CompletionSettings.objects.get(cohort=world.cohort).attendance_threshold == 80
    refused = client.post(url, {"action": "close"})
    assert refused.status_code == 400 and "Confirm the outcome of every city" in refused.content.decode()
    CityOutcomeFactory(city=world.city)
    CityOutcomeFactory(city=world.other_city, outcome="not_completed", derived="not_completed")
    assert client.post(url, {"action": "close"}).status_code == 302
    with scopes_disabled():
        assert set(City.objects.values_list("status", flat=True)) == {"alumni"}


def test_no_certificate_for_a_city_that_did_not_complete(client, world):
    CityOutcomeFactory(city=world.city, outcome="not_completed", derived="not_completed")
    client.force_login(world.users["mayor"])
    for name in ("completion:certificate", "completion:certificate_pdf"):
        assert client.get(reverse(name, kwargs={"city_slug": world.city.slug})).status_code == 404


def test_the_certificate_names_city_mayor_team_cohort_and_date_and_its_pdf_is_tagged(client, world):
    outcome = CityOutcomeFactory(city=world.city)
    client.force_login(world.users["member"])
    page = client.get(reverse("completion:certificate", kwargs={"city_slug": world.city.slug})).content.decode()
    mayor, member = world.users["mayor"].full_name, world.users["member"].full_name
    confirmed = timezone.localtime(outcome.confirmed_at, zoneinfo.ZoneInfo(world.users["member"].time_zone))
    for text in ("Certificate of completion", "Alpha City", mayor, member, world.cohort.name,
                 f"{confirmed:%-d %B %Y}"):  # the day in the reader's time zone
        assert text in page
    response = client.get(reverse("completion:certificate_pdf", kwargs={"city_slug": world.city.slug}))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="certificate-alpha-city.pdf"' in response["Content-Disposition"]
    pdf = pdf_structure(response.content)
    assert pdf["has_tree"] and pdf["pdfua"] and pdf["lang"] == "en"
    assert pdf["title"].startswith("Certificate of completion: Alpha City")
    assert mayor in pdf["text"] and member in pdf["text"] and world.cohort.name in pdf["text"]


def test_an_ended_cohorts_pages_read_the_outcomes_in_a_fixed_number_of_queries(client, world):
    """Once a cohort has ended, the cohort page and the city home add each city's outcome: a fixed
    number of queries however many cities (counted once the dashboard's stored rows exist)."""
    from django.core.cache import cache

    from accelerator.tests.queries import count_queries
    from cohorts.models import Cohort
    from cohorts.tests.factories import CityFactory, MayorFactory

    held_program(world)
    with scopes_disabled():
        Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.COMPLETED)
    client.force_login(world.users["staff"])
    pages = {"cohort": (reverse("dashboards:cohort", kwargs={"cohort_slug": world.cohort.slug}), 11),
             # The city home takes the outcome (and its lists) from the stored row the cohort page made.
             "city home": (reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug}), 11)}
    for size in ("small", "grown"):
        for name, (url, expected) in pages.items():
            # The stored rows of a city new to the page are computed on the first read, and the
            # page's body is cached on the second.
            count_queries(client, url), count_queries(client, url)
            if name == "city home":  # its body is kept per state of its data: count it as rendered
                cache.clear()
            counted = count_queries(client, url)
            assert counted == expected, (name, size, counted)
        with scopes_disabled():
            MayorFactory(city=CityFactory(cohort=world.cohort))


def test_an_ended_cohorts_city_home_shows_a_confirmation_at_once(client, world):
    """The city home is kept per state of its data; an outcome confirmed is part of that state."""
    from cohorts.models import Cohort
    from completion.models import Outcome
    from completion.services.outcomes import outcome_confirm
    from dashboards.read_model import rows_refresh

    held_program(world)
    with scopes_disabled():
        Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.COMPLETED)
        rows_refresh([world.city.pk])
    client.force_login(world.users["staff"])
    url = reverse("dashboards:city_home", kwargs={"city_slug": world.city.slug})
    assert "not confirmed yet" in client.get(url).content.decode()
    assert "not confirmed yet" in client.get(url).content.decode()  # the kept copy
    with scopes_disabled():
        outcome_confirm(city=world.city, actor=world.users["staff"], outcome=Outcome.NOT_COMPLETED,
                        reason="The mayor missed the convening, as the record says.")
    assert "not confirmed yet" not in client.get(url).content.decode()
