"""Reminders through a real Celery worker and the real Redis (skipped without REDIS_URL)."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from agenda.models import ReminderLog
from agenda.services.reminders import reminders_due
from agenda.tasks import reminders_queue_due, send_reminders, sweep_reminders
from agenda.tests.factories import create_session

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def soon_session(world):
    start = (timezone.now() + datetime.timedelta(minutes=30)).replace(microsecond=0)
    return create_session(world, starts_at=start, ends_at=start + datetime.timedelta(hours=1))


def test_the_same_task_delivered_twice_sends_one_email(world, celery_worker, smtp_server):
    session = soon_session(world)
    ((session_id, kind), invitation_ids), = reminders_due().items()  # outside any scope: it opens its own
    celery_worker.start(EMAIL_URL=smtp_server.url)
    # The sends run in the worker's process, outside any scope of this one.
    send_reminders.delay(session_id, kind, invitation_ids)
    send_reminders.delay(session_id, kind, invitation_ids)  # a duplicate delivery of the same work
    celery_worker.wait_for(lambda: len(smtp_server.messages) >= 2, message="the reminders")
    celery_worker.wait_idle()
    assert smtp_server.recipients() == sorted([world.users["member"].email, world.users["outsider"].email])
    assert all(m["subject"].startswith("[Accelerator] Reminder") for m in smtp_server.messages)
    with scopes_disabled():  # reads both cities' rows
        assert ReminderLog.objects.filter(session=session).count() == 2
    assert "agenda.send_reminders" in celery_worker.log()


def test_after_the_broker_loses_its_queue_the_next_sweep_still_sends(world, celery_worker, smtp_server):
    soon_session(world)
    assert reminders_queue_due() == 2  # queued in Redis; no worker is running yet
    assert celery_worker.in_flight() >= 1
    celery_worker.flush_broker()  # Redis restarts empty: the queued sends are gone
    assert celery_worker.in_flight() == 0
    celery_worker.start(EMAIL_URL=smtp_server.url)
    celery_worker.wait_idle()
    assert smtp_server.messages == [] and not ReminderLog.objects.exists()
    sweep_reminders.delay()  # the next beat tick, run by the worker
    celery_worker.wait_for(lambda: len(smtp_server.messages) >= 2, message="the reminders")
    celery_worker.wait_idle()
    sweep_reminders.delay()  # and a later sweep sends nothing twice
    celery_worker.wait_idle()
    assert smtp_server.recipients() == sorted([world.users["member"].email, world.users["outsider"].email])
