"""Withdrawing a decision request and changing the coaching cadence each have their own permission:
the page and the action ask it, not a neighbouring one."""

import pytest
import rules
from django.urls import reverse

from coaching.models import CoachingSettings, MayorDecision

from .factories import DecisionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def denied():
    """Refuse one permission to everyone for the test, then put the real rule back."""
    saved = {}

    def deny(name):
        saved[name] = rules.permissions.permissions[name]
        rules.set_perm(name, rules.always_deny)

    yield deny
    for name, predicate in saved.items():
        rules.set_perm(name, predicate)


@pytest.mark.parametrize("role,may", [("coach", True), ("member", True), ("staff", True), ("mayor", False),
                                      ("other_coach", False), ("outsider", False)])
def test_who_may_withdraw_a_request(world, role, may):
    assert world.users[role].has_perm("coaching.withdraw_decision", world.city) is may


def test_withdrawing_asks_its_own_permission(client, world, denied):
    decision = DecisionFactory(city=world.city)
    detail = decision.get_absolute_url()
    withdraw = reverse("coaching:decision_withdraw", kwargs={"city_slug": world.city.slug, "code": decision.code})
    client.force_login(world.users["coach"])
    assert "Withdraw the request" in client.get(detail).content.decode()

    denied("coaching.withdraw_decision")
    assert world.users["coach"].has_perm("coaching.raise_decision", world.city)
    assert "Withdraw the request" not in client.get(detail).content.decode()
    assert client.post(withdraw).status_code == 403
    decision.refresh_from_db()
    assert decision.status == MayorDecision.Status.PENDING


def test_changing_the_cadence_asks_its_own_permission(client, world, denied):
    page_url = reverse("coaching:cohort_settings", kwargs={"cohort_slug": world.cohort.slug})
    client.force_login(world.users["staff"])
    assert "Save cadence" in client.get(page_url).content.decode()

    denied("coaching.manage_settings")
    assert client.get(page_url).status_code == 403
    assert client.post(page_url, {"checkin_every_days": "21"}).status_code == 403
    assert not CoachingSettings.objects.filter(cohort=world.cohort, checkin_every_days=21).exists()
