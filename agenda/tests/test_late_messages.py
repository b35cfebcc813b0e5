"""No message after its moment: a reminder queued in time but sent late is dropped, and says so."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled

from accelerator.outbox.models import OutgoingMessage
from agenda.models import SessionInvitation
from agenda.services.reminders import reminders_queue
from agenda.tests.factories import create_session

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_a_one_hour_reminder_sent_after_the_start_sends_nothing_and_records_why(world, outbox):
    session = create_session(world, days_ahead=1)
    with scopes_disabled():
        SessionInvitation.objects.filter(session=session).update(created_at=timezone.now() - 30 * 24 * HOUR)
    # The sweep queues the 1-hour reminder half an hour before the start...
    assert reminders_queue(now=session.starts_at - HOUR / 2) == 2
    # ...and the sender only gets to it (a slow queue, a dead worker) five minutes after it.
    late = session.starts_at + datetime.timedelta(minutes=5)
    assert outbox.deliver(now=late) == []
    rows = outbox.rows()
    assert {r.status for r in rows} == {OutgoingMessage.Status.CANCELLED}
    assert {r.reason for r in rows} == {"Not sent: the session had started."}
    # Nothing is retried and no sweep queues it again.
    assert outbox.deliver(now=late) == [] and mail.outbox == []
    assert reminders_queue(now=session.starts_at - HOUR / 2) == 0


def test_task_time_limits_are_shorter_than_the_visibility_timeout():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT < visibility
    # A claimed batch is only taken over once its worker's hard limit has certainly passed.
    assert settings.OUTBOX_CLAIM_SECONDS > settings.CELERY_TASK_TIME_LIMIT
