"""Who an audience reaches: the cohort's people by city and role, or a session's invitees by
their answer or attendance mark. Every test builds two cities."""

from django_scopes import scopes_disabled

from accelerator.tests.factories import CoachFactory, StaffFactory, UserFactory
from agenda.models import Response, Session, SessionInvitation
from agenda.tests.factories import create_session
from announcements.models import AudienceRole, SessionFilter
from announcements.selectors import audience_recipients, cohort_people
from cohorts.models import City
from cohorts.tests.factories import CityFactory, CoachAssignmentFactory, MayorFactory, MembershipFactory

from .factories import mark


def people(recipients):
    return {r.person for r in recipients}


def test_roles_pick_mayors_teams_coaches_and_staff(world):
    u = world.users
    assert people(cohort_people(world.cohort, roles=[AudienceRole.MAYOR])) == {u["mayor"], world.mayor_b}
    assert people(cohort_people(world.cohort, roles=[AudienceRole.TEAM])) == {u["member"], u["outsider"]}
    assert people(cohort_people(world.cohort, roles=[AudienceRole.COACH])) == {u["coach"], u["other_coach"]}
    assert people(cohort_people(world.cohort, roles=[AudienceRole.STAFF])) == {u["staff"]}


def test_cities_narrow_every_role_but_staff(world):
    u = world.users
    found = cohort_people(world.cohort, city_ids=[world.city.pk], roles=AudienceRole.values)
    assert people(found) == {u["mayor"], u["member"], u["coach"], u["staff"]}
    by_person = {r.person: r for r in found}
    assert by_person[u["mayor"]].city == world.city and by_person[u["mayor"]].role == AudienceRole.MAYOR
    assert by_person[u["staff"]].city is None


def test_another_cohorts_people_are_never_in_the_audience(world):
    other = CityFactory(name="Gamma City")
    MayorFactory(city=other)
    CoachAssignmentFactory(city=other)
    found = cohort_people(world.cohort, roles=[AudienceRole.MAYOR, AudienceRole.COACH])
    assert {r.city for r in found} == {world.city, world.other_city}


def test_a_withdrawn_city_is_left_out_unless_chosen(world):
    with scopes_disabled():
        City.objects.filter(pk=world.other_city.pk).update(status=City.Status.WITHDRAWN)
    assert people(cohort_people(world.cohort, roles=[AudienceRole.MAYOR])) == {world.users["mayor"]}
    chosen = cohort_people(world.cohort, city_ids=[world.other_city.pk], roles=[AudienceRole.MAYOR])
    assert people(chosen) == {world.mayor_b}


def test_a_coach_of_two_cities_and_inactive_people_are_counted_once_or_not_at_all(world):
    coach = CoachFactory(full_name="Coach Both")
    CoachAssignmentFactory(city=world.city, coach=coach)
    CoachAssignmentFactory(city=world.other_city, coach=coach)
    gone = MembershipFactory(city=world.city, user=UserFactory(is_active=False)).user
    StaffFactory(is_active=False)
    found = cohort_people(world.cohort, roles=AudienceRole.values)
    assert [r.person for r in found].count(coach) == 1
    assert gone not in people(found)
    assert len(found) == len(people(found))


def test_a_former_coach_is_no_longer_a_coach_of_the_cohort(world):
    coach = world.users["coach"]
    coach.is_coach = False
    coach.save(update_fields=["is_coach"])
    assert coach not in people(cohort_people(world.cohort, roles=[AudienceRole.COACH]))


def held_session(world):
    return create_session(world, days_ahead=-1, title="Data routines workshop",
                          audience=Session.Audience.MAYORS_AND_TEAMS)


def test_a_sessions_invitees_by_answer(world):
    session = held_session(world)
    u = world.users
    with scopes_disabled():
        SessionInvitation.objects.filter(session=session, person=u["member"]).update(response=Response.APOLOGY,
                                                                                    reason="Budget hearing")
        SessionInvitation.objects.filter(session=session, person=world.mayor_b).update(response=Response.YES)
    apologised = audience_recipients(world.cohort, session=session, session_filter=[SessionFilter.APOLOGY])
    assert people(apologised) == {u["member"]}
    pending = audience_recipients(world.cohort, session=session, session_filter=[SessionFilter.PENDING])
    assert people(pending) == {u["mayor"], u["outsider"]}
    everyone = audience_recipients(world.cohort, session=session)
    assert people(everyone) == {u["mayor"], u["member"], u["outsider"], world.mayor_b}


def test_a_sessions_invitees_by_attendance_narrowed_by_city_and_role(world):
    session = held_session(world)
    u = world.users
    mark(session, u["member"], world.city, "absent")
    mark(session, u["mayor"], world.city, "present")
    mark(session, world.mayor_b, world.other_city, "absent")
    absent = audience_recipients(world.cohort, session=session, session_filter=[SessionFilter.ABSENT])
    assert people(absent) == {u["member"], world.mayor_b}
    assert people(audience_recipients(world.cohort, city_ids=[world.city.pk], session=session,
                                      session_filter=[SessionFilter.ABSENT])) == {u["member"]}
    assert people(audience_recipients(world.cohort, roles=[AudienceRole.MAYOR], session=session,
                                      session_filter=[SessionFilter.ABSENT])) == {world.mayor_b}
    # Any of the chosen answers or marks: absent, or present.
    both = audience_recipients(world.cohort, session=session,
                               session_filter=[SessionFilter.ABSENT, SessionFilter.PRESENT])
    assert people(both) == {u["member"], u["mayor"], world.mayor_b}


def test_someone_who_left_the_team_is_not_written_to_about_an_old_session(world):
    from cohorts.services.teams import membership_remove

    session = held_session(world)
    member = world.users["member"]
    mark(session, member, world.city, "absent")
    with scopes_disabled():
        membership_remove(membership=world.city.memberships.get(user=member), actor=world.users["staff"])
    assert audience_recipients(world.cohort, session=session, session_filter=[SessionFilter.ABSENT]) == []


def test_no_role_and_no_session_is_nobody(world):
    assert audience_recipients(world.cohort) == []
