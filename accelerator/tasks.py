"""Celery entry points of the outbox: thin wrappers around accelerator.outbox.services."""

from celery import shared_task

from .outbox import services


@shared_task(name=services.TASK_NAME, acks_late=True, ignore_result=True)
def deliver_outbox():
    """Queued after every transaction that queues mail, and by beat every minute. Safe to run
    twice at once: each run claims its own rows."""
    return services.outbox_deliver()


@shared_task(name="outbox.digests", acks_late=True, ignore_result=True)
def send_digests():
    return services.outbox_digests_send()
