"""Celery entry points: thin wrappers around coaching.services.reminders."""

from celery import shared_task
from django.db import OperationalError

from .services import reminders


@shared_task(
    name="coaching.sweep_reminders", acks_late=True, autoretry_for=(OperationalError,),
    retry_backoff=True, max_retries=5,
)
def sweep_reminders():
    """Find every coaching reminder that is due and not yet sent; queue one task for each."""
    due = reminders.due_reminders()
    for kind, pk, step in due:
        send_reminder.delay(kind, pk, step)
    return len(due)


@shared_task(
    name="coaching.send_reminder", acks_late=True, autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True, max_retries=5,
)
def send_reminder(kind, pk, step):
    return reminders.send_reminder(kind=kind, pk=pk, step=step)
