"""Celery entry points of the program calendar: thin wrappers around agenda.services.reminders.

Every task takes ids, reloads rows and is idempotent (the ReminderLog key), so a redelivered or
retried message does no harm."""

import smtplib

from celery import shared_task

from .services import reminders, session_invitations

# Transient failures worth retrying: the mail server or the network hiccuped.
TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


@shared_task(name="agenda.sweep_reminders", acks_late=True, ignore_result=True)
def sweep_reminders():
    """Beat, every few minutes: queue every reminder and change notice that is due."""
    return reminders.reminders_sweep()


@shared_task(name="agenda.notify_session_change", acks_late=True, ignore_result=True)
def notify_session_change(session_id):
    """Queued after a reschedule or cancel commits; the beat sweep is the safety net."""
    return reminders.reminders_sweep(session_ids=[session_id])


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
    from agenda.services.absences import absences_sweep

    return absences_sweep()


@shared_task(
    name="agenda.send_nudges", acks_late=True, ignore_result=True,
    autoretry_for=TRANSIENT, retry_backoff=30, retry_backoff_max=900, retry_jitter=True, max_retries=3,
)
def send_nudges(session_id, invitation_ids):
    """Staff asked the invitees who have not answered; those who answered meanwhile are skipped."""
    return session_invitations.nudges_send(session_id=session_id, invitation_ids=invitation_ids)
