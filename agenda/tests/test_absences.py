import pytest
from django_scopes import scope, scopes_disabled

from accelerator.models import AuditEvent
from agenda.models import AbsenceWarning, Attendance, Session
from agenda.services.absences import absences_sweep, current_streaks
from agenda.tests.factories import SessionFactory, in_days

pytestmark = pytest.mark.django_db

ABSENT, PRESENT, EXCUSED = Attendance.Status.ABSENT, Attendance.Status.PRESENT, Attendance.Status.EXCUSED


def sessions(world, count, start=-40):
    return [SessionFactory(cohort=world.cohort, starts_at=in_days(start + 3 * i)) for i in range(count)]


def mark(session, person, city, status):
    return Attendance.objects.create(session=session, person=person, city=city, status=status)


def address(message):
    return message.to[0].rpartition("<")[2].rstrip(">")


def test_two_missed_sessions_warn_the_coach_and_staff_once(world, outbox):
    member = world.users["member"]
    coach = world.users["coach"]
    coach.language, coach.time_zone = "pt-br", "America/Sao_Paulo"
    coach.save()
    first, second, third = sessions(world, 3)
    mark(first, member, world.city, PRESENT)
    mark(second, member, world.city, ABSENT)
    mark(third, member, world.city, ABSENT)
    assert absences_sweep() == 1  # outside any scope: the sweep opens its own
    with scopes_disabled():  # reads both cities' rows: one warning in the whole cohort
        warning = AbsenceWarning.objects.get()
        assert (warning.person, warning.streak, warning.first_missed) == (member, 2, second)
    sent = {address(m): m for m in outbox.deliver()}
    assert set(sent) == {coach.email, world.users["staff"].email}
    assert all(member.full_name in m.subject for m in sent.values())
    # Each reads it in their own language, with the sessions' times in their own zone.
    assert "faltou a 2 sessões seguidas" in sent[coach.email].subject
    assert "missed 2 sessions in a row" in sent[world.users["staff"].email].subject
    assert "10 a.m. CDT" in sent[world.users["staff"].email].body  # staff in Chicago
    assert "12:00" in sent[coach.email].body and "a.m." not in sent[coach.email].body  # 15:00 UTC in São Paulo
    with scope(city=world.city):
        assert AuditEvent.objects.filter(city=world.city, action="attendance.absence_warning").count() == 1
    # The sweep runs again (twice, as overlapping beats would): nothing new is sent.
    assert absences_sweep() == 0 and absences_sweep() == 0
    assert outbox.deliver() == []


def test_a_longer_streak_updates_the_warning_and_a_new_streak_warns_again(world, outbox):
    member = world.users["member"]
    s = sessions(world, 6)
    for session in s[:3]:
        mark(session, member, world.city, ABSENT)
    absences_sweep()  # outside any scope: the sweep opens its own
    with scopes_disabled():  # reads both cities' rows
        assert AbsenceWarning.objects.get().streak == 3
    mark(s[3], member, world.city, PRESENT)
    mark(s[4], member, world.city, ABSENT)
    mark(s[5], member, world.city, ABSENT)
    assert absences_sweep() == 1
    with scopes_disabled():  # reads both cities' rows
        assert AbsenceWarning.objects.count() == 2
    assert len(outbox.deliver()) == 4  # two warnings, each to the coach and staff


def test_excused_and_cancelled_sessions_are_not_missed(world):
    member = world.users["member"]
    s = sessions(world, 4)
    mark(s[0], member, world.city, ABSENT)
    mark(s[1], member, world.city, EXCUSED)
    s[2].status = Session.Status.CANCELLED
    s[2].save()
    mark(s[2], member, world.city, ABSENT)
    assert absences_sweep() == 0  # outside any scope: the sweep opens its own
    mark(s[3], member, world.city, ABSENT)
    assert absences_sweep() == 1
    with scopes_disabled():  # reads both cities' rows
        assert AbsenceWarning.objects.get().streak == 2  # s[0] and s[3]; excused skipped, cancelled ignored


def test_missing_several_days_of_one_session_counts_once(world):
    from agenda.models import ConveningDay

    mayor = world.users["mayor"]
    convening = SessionFactory(cohort=world.cohort, kind=Session.Kind.CONVENING, starts_at=in_days(-30))
    days = [ConveningDay.objects.create(session=convening, label=f"Day {i}", starts_at=in_days(-30 + i, hour=9),
                                        ends_at=in_days(-30 + i, hour=17)) for i in range(2)]
    for day in days:
        Attendance.objects.create(session=convening, day=day, person=mayor, city=world.city, status=ABSENT)
    # current_streaks is the sweep's helper and runs inside the sweep's scopes_disabled (it reads every
    # city's attendance); called on its own it needs the same.
    with scopes_disabled():
        assert current_streaks()[mayor.pk] == (world.city.pk, [convening.pk])
    assert absences_sweep() == 0  # outside any scope: the sweep opens its own


def test_threshold_is_a_setting(world, settings):
    settings.ABSENCE_WARNING_STREAK = 3
    member = world.users["member"]
    for session in sessions(world, 2):
        mark(session, member, world.city, ABSENT)
    assert absences_sweep() == 0


def test_sweep_queries_do_not_grow_with_people(world, django_assert_max_num_queries):
    from cohorts.tests.factories import MembershipFactory

    people = [MembershipFactory(city=world.city).user for _ in range(10)]
    for session in sessions(world, 3):
        for person in people:
            mark(session, person, world.city, ABSENT)
    # Reads are batched; each new warning is its own savepoint, one insert, one audit row and its
    # messages queued in one more insert.
    with django_assert_max_num_queries(8 + 5 * len(people)):
        assert absences_sweep() == len(people)
