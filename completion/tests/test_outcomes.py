"""Completion is derived from the record and explained; staff confirm it (a reason when they set
another outcome), and closing the cohort makes its cities alumni, deleting nothing."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accelerator.errors import RuleViolation
from accelerator.models import AuditEvent
from agenda.models import Attendance, Session
from agenda.tests.factories import SessionFactory
from cohorts.models import City, Cohort
from completion.explain import reasons_text
from completion.models import CityOutcome, CompletionSettings, Outcome
from completion.services.outcomes import cohort_close, completion_set_threshold, outcome_confirm, outcome_derive
from convening.models import EligibilityReview
from convening.tests.factories import make_convening
from strategy.tests.factories import approve_plan

pytestmark = pytest.mark.django_db


@scopes_disabled()
def held_program(world, *, attended=4, marked=5, review_state=None):
    """City A's record: a convening over, a plan approved, `attended` of `marked` workshops attended."""
    start = timezone.now() - datetime.timedelta(days=60)
    convening = make_convening(world.cohort, start=start)
    if review_state:
        EligibilityReview.objects.create(session=convening, city=world.city, state=review_state, missed=["Friday"],
                                         reason="Flight cancelled by the airline; documented." if review_state in
                                         EligibilityReview.RESTORED else "")
    approve_plan(world.city)
    member = world.users["member"]
    for n in range(marked):
        workshop = SessionFactory(cohort=world.cohort, starts_at=start + datetime.timedelta(days=5 + n),
                                  ends_at=start + datetime.timedelta(days=5 + n, hours=2))
        Attendance.objects.create(session=workshop, city=world.city, person=member,
                                  status=Attendance.Status.PRESENT if n < attended else Attendance.Status.ABSENT)
    return convening


def derive(world):
    with scope(city=world.city):
        return outcome_derive(City.objects.select_related("cohort").get(pk=world.city.pk))


def test_a_city_that_met_every_requirement_completed_and_says_why(world):
    held_program(world, attended=4, marked=5)
    derivation = derive(world)
    assert derivation.outcome == Outcome.COMPLETED
    assert [reason["key"] for reason in derivation.reasons] == ["convening_met", "strategy_approved", "attendance_met"]
    texts = [text for _met, text in reasons_text(derivation.reasons)]
    assert "checked in in person at every required day of “Mayors' convening”" in texts[0]
    assert "80% (4 of 5 marked)" in texts[2] and "75%" in texts[2]


def test_a_mayor_who_missed_a_day_leaves_the_city_not_completed_with_what_is_missing(world):
    held_program(world, review_state=EligibilityReview.State.PENDING)
    derivation = derive(world)
    assert derivation.outcome == Outcome.NOT_COMPLETED
    missing = [text for met, text in reasons_text(derivation.reasons) if not met]
    assert missing == ["The mayor missed Friday of “Mayors' convening” (Not eligible — pending review)."]


def test_an_absence_excused_by_staff_counts_with_its_reason(world):
    held_program(world, review_state=EligibilityReview.State.EXCUSED)
    derivation = derive(world)
    assert derivation.outcome == Outcome.COMPLETED
    assert "excused by program staff: “Flight cancelled by the airline; documented.”" in reasons_text(
        derivation.reasons)[0][1]


def test_attendance_below_the_cohorts_threshold_is_missing(world):
    held_program(world, attended=3, marked=5)
    derivation = derive(world)
    assert derivation.outcome == Outcome.NOT_COMPLETED
    assert [text for met, text in reasons_text(derivation.reasons) if not met] == [
        "Required sessions attended: 60% (3 of 5 marked), below the cohort's 75%."]


def test_the_threshold_is_set_per_cohort_and_audited(world):
    held_program(world, attended=3, marked=5)
    assert derive(world).outcome == Outcome.NOT_COMPLETED
    with scopes_disabled():
        completion_set_threshold(cohort=world.cohort, actor=world.users["staff"], threshold=60)
        assert CompletionSettings.objects.get(cohort=world.cohort).attendance_threshold == 60
        assert AuditEvent.objects.filter(action="completion.threshold_set", cohort=world.cohort).exists()
    world.cohort.refresh_from_db()
    assert derive(world).outcome == Outcome.COMPLETED
    with pytest.raises(RuleViolation):
        completion_set_threshold(cohort=world.cohort, actor=world.users["coach"], threshold=10)


def test_no_approved_strategy_is_missing(world):
    held_program(world)
    with scopes_disabled():
        from strategy.models import PublishedEdition

        PublishedEdition.objects.filter(city=world.city).delete()
    derivation = derive(world)
    assert derivation.outcome == Outcome.NOT_COMPLETED
    assert [r["key"] for r in derivation.missing] == ["strategy_missing"]


def test_a_withdrawn_city_is_withdrawn(world):
    held_program(world)
    with scopes_disabled():
        City.objects.filter(pk=world.city.pk).update(status=City.Status.WITHDRAWN)
    assert derive(world).outcome == Outcome.WITHDRAWN


def test_staff_confirm_the_derived_outcome_or_another_with_a_reason(world):
    held_program(world, review_state=EligibilityReview.State.PENDING)
    staff = world.users["staff"]
    with pytest.raises(RuleViolation) as refused:
        outcome_confirm(city=world.city, actor=staff, outcome=Outcome.COMPLETED, reason="")
    assert refused.value.field == "reason" and "Not completed" in refused.value.messages[0]
    with pytest.raises(RuleViolation):
        outcome_confirm(city=world.city, actor=world.users["coach"], outcome=Outcome.NOT_COMPLETED)
    row = outcome_confirm(city=world.city, actor=staff, outcome=Outcome.COMPLETED,
                          reason="The board accepted the mayor's video attendance on Friday.")
    assert row.is_override and row.derived == Outcome.NOT_COMPLETED and row.confirmed_by_name == "Program Staff"
    row = outcome_confirm(city=world.city, actor=staff, outcome=Outcome.NOT_COMPLETED)
    with scopes_disabled():
        assert CityOutcome.objects.filter(city=world.city).count() == 1
        events = list(AuditEvent.objects.filter(city=world.city, action="completion.outcome_confirmed")
                      .order_by("created_at", "pk"))
    assert [e.data["outcome"] for e in events] == ["completed", "not_completed"]
    assert events[0].reason.startswith("The board accepted")


def test_closing_waits_for_every_outcome_then_makes_the_cities_alumni(world):
    held_program(world)
    staff = world.users["staff"]
    with pytest.raises(RuleViolation) as refused:
        cohort_close(cohort=world.cohort, actor=staff)
    assert "Alpha City" in refused.value.messages[0] and "Beta City" in refused.value.messages[0]
    outcome_confirm(city=world.city, actor=staff, outcome=Outcome.COMPLETED)
    outcome_confirm(city=world.other_city, actor=staff, outcome=Outcome.NOT_COMPLETED)
    cohort_close(cohort=world.cohort, actor=staff)
    with scopes_disabled():
        assert Cohort.objects.get(pk=world.cohort.pk).status == Cohort.Status.COMPLETED
        assert set(City.objects.filter(cohort=world.cohort).values_list("status", flat=True)) == {"alumni"}
        assert world.city.memberships.count() == 2 and Session.objects.filter(cohort=world.cohort).exists()
        assert AuditEvent.objects.filter(action="completion.cohort_closed", cohort=world.cohort).exists()
    cohort_close(cohort=world.cohort, actor=staff)  # closing twice changes nothing


def test_a_practice_convening_over_says_nothing_of_the_mayor(world):
    held_program(world)
    with scopes_disabled():
        Session.objects.filter(cohort=world.cohort, kind=Session.Kind.CONVENING).update(required=False)
    derivation = derive(world)
    assert derivation.outcome == Outcome.NOT_COMPLETED
    assert derivation.reasons[0] == {"key": "convening_none", "met": False}
