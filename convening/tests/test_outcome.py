"""The convening's outcome per person is derived from its segments and the staff's decisions, and the
ledger never contradicts itself. Two cities in every test that touches the database."""

import csv
import io
import itertools

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accelerator.errors import RuleViolation
from agenda.models import Attendance, Response, SessionInvitation
from agenda.services.attendance import attendance_mark
from convening.models import EligibilityReview, SurrogateAttempt
from convening.selectors import ledger_contradictions
from convening.services.desk import convening_check_in, surrogate_record
from convening.services.eligibility import eligibility_decide
from convening.services.enforcement import convening_enforce
from convening.services.outcome import MISSING, NOT_YET, convening_outcome, convening_outcomes_sync

from .factories import after, during

S = Attendance.Status
SEGMENT_STATES = [*S.values, MISSING, NOT_YET]
MISSED = (S.ABSENT, S.SURROGATE_REFUSED, MISSING)


@pytest.mark.parametrize("restored", [False, True], ids=["no decision", "restored by staff"])
def test_every_combination_of_segments_and_decisions_gives_one_consistent_outcome(restored):
    """All 8³ combinations of three segments, with and without a restoring decision: the outcome
    never says more or less than the segments do."""
    for statuses in itertools.product(SEGMENT_STATES, repeat=3):
        outcome = convening_outcome(list(statuses), restored=restored)
        missed = [s for s in statuses if s in MISSED]
        attended = [s for s in statuses if s in Attendance.ATTENDED]
        label = f"{statuses} restored={restored} → {outcome}"
        if outcome is None:
            assert NOT_YET in statuses and not missed, label
        elif outcome in Attendance.ATTENDED:
            assert attended and not missed and NOT_YET not in statuses, label
            assert outcome == S.PRESENT or outcome in statuses, label
            assert outcome != S.PRESENT or not {S.LATE, S.LEFT_EARLY} & set(statuses), label
            assert outcome != S.LEFT_EARLY or S.LATE not in statuses, label
        elif outcome == S.EXCUSED:
            assert (missed and restored) or (not attended and not missed and NOT_YET not in statuses), label
        elif outcome == S.SURROGATE_REFUSED:
            assert S.SURROGATE_REFUSED in statuses and not restored, label
        else:
            assert outcome == S.ABSENT and missed and not restored and S.SURROGATE_REFUSED not in statuses, label


def outcomes(session):
    with scopes_disabled():  # the convening spans both cities
        return {a.person_id: (a.status, a.source, a.marked_by_id)
                for a in Attendance.objects.filter(session=session, day__isnull=True)}


def consistent(session, now):
    with scopes_disabled():  # the convening spans both cities
        assert ledger_contradictions(session, now=now) == []


def test_the_ledger_stays_consistent_through_the_desk_the_sweep_and_the_decisions(world, convening):
    staff, mayor_a, mayor_b = world.users["staff"], world.users["mayor"], world.mayor_b
    wed, thu, fri = convening.test_days
    deputy = world.users["member"]

    def check_in(person, day, minutes=5):
        result = convening_check_in(session=convening, actor=staff, person=person, identity_confirmed=True,
                                    now=during(day, minutes), desk="Desk A")
        assert result.ok, result.message
        consistent(convening, during(day, minutes))

    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        check_in(mayor_a, wed)
        check_in(mayor_b, wed)
        # Thursday: A's deputy presents for her and is refused; she never comes.
        surrogate_record(session=convening, actor=staff, city=world.city, presented_person=deputy, desk="Desk B",
                         reason=SurrogateAttempt.Reason.DEPUTY, now=during(thu))
        consistent(convening, during(thu))
        assert outcomes(convening)[mayor_a.pk] == (S.SURROGATE_REFUSED, Attendance.Source.DERIVED, None)
        check_in(mayor_b, thu, minutes=50)  # late
        check_in(mayor_a, fri)
        # B never comes on Friday.
        convening_enforce(now=after(convening))
    consistent(convening, after(convening))
    assert outcomes(convening) == {mayor_a.pk: (S.SURROGATE_REFUSED, Attendance.Source.DERIVED, None),
                                   mayor_b.pk: (S.ABSENT, Attendance.Source.DERIVED, None)}

    # Staff decide: A excused (a written reason), B confirmed out. The outcome follows each decision.
    with scopes_disabled():  # reads both cities' reviews
        reviews = {r.city_id: r for r in EligibilityReview.objects.all()}
    eligibility_decide(review=reviews[world.city.pk], actor=staff, state=EligibilityReview.State.EXCUSED,
                       reason="The mayor was called to an emergency council session.", now=after(convening, 30))
    eligibility_decide(review=reviews[world.other_city.pk], actor=staff, reason="Missed Friday without a word.",
                       state=EligibilityReview.State.CONFIRMED, now=after(convening, 31))
    consistent(convening, after(convening, 32))
    assert outcomes(convening) == {mayor_a.pk: (S.EXCUSED, Attendance.Source.STAFF_DECISION, staff.pk),
                                   mayor_b.pk: (S.ABSENT, Attendance.Source.STAFF_DECISION, staff.pk)}


def test_a_whole_convening_mark_set_apart_is_a_contradiction_and_the_sync_replaces_it(world, convening):
    mayor = world.users["mayor"]
    with scopes_disabled():  # the desk and the convening span both cities
        for day in convening.test_days:
            convening_check_in(session=convening, actor=world.users["staff"], person=mayor, identity_confirmed=True,
                               now=during(day))
        Attendance.objects.filter(session=convening, person=mayor, day__isnull=True).update(status=S.EXCUSED)
        problems = ledger_contradictions(convening, now=after(convening))
        assert len(problems) == 1 and "excused" in problems[0]
        assert convening_outcomes_sync(session=convening, now=after(convening)) == 1
    assert outcomes(convening)[mayor.pk][0] == S.PRESENT
    consistent(convening, after(convening))


def test_the_convening_cannot_be_marked_as_a_whole(world, convening):
    with scopes_disabled():  # the convening's invitations span both cities
        invitations = list(SessionInvitation.objects.filter(session=convening))
    with pytest.raises(RuleViolation, match="per segment"):
        attendance_mark(session=convening, actor=world.users["staff"], marks=dict.fromkeys(invitations, S.EXCUSED))
    with scopes_disabled():  # both cities
        assert not Attendance.objects.filter(session=convening).exists()


def test_attendance_csv_shows_every_state_with_segment_source_and_operator(client, world, convening):
    staff = world.users["staff"]
    wed, thu, _fri = convening.test_days
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        convening_check_in(session=convening, actor=staff, person=world.users["mayor"], identity_confirmed=True,
                           now=during(wed), desk="Desk A")
        surrogate_record(session=convening, actor=staff, city=world.city, presented_name="Deputy Dee",
                         reason=SurrogateAttempt.Reason.DEPUTY, desk="Desk B", now=during(thu))
        SessionInvitation.objects.filter(person=world.mayor_b).update(response=Response.APOLOGY,
                                                                      reason="Budget vote that week")
    client.force_login(staff)
    response = client.get(reverse("agenda:export_attendance", kwargs={"cohort_slug": world.cohort.slug}))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    rows = [dict(zip(header, row, strict=True)) for row in rows]
    by_key = {(r["Email"], r["Segment"]): r for r in rows}
    mayor = world.users["mayor"].email
    refused = by_key[(mayor, "Thursday")]
    assert (refused["Attendance"], refused["Source"], refused["Operator"]) == (
        "Surrogate refused", "Check-in desk", staff.full_name)
    assert "Deputy Dee" in refused["Note"] and "Desk B" in refused["Note"]
    present = by_key[(mayor, "Wednesday evening")]
    assert (present["Attendance"], present["Source"], present["Answer"]) == ("Present", "Check-in desk",
                                                                              "Not answered")
    outcome = by_key[(mayor, "")]
    assert (outcome["Attendance"], outcome["Source"]) == ("Surrogate refused", "Derived from the segments")
    # An invitee nobody has marked yet is in the ledger too, with her answer.
    apology = by_key[(world.mayor_b.email, "")]
    assert (apology["Attendance"], apology["Answer"], apology["Reason given"]) == (
        "", "Apology (with a reason)", "Budget vote that week")
