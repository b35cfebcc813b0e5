import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accelerator.errors import RuleViolation
from agenda.models import Attendance, Response, Session, SessionInvitation
from agenda.services.attendance import attendance_mark
from agenda.services.session_invitations import invitation_respond, invitations_sync
from agenda.services.sessions import session_cancel, session_create, session_update
from agenda.tests.factories import coaching_session, create_session, in_days
from cohorts.models import Role
from cohorts.services.cities import city_set_status
from cohorts.services.teams import membership_add, membership_remove
from cohorts.tests.factories import CityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def invited(session):
    with scopes_disabled():  # a cohort session's invitations span every city of the cohort
        return set(session.invitations.values_list("person__email", flat=True))


def test_workshop_for_senior_teams_invites_every_team_member_of_every_active_city(world):
    withdrawn = CityFactory(cohort=world.cohort, status="withdrawn")
    MembershipFactory(city=withdrawn)
    session = create_session(world)
    assert invited(session) == {world.users["member"].email, world.users["outsider"].email}
    with scopes_disabled():  # the audience spans both cities
        assert set(session.invitations.values_list("city__slug", flat=True)) == {"alpha", "beta"}


@pytest.mark.parametrize("audience,expected", [
    (Session.Audience.MAYORS, {"mayor", "mayor_b"}),
    (Session.Audience.MAYORS_AND_TEAMS, {"mayor", "mayor_b", "member", "outsider"}),
    (Session.Audience.COACHES, {"coach", "other_coach"}),
])
def test_audiences(world, audience, expected):
    people = {**world.users, "mayor_b": world.mayor_b}
    session = create_session(world, audience=audience)
    assert invited(session) == {people[name].email for name in expected}


def test_coaching_session_invites_its_city_and_coach_only(world):
    session = coaching_session(world)
    assert invited(session) == {world.users[r].email for r in ("member", "mayor", "coach")}
    assert session.audience == Session.Audience.CITY


def test_invitations_follow_team_changes(world):
    session = create_session(world)
    past = create_session(world, days_ahead=-5)
    newcomer = MembershipFactory.build().user
    newcomer.save()
    membership = membership_add(city=world.city, user=newcomer, role=Role.POLICY, actor=world.users["staff"])
    assert newcomer.email in invited(session)
    assert newcomer.email not in invited(past)  # history is not rewritten
    membership_remove(membership=membership, actor=world.users["staff"])
    assert newcomer.email not in invited(session)
    # A city that stops taking part loses its invitations to upcoming sessions.
    city_set_status(city=world.other_city, status="withdrawn", actor=world.users["staff"])
    assert world.users["outsider"].email not in invited(session)


def test_sync_is_idempotent(world):
    session = create_session(world)
    assert invitations_sync(cohort_id=world.cohort.pk) == (0, 0)
    with scopes_disabled():  # one invitation in each city
        assert session.invitations.count() == 2


def test_sync_given_the_participating_cities_does_what_it_does_reading_them(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = create_session(world, audience=Session.Audience.MAYORS_AND_TEAMS)
    with scopes_disabled():  # the caller of the sync holds the cohort's cities
        world.other_city.status = "withdrawn"
        world.other_city.save(update_fields=["status"])
    with CaptureQueriesContext(connection) as read:
        invitations_sync(cohort_id=world.cohort.pk)
    read_them = invited(session)
    assert world.users["outsider"].email not in read_them
    with scopes_disabled():  # the caller of the sync holds the cohort's cities
        world.other_city.status = "active"
        world.other_city.save(update_fields=["status"])
    invitations_sync(cohort_id=world.cohort.pk)
    assert world.users["outsider"].email in invited(session)
    with CaptureQueriesContext(connection) as given:
        invitations_sync(cohort_id=world.cohort.pk, participating=[world.city.pk])
    assert invited(session) == read_them
    assert len(given.captured_queries) == len(read.captured_queries) - 1
    with pytest.raises(ValueError):
        invitations_sync(city_id=world.city.pk, participating=[world.city.pk])


@pytest.mark.parametrize("fields,field,message", [
    ({"ends_at": in_days(9)}, "ends_at", "end after it starts"),
    ({"time_zone": "Mars/Olympus"}, "time_zone", "not a time zone we know"),
    ({"kind": Session.Kind.COACHING}, "city", "choose it"),
    ({"kind": Session.Kind.CONVENING, "venue": ""}, "venue", "venue"),
])
def test_bad_sessions_are_refused_with_a_field(world, fields, field, message):
    with pytest.raises(RuleViolation) as error:
        create_session(world, **fields)
    assert error.value.field == field
    assert message in error.value.messages[0]


def test_segment_outside_the_session_is_refused(world):
    start = in_days(10, hour=12)
    with pytest.raises(RuleViolation) as error:
        create_session(world, kind=Session.Kind.CONVENING, venue="Hall", audience=Session.Audience.MAYORS,
                       starts_at=start, ends_at=start + datetime.timedelta(days=2),
                       days=[{"label": "Day 3", "starts_at": start + datetime.timedelta(days=2),
                              "ends_at": start + datetime.timedelta(days=2, hours=3)}])
    assert error.value.field == "days"
    assert "outside the session" in error.value.messages[0]


def test_only_staff_manage_sessions_and_cities_stay_in_their_cohort(world):
    with pytest.raises(RuleViolation, match="cannot manage"):
        session_create(cohort=world.cohort, actor=world.users["coach"], kind="workshop", title="x",
                       audience="senior_teams", starts_at=in_days(3), ends_at=in_days(3, 17), time_zone="UTC")
    foreign = CityFactory()
    with pytest.raises(RuleViolation) as error:
        create_session(world, kind=Session.Kind.COACHING, city=foreign)
    assert error.value.field == "city"


def test_reschedule_bumps_sequence_and_cancel_marks_status(world):
    session = create_session(world)
    assert session.sequence == 0
    session_update(session=session, actor=world.users["staff"], title="Renamed")
    assert (session.sequence, session.status) == (1, Session.Status.SCHEDULED)
    session_update(session=session, actor=world.users["staff"],
                   starts_at=session.starts_at + datetime.timedelta(days=1),
                   ends_at=session.ends_at + datetime.timedelta(days=1))
    assert (session.sequence, session.status) == (2, Session.Status.RESCHEDULED)
    session_cancel(session=session, actor=world.users["staff"], reason="Speaker ill")
    session.refresh_from_db()
    assert (session.sequence, session.status) == (3, Session.Status.CANCELLED)


def test_rsvp_rules(world):
    with scope(city=world.city):
        session = create_session(world)
        invitation = session.invitations.get(person=world.users["member"])
        with pytest.raises(RuleViolation) as error:
            invitation_respond(invitation=invitation, actor=world.users["member"], response=Response.APOLOGY,
                               reason=" ")
        assert error.value.field == "reason"
        with pytest.raises(RuleViolation):
            invitation_respond(invitation=invitation, actor=world.users["outsider"], response=Response.YES)
        invitation_respond(invitation=invitation, actor=world.users["member"], response=Response.APOLOGY,
                           reason="Budget hearing")
        invitation.refresh_from_db()
        assert invitation.response == Response.APOLOGY and invitation.responded_at


def test_attendance_marked_in_bulk_and_rolled_up(world):
    session = create_session(world, days_ahead=-2)
    # A past session keeps the invitations it had.
    with scopes_disabled():  # reads both cities' rows
        invitations = {i.person_id: i for i in SessionInvitation.objects.filter(session=session)}
    assert len(invitations) == 2
    marks = {i: ("present" if i.person_id == world.users["member"].pk else "absent") for i in invitations.values()}
    with scopes_disabled():  # the attendance page: a staff request, run with scopes disabled
        assert attendance_mark(session=session, actor=world.users["staff"], marks=marks) == 2
        assert attendance_mark(session=session, actor=world.users["staff"], marks=marks) == 0
    with scopes_disabled():  # reads both cities' rows
        assert dict(Attendance.objects.values_list("person_id", "status")) == {
            world.users["member"].pk: "present", world.users["outsider"].pk: "absent"}
    # The coach's request is scoped to the city they coach.
    with scope(city=world.city), pytest.raises(RuleViolation):
        attendance_mark(session=session, actor=world.users["coach"], marks=marks)  # a workshop is staff's


def test_marks_saved_by_someone_else_meanwhile_are_a_rule_violation_not_a_crash(world, monkeypatch):
    session = create_session(world, days_ahead=-2)
    with scopes_disabled():  # reads both cities' rows
        invitations = list(SessionInvitation.objects.filter(session=session))
    original = Attendance.objects.bulk_create

    def someone_else_first(rows, *args, **kwargs):
        # The other person's save lands between this one's read and its insert.
        first = invitations[0]
        Attendance.objects.create(session=session, city_id=first.city_id, person_id=first.person_id,
                                  status="present",
                                  marked_by=world.users["staff"])
        return original(rows, *args, **kwargs)

    monkeypatch.setattr(Attendance.objects, "bulk_create", someone_else_first)
    # The attendance page is a staff request, run with scopes disabled.
    with scopes_disabled(), pytest.raises(RuleViolation):
        attendance_mark(session=session, actor=world.users["staff"], marks=dict.fromkeys(invitations, "absent"))


def test_coach_marks_attendance_of_their_coaching_session(world):
    with scope(city=world.city):
        session = coaching_session(world, days_ahead=-1)
        marks = dict.fromkeys(session.invitations.all(), "late")
        assert attendance_mark(session=session, actor=world.users["coach"], marks=marks) == 3


def test_future_session_cannot_be_marked(world):
    session = create_session(world)
    with pytest.raises(RuleViolation, match="once the session has started"):
        attendance_mark(session=session, actor=world.users["staff"], marks={})


def test_visibility(world):
    workshop = create_session(world)
    coaching = coaching_session(world)

    def visible(role):
        return set(Session.objects.visible_to(world.users[role]))

    assert visible("staff") == {workshop, coaching}
    assert visible("member") == {workshop, coaching}
    assert visible("outsider") == {workshop}
    assert visible("coach") == {workshop, coaching}
    assert visible("other_coach") == {workshop}
    assert timezone.now() < workshop.starts_at


def test_a_coach_of_two_cities_keeps_one_invitation_and_its_answer(world):
    from cohorts.services.teams import city_set_coaches

    coach = world.users["coach"]
    with scope(city=world.other_city):  # staff set the coaches on city B's edit page
        city_set_coaches(city=world.other_city, coaches=[coach, world.users["other_coach"]], actor=world.users["staff"])
    session = create_session(world, audience=Session.Audience.COACHES)
    with scope(city=[world.city.pk, world.other_city.pk]):  # the coach's request: scoped to the cities they coach
        invitation = session.invitations.get(person=coach)
        invitation_respond(invitation=invitation, actor=coach, response=Response.YES)
    # Team changes in either city leave the coach's invitation and answer alone.
    MembershipFactory(city=world.other_city)
    MembershipFactory(city=world.city)
    with scopes_disabled():  # reads both cities' rows
        assert session.invitations.get(person=coach).response == Response.YES
        assert session.invitations.filter(person=coach).count() == 1
    # Unassigning the other coach from their only city withdraws their invitation.
    with scope(city=world.other_city):  # city B's edit page
        city_set_coaches(city=world.other_city, coaches=[coach], actor=world.users["staff"])
    assert world.users["other_coach"].email not in invited(session)
