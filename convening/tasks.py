"""Celery entry points: thin wrappers around convening.services.enforcement."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .services.enforcement import convening_enforce


@shared_task(
    name="convening.enforce", acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(OperationalError, ConnectionError), retry_backoff=True, max_retries=5,
)
def enforce(now=None):
    """One enforcement sweep. `now` (ISO 8601) exists for tests; beat leaves it out."""
    moment = timezone.datetime.fromisoformat(now) if now else timezone.now()
    return convening_enforce(now=moment)
