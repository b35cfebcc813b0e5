
"""The desk, code and eligibility services decide by the permissions in convening/rules.py, the
same ones the pages check: whoever holds it may act, everyone else is refused."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django_scopes import scope

from accelerator.errors import RuleViolation
from cohorts.models import Membership
from convening.models import EligibilityReview
from convening.services.codes import checkin_code_reissue
from convening.services.desk import DeskResult, convening_check_in
from convening.services.eligibility import eligibility_decide

from .factories import during


@pytest.fixture(autouse=True)
def _within_city_a(world):
    """Every test here acts on city A, inside its scope, as a request to its pages would."""
    with scope(city=world.city):
        yield

pytestmark = pytest.mark.django_db

ROLES = ["member", "mayor", "coach", "other_coach", "outsider", "staff"]


@pytest.mark.parametrize("role", ROLES)
def test_the_desk_is_run_by_whoever_may_run_it(world, convening, role):
    actor = world.users[role]
    result = convening_check_in(session=convening, actor=actor, person=world.users["mayor"], identity_confirmed=True,
                                now=during(convening.test_days[0]))
    assert actor.has_perm("convening.run_desk") is (role == "staff")
    assert (result.outcome == DeskResult.CHECKED_IN) is actor.has_perm("convening.run_desk"), result.message


def test_a_signed_out_visitor_cannot_run_the_desk(world, convening):
    result = convening_check_in(session=convening, actor=AnonymousUser(), person=world.users["mayor"],
                                identity_confirmed=True, now=during(convening.test_days[0]))
    assert result.outcome == DeskResult.REFUSED


@pytest.mark.parametrize("role", ROLES)
def test_codes_are_reissued_by_whoever_may_manage_them(world, convening, role):
    actor = world.users[role]
    membership = Membership.objects.get(user=world.users["mayor"])
    if actor.has_perm("convening.manage_codes"):
        assert checkin_code_reissue(session=convening, membership=membership, actor=actor).person == membership.user
    else:
        with pytest.raises(RuleViolation, match="Only program staff"):
            checkin_code_reissue(session=convening, membership=membership, actor=actor)
    assert actor.has_perm("convening.manage_codes") is (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_eligibility_is_decided_by_whoever_may_decide_it(world, convening, role):
    actor = world.users[role]
    review = EligibilityReview.objects.create(session=convening, city=world.city, missed=["Wednesday"],
                                              previous_status=world.city.status)
    decide = lambda: eligibility_decide(  # noqa: E731 (the same call in both branches)
        review=review, actor=actor, state=EligibilityReview.State.EXCUSED, reason="Flight cancelled by the airline.")
    if actor.has_perm("convening.decide_eligibility", world.city):
        assert decide().state == EligibilityReview.State.EXCUSED
    else:
        with pytest.raises(RuleViolation, match="Only program staff"):
            decide()
    assert actor.has_perm("convening.decide_eligibility", world.city) is (role == "staff")
