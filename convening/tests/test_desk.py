"""The no-surrogate rule at the desk, through the service directly. Two cities in every test."""

import datetime

import pytest
from django_scopes import scope, scopes_disabled

from accelerator.errors import RuleViolation
from accelerator.models import AuditEvent
from accelerator.tests.factories import CoachFactory, StaffFactory
from agenda.models import Attendance, SessionInvitation
from cohorts.models import Membership
from cohorts.tests.factories import CityFactory, MayorFactory, MembershipFactory
from convening.models import CheckInCode, SurrogateAttempt
from convening.services.codes import checkin_code_reissue, checkin_codes_issue
from convening.services.desk import DeskResult, convening_check_in, surrogate_record

from .factories import during, make_convening

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(world, convening):
    staff = world.users["staff"]
    wed = convening.test_days[0]

    def check_in(now=None, **kwargs):
        kwargs.setdefault("identity_confirmed", True)
        return convening_check_in(session=convening, actor=staff, desk="Desk A", now=now or during(wed), **kwargs)

    return check_in


def code_of(session, user):
    with scopes_disabled():  # codes of every city of the convening
        return CheckInCode.objects.get(session=session, person=user, revoked_at__isnull=True)


def test_mayor_checks_in_by_code_and_counts_for_the_city(world, convening, desk):
    mayor = world.users["mayor"]
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        checkin_codes_issue(session=convening, actor=world.users["staff"])
        result = desk(code=code_of(convening, mayor).code.lower().replace("-", " "))
    assert result.outcome == DeskResult.CHECKED_IN, result.message
    with scopes_disabled():  # reads both cities' rows: the mayor's one row
        row = Attendance.objects.get(session=convening, person=mayor)
        assert (row.day, row.city, row.status) == (convening.test_days[0], world.city, Attendance.Status.PRESENT)
    with scope(city=world.city):
        assert AuditEvent.objects.filter(city=world.city, action="convening.checked_in").count() == 1
    with scope(city=world.other_city):
        assert not Attendance.objects.filter(city=world.other_city).exists()


def test_late_after_half_an_hour(world, convening, desk):
    result = desk(person=world.users["mayor"], now=during(convening.test_days[1], minutes=45))
    assert result.attendance.status == Attendance.Status.LATE


def test_second_desk_is_told_it_is_already_done(world, convening, desk):
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        desk(person=world.users["mayor"])
        second = desk(person=world.users["mayor"], now=during(convening.test_days[0], 7))
    assert second.outcome == DeskResult.ALREADY
    assert "Already checked in" in second.message and "Program Staff" in second.message
    with scopes_disabled():  # reads both cities' rows
        assert Attendance.objects.filter(person=world.users["mayor"]).count() == 1


def test_identity_must_be_confirmed(world, convening, desk):
    with pytest.raises(RuleViolation) as error:
        desk(person=world.users["mayor"], identity_confirmed=False)
    assert error.value.field == "identity_confirmed"
    assert not Attendance.objects.exists()


def test_team_member_not_invited_is_refused_as_surrogate(world, convening, desk):
    member = world.users["member"]
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        result = desk(person=member)
    assert result.outcome == DeskResult.SURROGATE
    assert "surrogate" in result.message
    with scopes_disabled():  # reads both cities' rows
        attempt = SurrogateAttempt.objects.get()
        assert (attempt.city, attempt.presented_person, attempt.reason, attempt.desk) == (
            world.city, member, SurrogateAttempt.Reason.TEAM_MEMBER, "Desk A")
        # The refusal is on the mayor's row for the segment, and the convening's outcome follows it;
        # nothing is on the team member's, and nothing counts as attended.
        rows = {(a.person, a.day_id): a for a in Attendance.objects.all()}
        wed = convening.test_days[0]
        refused = rows[(world.users["mayor"], wed.pk)]
        assert (refused.status, refused.source, refused.marked_by) == (
            Attendance.Status.SURROGATE_REFUSED, Attendance.Source.DESK, world.users["staff"])
        assert member.full_name in refused.note and "Desk A" in refused.note
        assert rows[(world.users["mayor"], None)].status == Attendance.Status.SURROGATE_REFUSED
        assert set(rows) == {(world.users["mayor"], wed.pk), (world.users["mayor"], None)}
    with scope(city=world.city):
        assert AuditEvent.objects.filter(city=world.city, action="convening.surrogate_refused").exists()


def test_invited_team_member_counts_as_themselves(world, convening, desk):
    member = world.users["member"]
    SessionInvitation.objects.create(session=convening, person=member, city=world.city)
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        result = desk(person=member)
    assert result.outcome == DeskResult.CHECKED_IN and "as themselves" in result.message
    with scopes_disabled():  # reads both cities' rows
        assert Attendance.objects.get().person == member
        assert not SurrogateAttempt.objects.exists()


def test_deputy_by_name_is_refused_and_recorded(world, convening):
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        result = surrogate_record(session=convening, actor=world.users["staff"], city=world.city, desk="Desk B",
                                  reason=SurrogateAttempt.Reason.DEPUTY, presented_name="Deputy Mayor Dee",
                                  now=during(convening.test_days[2]))
    assert result.outcome == DeskResult.SURROGATE
    with scopes_disabled():  # reads both cities' rows
        attempt = SurrogateAttempt.objects.get()
        assert attempt.presented_name == "Deputy Mayor Dee" and attempt.day == convening.test_days[2]
        row = Attendance.objects.get(day=convening.test_days[2])
        assert (row.person, row.status, row.marked_by) == (
            world.users["mayor"], Attendance.Status.SURROGATE_REFUSED, world.users["staff"])
        assert "Deputy Mayor Dee" in row.note and not Attendance.objects.filter(status__in=Attendance.ATTENDED)
    with scope(city=world.other_city):  # the other city sees nothing of it
        assert not SurrogateAttempt.objects.exists()


def test_someone_elses_code_is_recorded_for_the_codes_city(world, convening):
    checkin_codes_issue(session=convening, actor=world.users["staff"])
    code = code_of(convening, world.users["mayor"]).code
    result = surrogate_record(session=convening, actor=world.users["staff"], reason=SurrogateAttempt.Reason.OTHER,
                              presented_name="A stranger", code=code, now=during(convening.test_days[0]))
    attempt = result.attempt
    assert (attempt.city, attempt.reason, attempt.code_used) == (world.city, SurrogateAttempt.Reason.OTHER_CODE, code)


def test_the_mayor_cannot_be_recorded_as_their_own_surrogate(world, convening):
    with pytest.raises(RuleViolation):
        surrogate_record(session=convening, actor=world.users["staff"], city=world.city,
                         reason=SurrogateAttempt.Reason.OTHER, presented_person=world.users["mayor"])


def test_surrogate_needs_a_city_and_a_name(world, convening):
    with pytest.raises(RuleViolation) as error:
        surrogate_record(session=convening, actor=world.users["staff"], reason="deputy", presented_name="X")
    assert error.value.field == "city"
    with pytest.raises(RuleViolation) as error:
        surrogate_record(session=convening, actor=world.users["staff"], city=world.city, reason="deputy")
    assert error.value.field == "presented_name"


def test_unknown_code_is_refused_and_audited(world, convening, desk):
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        result = desk(code="ZZZ-ZZZ")
    assert result.outcome == DeskResult.REFUSED and "no check-in code" in result.message.lower()
    with scopes_disabled():  # reads both cities' rows: a refused code names no city
        assert AuditEvent.objects.filter(action="convening.code_refused", cohort=world.cohort).exists()


def test_reissued_code_stops_working(world, convening, desk):
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        checkin_codes_issue(session=convening, actor=world.users["staff"])
    old = code_of(convening, world.users["mayor"]).code
    with scope(city=world.city):
        membership = Membership.objects.get(user=world.users["mayor"])
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        new = checkin_code_reissue(session=convening, membership=membership, actor=world.users["staff"])
        assert new.code != old
        result = desk(code=old)
        assert result.outcome == DeskResult.REFUSED and "replaced" in result.message
        assert desk(code=new.code).outcome == DeskResult.CHECKED_IN


def test_code_for_another_convening_is_refused(world, convening, desk):
    other = make_convening(world.cohort, title="Second convening",
                           start=convening.starts_at + datetime.timedelta(days=60))
    checkin_codes_issue(session=other, actor=world.users["staff"])
    result = desk(code=code_of(other, world.users["mayor"]).code)
    assert result.outcome == DeskResult.REFUSED and "Second convening" in result.message
    assert not Attendance.objects.exists()


def test_outside_every_segment_window(world, convening, desk):
    thursday = convening.test_days[1]
    result = desk(person=world.users["mayor"], now=thursday.starts_at - datetime.timedelta(hours=5))
    assert result.outcome == DeskResult.REFUSED and "opens at" in result.message
    result = desk(person=world.users["mayor"], now=convening.ends_at + datetime.timedelta(hours=1))
    assert result.outcome == DeskResult.REFUSED and "over" in result.message


def test_person_of_another_cohort_is_refused_and_audited(world, convening, desk):
    elsewhere = MayorFactory(city=CityFactory(name="Gamma City")).user
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        result = desk(person=elsewhere)
    assert result.outcome == DeskResult.REFUSED and "not to this convening's cohort" in result.message
    with scopes_disabled():  # reads both cities' rows
        assert AuditEvent.objects.filter(action="convening.checkin_refused").exists()
        assert not Attendance.objects.exists()


def test_staff_and_coaches_do_not_check_in(world, convening, desk):
    for person in (StaffFactory(), CoachFactory()):
        assert desk(person=person).outcome == DeskResult.REFUSED


def test_only_program_staff_run_the_desk(world, convening):
    for role in ("coach", "mayor", "member"):
        result = convening_check_in(session=convening, actor=world.users[role], person=world.users["mayor"],
                                    identity_confirmed=True, now=during(convening.test_days[0]))
        assert result.outcome == DeskResult.REFUSED and "program staff" in result.message
    assert not Attendance.objects.exists()


def test_a_city_no_longer_taking_part_is_refused(world, convening, desk):
    world.city.status = "withdrawn"
    world.city.save()
    assert desk(person=world.users["mayor"]).outcome == DeskResult.REFUSED


def test_team_member_of_other_city_presenting_is_filed_under_their_own_city(world, convening, desk):
    outsider = world.users["outsider"]  # a team member of city B
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        result = desk(person=outsider)
    assert result.outcome == DeskResult.SURROGATE
    with scopes_disabled():  # reads both cities' rows
        assert SurrogateAttempt.objects.get().city == world.other_city


def test_new_member_cannot_use_the_mayors_code(world, convening):
    """Codes belong to one person: a deputy holding the mayor's code is refused, and the mayor
    can still check in afterwards."""
    deputy = MembershipFactory(city=world.city, role="city_manager").user
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        checkin_codes_issue(session=convening, actor=world.users["staff"])
    code = code_of(convening, world.users["mayor"]).code
    with scopes_disabled():  # the desk: a staff request, run with scopes disabled
        surrogate_record(session=convening, actor=world.users["staff"], presented_person=deputy, code=code,
                         reason=SurrogateAttempt.Reason.OTHER_CODE, now=during(convening.test_days[0]))
        result = convening_check_in(session=convening, actor=world.users["staff"], code=code, identity_confirmed=True,
                                    now=during(convening.test_days[0], 10))
    assert result.outcome == DeskResult.CHECKED_IN
    with scopes_disabled():  # reads both cities' rows
        row = Attendance.objects.get()  # the refusal's row, now the mayor's own check-in
        assert (row.person, row.status, row.source) == (world.users["mayor"], Attendance.Status.PRESENT,
                                                        Attendance.Source.DESK)
        assert "refused" in row.note
