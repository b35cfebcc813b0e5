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


@shared_task(
    name="convening.issue_codes", acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(OperationalError, ConnectionError), retry_backoff=True, max_retries=5,
)
def issue_codes(session_id, actor_id=None):
    """Issue and email codes to the convening's mayors who have none (staff asked from the codes page)."""
    from django.contrib.auth import get_user_model

    from agenda.models import Session

    from .services.codes import checkin_codes_issue

    session = Session.objects.filter(pk=session_id, kind=Session.Kind.CONVENING).first()
    if session is None:  # deleted since: nothing to do
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return len(checkin_codes_issue(session=session, actor=actor))
