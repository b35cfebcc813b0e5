"""Celery entry points of the program calendar: thin wrappers around agenda.services.reminders.

Every task takes ids, reloads rows and is idempotent (the ReminderLog key), so a redelivered or
retried message does no harm."""

import smtplib

from celery import shared_task

from .services import absences, reminders

# Transient failures worth retrying: the mail server or the network hiccuped.
TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


def reminders_queue_due(*, now=None, session_ids=None):
    """Queue the sends that are due, in batches. Returns how many emails were queued. The
    fan-out lives beside the task that sends, so no service needs to import its own task."""
    queued = 0
    for (session_id, kind), invitation_ids in reminders.reminders_due(now=now, session_ids=session_ids).items():
        for start in range(0, len(invitation_ids), reminders.BATCH_SIZE):
            batch = invitation_ids[start:start + reminders.BATCH_SIZE]
            send_reminders.delay(session_id, kind, batch)
            queued += len(batch)
    return queued


@shared_task(name="agenda.sweep_reminders", acks_late=True, ignore_result=True)
def sweep_reminders():
    """Beat, every few minutes: queue every reminder and change notice that is due."""
    return reminders_queue_due()


@shared_task(name="agenda.notify_session_change", acks_late=True, ignore_result=True)
def notify_session_change(session_id):
    """Queued after a reschedule or cancel commits; the beat sweep is the safety net."""
    return reminders_queue_due(session_ids=[session_id])


@shared_task(
    name="agenda.send_reminders", acks_late=True, ignore_result=True,
    autoretry_for=TRANSIENT, retry_backoff=30, retry_backoff_max=900, retry_jitter=True, max_retries=5,
)
def send_reminders(session_id, kind, invitation_ids):
    return reminders.reminders_send(session_id=session_id, kind=kind, invitation_ids=invitation_ids)


@shared_task(
    name="agenda.sweep_absences", acks_late=True, ignore_result=True,
    autoretry_for=TRANSIENT, retry_backoff=60, retry_backoff_max=900, max_retries=5,
)
def sweep_absences():
    """Beat: warn coaches and staff about absence streaks (idempotent, see services.absences)."""
    return absences.absences_sweep()


@shared_task(
    name="agenda.send_nudges", acks_late=True, ignore_result=True,
    autoretry_for=TRANSIENT, retry_backoff=30, retry_backoff_max=900, retry_jitter=True, max_retries=3,
)
def send_nudges(session_id, invitation_ids):
    """Staff asked the invitees who have not answered; those who answered meanwhile are skipped."""
    return reminders.nudges_send(session_id=session_id, invitation_ids=invitation_ids)
