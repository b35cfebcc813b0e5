import pytest
from django_scopes import scopes_disabled

from agenda.models import AbsenceWarning, Attendance
from agenda.tasks import sweep_absences
from agenda.tests.factories import SessionFactory, in_days

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_sweep_delivered_twice_warns_once(world, celery_worker, smtp_server):
    member = world.users["member"]
    for i in range(2):
        session = SessionFactory(cohort=world.cohort, starts_at=in_days(-20 + i))
        Attendance.objects.create(session=session, person=member, city=world.city, status=Attendance.Status.ABSENT)
    # Two copies of the same message, as a redelivery or two overlapping beats would produce; the task
    # runs in the worker's process, outside any scope of this one.
    sweep_absences.delay()
    sweep_absences.delay()
    celery_worker.start(EMAIL_URL=smtp_server.url)
    with scopes_disabled():  # the wait reads both cities' rows
        celery_worker.wait_for(lambda: AbsenceWarning.objects.exists(), message="the warning")
    celery_worker.wait_idle()
    with scopes_disabled():  # reads both cities' rows
        assert AbsenceWarning.objects.count() == 1
    # One message to each person it concerns (each in their own language), once.
    assert sorted(smtp_server.recipients()) == sorted([world.users["coach"].email, world.users["staff"].email])
