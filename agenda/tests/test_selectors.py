"""Reads that join attendance to a person's role follow the membership of the city the mark is
for: someone who was a mayor in an earlier cohort is a senior-team member where they are one now."""

import datetime

import pytest
from django_scopes import scopes_disabled

from agenda.models import Attendance
from agenda.selectors import senior_team_rates
from agenda.tests.factories import create_session
from cohorts.models import Role
from cohorts.tests.factories import CityFactory, CohortFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_senior_team_rates_count_a_two_cohort_person_by_their_role_in_this_city(world):
    member = world.users["member"]  # the chief data officer of city A
    with scopes_disabled():
        earlier = CityFactory(cohort=CohortFactory(start_date=datetime.date(2024, 6, 1),
                                                   end_date=datetime.date(2024, 12, 1)))
        MembershipFactory(city=earlier, user=member, role=Role.MAYOR)  # mayor of a city last time
        session = create_session(world, days_ahead=-3)
        Attendance.objects.create(session=session, city=world.city, person=member, status=Attendance.Status.PRESENT)
        Attendance.objects.create(session=session, city=world.city, person=world.users["mayor"],
                                  status=Attendance.Status.ABSENT)
        rates = senior_team_rates(world.cohort, [world.city.pk])
    assert rates[world.city.pk] == {"attended": 1, "marked": 1, "rate": 100}  # once, and the mayor left out


def _joined(session, user):
    """`my_invitation` as the session page reads it: joined to the session's own query."""
    from agenda.models import Session
    from agenda.selectors import my_invitation_of, with_my_invitation

    return my_invitation_of(with_my_invitation(Session.objects.filter(pk=session.pk), user).get())


@pytest.mark.parametrize("read", ["alone", "joined"])
def test_my_invitation_says_whether_the_viewer_attended_within_the_city_scope(world, read):
    from django_scopes import scope

    from agenda import selectors

    my_invitation = selectors.my_invitation if read == "alone" else _joined
    member = world.users["member"]  # invited to senior teams' sessions through city A
    with scopes_disabled():
        session = create_session(world, days_ahead=-3)
        assert my_invitation(session, member).attended is False
        mark = Attendance.objects.create(session=session, city=world.city, person=member,
                                         status=Attendance.Status.ABSENT)
        assert my_invitation(session, member).attended is False  # marked, but not as attending
        Attendance.objects.filter(pk=mark.pk).update(status=Attendance.Status.LATE)
        assert my_invitation(session, member).attended is True
        assert my_invitation(session, world.users["staff"]) is None  # not invited
    with scope(city=[world.city]):
        assert my_invitation(session, member).attended is True
    with scope(city=[world.other_city]):  # neither the invitation nor the mark is in this scope
        assert my_invitation(session, member) is None


@pytest.mark.parametrize("viewer", ["member", "staff"])
def test_a_session_at_its_code_reads_as_the_general_lookup_under_the_viewers_scope(world, viewer):
    """The session pages' prepared lookup gives what `visible_to` and `with_my_invitation` give
    under the viewer's scope: for a team's member the session, their invitation, whether they
    attended; nothing once their membership has ended, and nothing of another city's; for staff
    the session, uninvited."""
    from django_scopes import scope

    from agenda.models import Session
    from agenda.selectors import my_invitation_of, session_at, with_my_invitation
    from cohorts.models import Membership
    from cohorts.tenancy import visible_city_ids

    member, outsider = world.users["member"], world.mayor_b  # the mayor of city B
    with scopes_disabled():
        session = create_session(world, days_ahead=-3)
        Attendance.objects.create(session=session, city=world.city, person=member, status=Attendance.Status.PRESENT)

    def viewers_scope(user):  # as the request's middleware opens it outside a city's pages
        return scopes_disabled() if user.is_staff else scope(city=visible_city_ids(user))

    def general(user):
        with viewers_scope(user):
            found = with_my_invitation(Session.objects.visible_to(user), user).filter(code=session.code).first()
            return found, my_invitation_of(found) if found is not None else None

    def prepared(user):
        with viewers_scope(user):
            found = session_at(user, session.code, general=None)  # the prepared statement answers
            return found, my_invitation_of(found) if found is not None else None

    if viewer == "staff":
        assert prepared(world.users["staff"]) == general(world.users["staff"]) == (session, None)
        return
    (mine, invitation), (expected, expected_invitation) = prepared(member), general(member)
    assert mine == expected == session and mine.city_id == session.city_id and mine.cohort == session.cohort
    assert invitation.pk == expected_invitation.pk and invitation.attended is expected_invitation.attended is True
    assert prepared(outsider) == general(outsider) == (None, None)
    with scopes_disabled():
        Membership.objects.filter(user=member).update(ended_at=session.starts_at)
    assert prepared(member) == general(member) == (None, None)


@pytest.mark.parametrize("viewer", ["member", "staff", "coach", "other_coach"])
def test_the_feeds_prepared_version_is_the_version_of_the_sessions_it_shows(world, viewer):
    """A calendar feed's key, read by a statement prepared once, is `sessions_version` of what the
    feed shows, for each kind of person; and it moves when one of their sessions changes."""
    from agenda.models import Session
    from agenda.selectors import feed_sessions, feed_version, sessions_version

    user = world.users[viewer]
    with scopes_disabled():
        session = create_session(world, days_ahead=3)
        create_session(world, days_ahead=-3)
        before = feed_version(user)
        assert before == sessions_version(feed_sessions(user))
        Session.objects.filter(pk=session.pk).update(updated_at=session.updated_at + datetime.timedelta(seconds=1))
        after = feed_version(user)
        assert after == sessions_version(feed_sessions(user))
        assert (after != before) == feed_sessions(user).filter(pk=session.pk).exists()


def test_the_city_sessions_state_reads_as_its_three_parts_read_alone(world):
    """The city sessions page's one statement gives the version of the city's sessions, the
    version of its marks, and its team now, as each read alone gives them."""
    from agenda.selectors import _marks_version_query, city_sessions_state, of_city, sessions_version
    from cohorts.models import Membership
    from cohorts.selectors import city_team

    member, mayor = world.users["member"], world.users["mayor"]
    with scopes_disabled():
        past, other = create_session(world, days_ahead=-3), create_session(world, days_ahead=-2)
        create_session(world, days_ahead=4)
        for session, person, status in ((past, member, "present"), (past, mayor, "absent"), (other, member, "late")):
            Attendance.objects.create(session=session, city=world.city, person=person, status=status)
        Attendance.objects.create(session=past, city=world.other_city, person=world.mayor_b, status="present")
        state = city_sessions_state(world.city)
        assert state.version == sessions_version(of_city(world.city))
        city_marks = Attendance.objects.filter(city=world.city, day__isnull=True)
        assert state.marks == tuple(_marks_version_query(city_marks))
        assert [(status, n) for status, n, _ids, _latest in state.marks] == [("absent", 1), ("late", 1), ("present", 1)]
        Attendance.objects.filter(session=other, person=member).update(status="present")
        assert city_sessions_state(world.city).marks != state.marks
        team = [(m.user_id, m.user.full_name, m.role, m.title)
                for m in city_team(world.city).filter(ended_at__isnull=True)]
        assert list(state.team) == team and len(team) == Membership.objects.filter(city=world.city).count()
