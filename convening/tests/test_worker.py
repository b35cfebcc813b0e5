"""The enforcement through a real Celery worker and the real Redis (skipped without REDIS_URL or
on in-memory SQLite): the task delivered twice, and the worker killed between a step's check and
its write, then the message redelivered to a new worker. Each ends in the same state."""

import os
import signal

import pytest
from django_scopes import scopes_disabled

from agenda.models import Attendance
from cohorts.models import City
from convening.models import EligibilityReview
from convening.services.desk import convening_check_in
from convening.tasks import enforce

from .factories import after, during, make_convening

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def setup_convening(world):
    session = make_convening(world.cohort)
    wed, thu, fri = session.test_days
    with scopes_disabled():  # set-up at the desk: a staff request, scopes disabled; both cities' mayors
        for person, days in ((world.users["mayor"], [wed, thu]), (world.mayor_b, [wed, thu, fri])):
            for day in days:
                convening_check_in(session=session, actor=world.users["staff"], person=person,
                                   identity_confirmed=True, now=during(day))
    return session


def assert_final_state(world, session, smtp_server):
    with scopes_disabled():  # reads both cities' rows
        _assert_final_state(world, session, smtp_server)


def _assert_final_state(world, session, smtp_server):
    absent = list(Attendance.objects.filter(session=session, status="absent", day__isnull=False)
                  .values_list("person_id", "day__label"))
    assert absent == [(world.users["mayor"].pk, "Friday")]
    outcomes = dict(Attendance.objects.filter(session=session, day__isnull=True).values_list("person_id", "status"))
    assert outcomes == {world.users["mayor"].pk: "absent", world.mayor_b.pk: "present"}
    review = EligibilityReview.objects.get()
    assert (review.city_id, review.state, review.missed) == (world.city.pk, "pending_review", ["Friday"])
    assert City.objects.get(pk=world.city.pk).status == City.Status.NOT_ELIGIBLE
    assert City.objects.get(pk=world.other_city.pk).status == City.Status.ACTIVE
    reviews_mail = [m for m in smtp_server.messages if "pending eligibility review" in m["subject"]]
    assert len(reviews_mail) == 1 and reviews_mail[0]["to"] == [world.users["staff"].email]


def test_enforcement_delivered_twice_gives_one_result(world, celery_worker, smtp_server):
    session = setup_convening(world)
    now = after(session).isoformat()
    celery_worker.start(EMAIL_URL=smtp_server.url)
    # The task runs in the worker's process, outside any scope of this one.
    enforce.delay(now)
    enforce.delay(now)  # a duplicate delivery, as an at-least-once broker may make
    with scopes_disabled():  # the wait reads both cities' rows
        celery_worker.wait_for(lambda: EligibilityReview.objects.exists(), message="the review")
    celery_worker.wait_idle()
    assert celery_worker.log().count("convening.enforce") >= 2
    assert_final_state(world, session, smtp_server)


@pytest.mark.parametrize("point", ["close", "settle"])
def test_worker_killed_between_check_and_write(world, celery_worker, smtp_server, tmp_path, point):
    session = setup_convening(world)
    marker = tmp_path / "paused"
    env = {
        "EMAIL_URL": smtp_server.url, "DJANGO_SETTINGS_MODULE": "convening.tests.worker_settings",
        "CONVENING_TEST_PAUSE": f"{point}:{marker}", "CONVENING_TEST_PAUSE_SECONDS": "120",
    }
    celery_worker.start(**env)
    enforce.delay(after(session).isoformat())  # runs in the worker's process, outside any scope of this one
    celery_worker.wait_for(marker.exists, message=f"the task to reach the {point} pause")
    assert int(marker.read_text()) == celery_worker.process.pid  # the solo worker runs the task itself
    os.killpg(celery_worker.process.pid, signal.SIGKILL)  # the worker dies mid-task: no ack
    celery_worker.process.wait(timeout=10)
    celery_worker.stop()
    with scopes_disabled():  # reads both cities' rows
        assert not EligibilityReview.objects.exists()
    assert celery_worker.in_flight() == 1  # the message is still unacknowledged in Redis
    celery_worker.start(**env)  # a new worker; the pause is one-shot, so this run goes through
    with scopes_disabled():  # the wait reads both cities' rows
        celery_worker.wait_for(lambda: EligibilityReview.objects.exists(), message="the redelivered task")
    celery_worker.wait_idle()
    assert_final_state(world, session, smtp_server)
