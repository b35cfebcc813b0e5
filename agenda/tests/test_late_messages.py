"""No message after its moment: a reminder claimed in time but sent late is dropped and recorded."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django_scopes import scopes_disabled

from agenda.models import ReminderLog
from agenda.services.reminders import reminders_due, reminders_send
from agenda.tests.factories import create_session

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_a_one_hour_reminder_sent_after_the_start_sends_nothing_and_records_the_skip(world):
    session = create_session(world, days_ahead=1)
    # The sweep claims the 1-hour reminder half an hour before the start...
    due = reminders_due(now=session.starts_at - HOUR / 2)
    (key, invitation_ids), = due.items()
    session_id, kind = key
    assert kind == f"before-3600-v{session.sequence}"
    # ...and the send task only runs (a redelivery, a slow queue) five minutes after it.
    late = session.starts_at + datetime.timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=late):
        assert reminders_send(session_id=session_id, kind=kind, invitation_ids=invitation_ids) == 0
        assert mail.outbox == []
        with scopes_disabled():  # reads both cities' rows
            logs = list(ReminderLog.objects.filter(session=session, kind=kind))
        assert len(logs) == len(invitation_ids) and all(log.skipped for log in logs)
        # A second delivery of the same task finds the rows and neither sends nor retries.
        assert reminders_send(session_id=session_id, kind=kind, invitation_ids=invitation_ids) == 0
    assert mail.outbox == []
    assert reminders_due(now=session.starts_at - HOUR / 2) == {}


def test_a_reminder_sent_in_time_is_not_marked_skipped(world):
    session = create_session(world, days_ahead=1)
    (key, invitation_ids), = reminders_due(now=session.starts_at - HOUR / 2).items()
    assert reminders_send(session_id=key[0], kind=key[1], invitation_ids=invitation_ids) == len(invitation_ids)
    with scopes_disabled():  # reads both cities' rows
        assert not ReminderLog.objects.filter(session=session, skipped=True).exists()


def test_task_time_limits_are_shorter_than_the_visibility_timeout():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT < visibility
