"""The enforcement sweep through the service, with the clock as a parameter. Two cities each."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accelerator.errors import RuleViolation
from accelerator.models import AuditEvent
from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.services import outbox_deliver
from agenda.models import Attendance, SessionInvitation
from cohorts.models import City
from convening.models import CheckInCode, EligibilityReview, EnforcementStep, SurrogateAttempt
from convening.services import enforcement
from convening.services.desk import convening_check_in, surrogate_record
from convening.services.eligibility import eligibility_decide
from convening.services.enforcement import convening_enforce
from convening.services.outcome import convening_outcomes_sync
from convening.services.windows import partway_at

from .factories import after, during

pytestmark = pytest.mark.django_db


def attend(world, session, person, days=None):
    for day in days or session.test_days:
        convening_check_in(session=session, actor=world.users["staff"], person=person, identity_confirmed=True,
                           now=during(day))


def snapshot(session):
    """Everything the enforcement decides, in a comparable form."""
    with scopes_disabled():  # the enforcement's effects span every city of the convening
        return _snapshot(session)


def _snapshot(session):
    return {
        # The convening's outcome (no segment) sorts before its segments.
        "attendance": sorted((email, day or "", status) for email, day, status in Attendance.objects.filter(
            session=session).values_list("person__email", "day__label", "status")),
        "reviews": sorted(EligibilityReview.objects.filter(session=session).values_list("city__slug", "state",
                                                                                        "missed")),
        "status": sorted(City.objects.values_list("slug", "status")),
        "audit": sorted(AuditEvent.objects.filter(action__startswith="convening.").exclude(
            action__in=["convening.checked_in", "convening.codes_issued"]).values_list("action", "city__slug")),
        "steps": sorted(EnforcementStep.objects.values_list("key", flat=True)),
    }


def sent():
    """Everything the outbox has sent so far, after a sender run (the convening lies ahead, so
    nothing queued is out of date yet)."""
    outbox_deliver()
    return mail.outbox


def to(address, subject=""):
    return [m for m in sent() if address in m.to and subject in m.subject]


def reminders_queued(person, step=""):
    with scopes_disabled():  # reads both cities' rows
        return OutgoingMessage.objects.filter(kind="convening.reminder", recipient=person,
                                              key__contains=f":{step}/" if step else "")


def test_codes_are_issued_two_weeks_before_by_email(world, convening):
    # The enforcement runs outside any scope: it opens its own.
    convening_enforce(now=convening.starts_at - datetime.timedelta(days=20))
    with scopes_disabled():  # reads both cities' rows
        assert not CheckInCode.objects.exists()
    convening_enforce(now=convening.starts_at - datetime.timedelta(days=10))
    convening_enforce(now=convening.starts_at - datetime.timedelta(days=9))
    with scopes_disabled():  # reads both cities' rows
        codes = CheckInCode.objects.filter(session=convening)
        assert {c.person for c in codes} == {world.users["mayor"], world.mayor_b}
        code = codes.get(person=world.users["mayor"])
    [message] = to(world.users["mayor"].email)
    assert code.code in message.body and "/cities/alpha/" in message.body


def test_reminders_at_start_and_partway_once_each(world, convening):
    wed = convening.test_days[0]
    with scopes_disabled():  # set-up at the desk: a staff request, scopes disabled
        attend(world, convening, world.mayor_b, [wed])
    mail.outbox.clear()
    # The enforcement runs outside any scope: it opens its own.
    convening_enforce(now=during(wed, 1))
    convening_enforce(now=during(wed, 2))  # a second sweep in the same step sends nothing more
    assert len(to(world.users["mayor"].email, "Please check in")) == 1
    assert not to(world.mayor_b.email, "Please check in")  # already in
    [live] = to(world.users["staff"].email, "not checked in")
    assert "Alpha City" in live.body and "Beta City" not in live.body
    convening_enforce(now=partway_at(wed) + datetime.timedelta(minutes=1))
    assert len(to(world.users["mayor"].email, "Please check in")) == 2
    assert reminders_queued(world.users["mayor"]).count() == 2
    assert len(to(world.users["staff"].email, "not checked in")) == 2


def test_a_late_sweep_sends_no_stale_reminders(world, convening):
    convening_enforce(now=after(convening))
    assert not reminders_queued(world.users["mayor"]).exists()
    assert not [m for m in sent() if "Please check in" in m.subject]


def test_closed_segment_marks_missing_mayors_absent(world, convening):
    wed = convening.test_days[0]
    with scopes_disabled():  # set-up at the desk: a staff request, scopes disabled
        attend(world, convening, world.users["mayor"], [wed])
    # The enforcement runs outside any scope: it opens its own.
    convening_enforce(now=wed.ends_at + datetime.timedelta(minutes=1))
    convening_enforce(now=wed.ends_at + datetime.timedelta(minutes=4))
    with scopes_disabled():  # reads both cities' rows: the only absence is city B's
        absent = Attendance.objects.get(session=convening, day=wed, status=Attendance.Status.ABSENT)
        assert absent.person == world.mayor_b and absent.city == world.other_city
    with scope(city=world.other_city):
        assert AuditEvent.objects.filter(action="convening.segment_missed", city=world.other_city).count() == 1
    with scope(city=world.city):
        assert not AuditEvent.objects.filter(action="convening.segment_missed", city=world.city).exists()


def test_mayor_who_skipped_friday_makes_the_city_pending_review(world, convening):
    wed, thu, _fri = convening.test_days
    with scopes_disabled():  # set-up at the desk: a staff request, scopes disabled
        attend(world, convening, world.users["mayor"], [wed, thu])
        attend(world, convening, world.mayor_b)
    mail.outbox.clear()
    summary = convening_enforce(now=after(convening))  # outside any scope: it opens its own
    assert summary["reviews"] == 1
    with scopes_disabled():  # reads both cities' rows: one review in the whole convening
        review = EligibilityReview.objects.get()
        assert (review.city, review.state, review.missed, review.previous_status) == (
            world.city, EligibilityReview.State.PENDING, ["Friday"], City.Status.ACTIVE)
    world.city.refresh_from_db()
    world.other_city.refresh_from_db()
    assert world.city.status == City.Status.NOT_ELIGIBLE
    assert world.other_city.status == City.Status.ACTIVE
    with scopes_disabled():  # reads both cities' rows: one such event in the whole convening
        event = AuditEvent.objects.get(action="convening.eligibility_pending")
        assert event.city == world.city and event.actor is None and event.actor_label == "task: convening.enforce"
    [staff_mail] = to(world.users["staff"].email, "pending")
    assert "Alpha City: Friday" in staff_mail.body


def test_surrogate_attempt_never_counts_or_changes_eligibility(world, convening):
    wed, thu, fri = convening.test_days
    with scopes_disabled():  # set-up at the desk: a staff request, scopes disabled
        attend(world, convening, world.users["mayor"], [wed, thu])
        attend(world, convening, world.mayor_b)
        surrogate_record(session=convening, actor=world.users["staff"], city=world.city,
                         reason=SurrogateAttempt.Reason.DEPUTY,
                         presented_name="Deputy", now=during(fri))
        # An invited team member of city B attends Friday as themselves: it counts for no one else.
        SessionInvitation.objects.create(session=convening, person=world.users["member"], city=world.city)
        convening_check_in(session=convening, actor=world.users["staff"], person=world.users["member"],
                           identity_confirmed=True, now=during(fri))
    convening_enforce(now=after(convening))  # outside any scope: it opens its own
    with scopes_disabled():  # reads both cities' rows
        assert EligibilityReview.objects.get().city == world.city
        assert not Attendance.objects.filter(person=world.users["mayor"], day=fri, status="present").exists()


def test_optional_segment_is_not_required(world):
    from .factories import make_convening

    session = make_convening(world.cohort, friday_required=False)
    attend(world, session, world.users["mayor"], session.test_days[:2])
    attend(world, session, world.mayor_b, session.test_days[:2])
    convening_enforce(now=after(session))
    assert not EligibilityReview.objects.exists()


def _stepwise(session):
    """Every three minutes around each moment that matters, then after the end, twice."""
    moments = sorted({m for d in session.test_days for m in (d.starts_at, partway_at(d), d.ends_at)})
    for moment in moments:
        for minutes in (0, 3):
            convening_enforce(now=moment + datetime.timedelta(minutes=minutes))
    convening_enforce(now=after(session))
    convening_enforce(now=after(session, hours=2))


def _late(session):
    convening_enforce(now=after(session, hours=72))


def _twice_concurrently_late(session):
    convening_enforce(now=after(session, hours=3), session=session)
    convening_enforce(now=after(session, hours=3), session=session)
    convening_enforce(now=after(session, hours=4))


@pytest.mark.parametrize("schedule", [_stepwise, _late, _twice_concurrently_late], ids=["stepwise", "late", "twice"])
def test_on_time_late_or_twice_gives_the_same_result(world, convening, schedule):
    wed, thu, _fri = convening.test_days
    attend(world, convening, world.users["mayor"], [wed, thu])
    schedule(convening)
    mayor_a, mayor_b = world.users["mayor"].email, world.mayor_b.email
    state = snapshot(convening)
    assert state["attendance"] == sorted([
        (mayor_a, "Wednesday evening", "present"), (mayor_a, "Thursday", "present"), (mayor_a, "Friday", "absent"),
        (mayor_b, "Wednesday evening", "absent"), (mayor_b, "Thursday", "absent"), (mayor_b, "Friday", "absent"),
        # Each mayor's convening outcome, derived from the segments: a missed one outweighs the rest.
        (mayor_a, "", "absent"), (mayor_b, "", "absent"),
    ])
    assert state["reviews"] == [
        ("alpha", "pending_review", ["Friday"]),
        ("beta", "pending_review", ["Wednesday evening", "Thursday", "Friday"])]
    assert state["status"] == [("alpha", "not_eligible"), ("beta", "not_eligible")]
    assert state["audit"] == sorted(
        [("convening.segment_missed", "alpha")] + [("convening.segment_missed", "beta")] * 3
        + [("convening.eligibility_pending", "alpha"), ("convening.eligibility_pending", "beta"),
           ("convening.settled", None)])
    assert len([m for m in sent() if "pending eligibility review" in m.subject]) == 1
    # Each city's mayor hears where the city stands, in the city's rows of the outbox.
    assert len([m for m in sent() if "participation pending review" in m.subject]) == 4  # mayor and team


def test_crash_between_check_and_write_then_rerun(world, convening, monkeypatch):
    with scopes_disabled():  # set-up at the desk: a staff request, scopes disabled
        attend(world, convening, world.mayor_b)

    def crash(name):
        raise SystemExit(f"worker killed at {name}")

    monkeypatch.setattr(enforcement, "_crash_point", crash)
    with pytest.raises(SystemExit):  # outside any scope: the enforcement opens its own
        convening_enforce(now=after(convening))
    monkeypatch.undo()
    convening_enforce(now=after(convening))
    convening_enforce(now=after(convening))
    with scopes_disabled():  # reads both cities' rows
        assert Attendance.objects.filter(person=world.users["mayor"], status="absent", day__isnull=False).count() == 3
        assert EligibilityReview.objects.get().city == world.city
        assert AuditEvent.objects.filter(action="convening.eligibility_pending").count() == 1


def test_override_needs_a_reason_and_restores_the_city(world, convening):
    with scopes_disabled():  # set-up at the desk: a staff request, scopes disabled
        attend(world, convening, world.mayor_b)
    convening_enforce(now=after(convening))  # outside any scope: it opens its own
    with scope(city=world.city):
        review = EligibilityReview.objects.get(city=world.city)
    staff = world.users["staff"]
    # The decisions are made on city A's eligibility page, so they run in its scope.
    with scope(city=world.city):
        with pytest.raises(RuleViolation) as error:
            eligibility_decide(review=review, actor=staff, state=EligibilityReview.State.EXCUSED, reason="  ")
        assert error.value.field == "reason"
        with pytest.raises(RuleViolation):
            eligibility_decide(review=review, actor=world.users["coach"], state="excused",
                               reason="Because I say so, ok")
        eligibility_decide(review=review, actor=staff, state=EligibilityReview.State.EXCUSED,
                           reason="Hospitalised on Tuesday; doctor's note on file.")
    world.city.refresh_from_db()
    assert world.city.status == City.Status.ACTIVE
    with scopes_disabled():  # reads both cities' rows: one such event in the whole convening
        event = AuditEvent.objects.get(action="convening.eligibility_decided")
        assert event.actor == staff and event.reason.startswith("Hospitalised") and event.city == world.city
    # The enforcement running again leaves the decision alone.
    convening_enforce(now=after(convening, hours=5))
    convening_enforce(now=after(convening, hours=5), session=convening)
    review.refresh_from_db()
    world.city.refresh_from_db()
    assert review.state == EligibilityReview.State.EXCUSED and world.city.status == City.Status.ACTIVE
    with scope(city=world.city):  # city A's eligibility page
        eligibility_decide(review=review, actor=staff, state=EligibilityReview.State.CONFIRMED,
                           reason="The note did not cover Friday after all.")
    world.city.refresh_from_db()
    assert world.city.status == City.Status.NOT_ELIGIBLE


def test_settled_convenings_are_left_alone(world, convening):
    convening_enforce(now=after(convening))
    steps = EnforcementStep.objects.count()
    assert convening_enforce(now=after(convening, hours=10)) == {
        "codes": 0, "reminders": 0, "absent": 0, "reviews": 0, "settled": 0}
    assert EnforcementStep.objects.count() == steps


def test_cancelled_convening_is_not_enforced(world, convening):
    convening.status = "cancelled"
    convening.save()
    convening_enforce(now=after(convening))
    assert not Attendance.objects.exists() and not EligibilityReview.objects.exists()


def test_celery_task_is_a_thin_wrapper(world, convening):
    from convening.tasks import enforce

    result = enforce.delay(after(convening).isoformat()).get()
    assert result["reviews"] == 2


def test_pending_review_withdraws_upcoming_invitations_until_restored(world, convening):
    from agenda.models import Session
    from agenda.tests.factories import create_session

    workshop = create_session(world, days_ahead=60, audience=Session.Audience.MAYORS_AND_TEAMS)
    with scope(city=world.city):
        assert SessionInvitation.objects.filter(session=workshop, city=world.city).count() == 2
    with scopes_disabled():  # set-up at the desk: a staff request, scopes disabled
        attend(world, convening, world.mayor_b)
    convening_enforce(now=after(convening))  # outside any scope: it opens its own
    with scope(city=world.city):
        assert not SessionInvitation.objects.filter(session=workshop, city=world.city).exists()
    with scope(city=world.other_city):
        assert SessionInvitation.objects.filter(session=workshop, city=world.other_city).count() == 2
    with scopes_disabled():  # reads both cities' rows: the one review is city A's
        review = EligibilityReview.objects.get()
    with scope(city=world.city):  # city A's eligibility page
        eligibility_decide(review=review, actor=world.users["staff"],
                           state=EligibilityReview.State.ELIGIBLE, reason="Attended by prior written agreement.")
        assert SessionInvitation.objects.filter(session=workshop, city=world.city).count() == 2


def test_a_start_reminder_reached_after_partway_is_not_queued(world, convening):
    """A slow or redelivered sweep that reaches a mayor's start reminder only once the partway
    reminder is due queues nothing for the start step, then or later."""
    wed = convening.test_days[0]
    sweep_at = partway_at(wed) - datetime.timedelta(minutes=1)
    real = timezone.now()
    calls = []

    def slow_clock():
        calls.append(1)  # the sweep's first reading is its start; every later one is 2 minutes on
        return real if len(calls) == 1 else real + datetime.timedelta(minutes=2)

    mail.outbox.clear()
    with mock.patch("django.utils.timezone.now", side_effect=slow_clock):
        convening_enforce(now=sweep_at)
    assert not to(world.users["mayor"].email, "Please check in")
    assert not reminders_queued(world.users["mayor"], "start").exists()
    # The next sweep, at the partway step, sends the partway reminder only.
    convening_enforce(now=partway_at(wed) + datetime.timedelta(minutes=1))
    assert len(to(world.users["mayor"].email, "Please check in")) == 1
    assert not reminders_queued(world.users["mayor"], "start").exists()


def test_a_mark_made_while_the_sweep_runs_stands_and_the_outcome_counts_it(world, convening, monkeypatch):
    """The sweep derives outcomes from what it read; a segment marked by someone else between its
    read and its write is not overwritten, not audited as missed, and the outcome counts it."""
    wed, thu, fri = convening.test_days
    mayor = world.users["mayor"]
    with scopes_disabled():  # set-up at the desk: a staff request, scopes disabled
        attend(world, convening, mayor, [wed, thu])
        attend(world, convening, world.mayor_b)

    def mark_meanwhile(name):
        if name == "close":
            with scopes_disabled():  # another request's write, in the same database
                Attendance.objects.create(session=convening, day=fri, city=world.city, person=mayor,
                                          status=Attendance.Status.EXCUSED, marked_by=world.users["staff"])

    monkeypatch.setattr(enforcement, "_crash_point", mark_meanwhile)
    convening_enforce(now=after(convening))
    with scopes_disabled():  # reads both cities' rows
        assert Attendance.objects.get(session=convening, day=fri, person=mayor).status == Attendance.Status.EXCUSED
        assert not AuditEvent.objects.filter(action="convening.segment_missed").exists()
        outcome = Attendance.objects.get(session=convening, day=None, person=mayor)
        assert outcome.status == Attendance.Status.PRESENT
        # What the sweep wrote is what the ledger gives: deriving again changes nothing.
        assert convening_outcomes_sync(session=convening, now=after(convening)) == 0


@pytest.mark.parametrize("more_cities", [0, 3])
def test_the_sweep_after_the_convening_runs_the_same_queries_however_many_cities(world, convening, more_cities):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cohorts.tests.factories import CityFactory, MayorFactory, MembershipFactory

    with scopes_disabled():  # set-up spans several cities
        for n in range(more_cities):
            city = CityFactory(name=f"City {n}", slug=f"city-{n}", cohort=world.cohort)
            MayorFactory(city=city)
            MembershipFactory(city=city)
        attend(world, convening, world.mayor_b, convening.test_days[:1])
    with CaptureQueriesContext(connection) as first:
        summary = convening_enforce(now=after(convening))
    assert summary["reviews"] == 2 + more_cities
    with CaptureQueriesContext(connection) as again:
        convening_enforce(now=after(convening, hours=2))
    # Absences, reviews, outcomes, audit events and messages are each written in one statement (the
    # invitations the cities no longer eligible lose, and their sessions' stamp, in one each; the
    # cities still taking part are those the sweep locked, not read again);
    # a settled convening is not looked at again.
    assert (len(first.captured_queries), len(again.captured_queries)) == (23, 1)
