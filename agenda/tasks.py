"""Celery entry points of the program calendar: thin wrappers around its services.

Every task derives its work from the database and is idempotent (the outbox's unique keys), so
a redelivered, retried or doubled task does no harm."""

from celery import shared_task

from .services import absences, feedback, reminders


@shared_task(name="agenda.sweep_reminders", acks_late=True, ignore_result=True)
def sweep_reminders():
    """Beat, every few minutes: queue every invitation, reminder and change notice that is owed."""
    return reminders.reminders_queue()


@shared_task(name="agenda.sweep_absences", acks_late=True, ignore_result=True)
def sweep_absences():
    """Beat: warn coaches and staff about absence streaks (idempotent, see services.absences)."""
    return absences.absences_sweep()


@shared_task(name="agenda.sweep_feedback", acks_late=True, ignore_result=True)
def sweep_feedback():
    """Beat: ask the people who attended a session for feedback the day after (once; see services.feedback)."""
    return feedback.feedback_requests_queue()
