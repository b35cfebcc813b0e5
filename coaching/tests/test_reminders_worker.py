"""The overdue-decision reminder through a real Celery worker and Redis: exactly once per step,
even when the same task is delivered twice and the sweep runs again."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from coaching import tasks
from coaching.models import CoachingReminder

from .factories import DecisionFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_overdue_decision_reminded_once_through_a_real_worker(world, celery_worker, smtp_server):
    decision = DecisionFactory(
        city=world.city, raised_by=world.users["coach"], due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    celery_worker.start(EMAIL_URL=smtp_server.url)
    # The tasks run in the worker's process, outside any scope of this one.
    tasks.send_reminder.delay(CoachingReminder.Kind.DECISION_OVERDUE, decision.pk, 1)
    tasks.send_reminder.delay(CoachingReminder.Kind.DECISION_OVERDUE, decision.pk, 1)  # delivered twice
    tasks.sweep_reminders.delay()
    celery_worker.wait_idle()
    tasks.sweep_reminders.delay()
    celery_worker.wait_idle()
    with scopes_disabled():  # reads both cities' rows
        assert list(CoachingReminder.objects.values_list("target", "step")) == [(decision.code, 1)]
    assert smtp_server.recipients() == sorted([world.users["mayor"].email, world.users["coach"].email])


def test_a_flushed_broker_loses_no_reminder(world, celery_worker, smtp_server):
    decision = DecisionFactory(
        city=world.city, raised_by=world.users["coach"], due_on=timezone.localdate() - datetime.timedelta(days=4)
    )
    # The sweeps run in the worker's process, outside any scope of this one.
    tasks.sweep_reminders.delay()
    celery_worker.flush_broker()  # Redis restarted without persistence: the queued sweep is gone
    celery_worker.start(EMAIL_URL=smtp_server.url)
    tasks.sweep_reminders.delay()  # the next beat tick
    celery_worker.wait_idle()
    with scopes_disabled():  # reads both cities' rows
        assert list(CoachingReminder.objects.values_list("target", "step")) == [(decision.code, 2)]
    assert len(smtp_server.messages) == 2
