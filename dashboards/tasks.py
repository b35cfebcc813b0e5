"""Celery entry points: thin wrappers around dashboards.read_model."""

from celery import shared_task
from django.db import OperationalError
from django_scopes import scopes_disabled

from cohorts.models import City

from . import read_model

RETRY = {"acks_late": True, "reject_on_worker_lost": True, "autoretry_for": (OperationalError, ConnectionError),
         "retry_backoff": True, "max_retries": 5}

# A sweep recomputes this many rows per batch: a fixed number of queries per batch.
BATCH = 200
MAX_BATCHES = 50  # bounded: rows changed faster than the sweep runs wait for the next one


@shared_task(name="dashboards.rows_refresh", **RETRY)
def rows_refresh(city_ids=(), cohort_id=None, cohort_ids=()):
    """Recompute the dashboard rows of cities whose inputs changed (queued after the change's
    commit); a row another refresh already brought up to date is left as it is."""
    cohort_ids = [*cohort_ids, *([cohort_id] if cohort_id is not None else [])]
    city_ids = set(city_ids)
    if cohort_ids:
        with scopes_disabled():
            city_ids.update(City.objects.filter(cohort_id__in=cohort_ids).values_list("pk", flat=True))
    stale = read_model.out_of_date(city_ids) if city_ids else []
    if stale:
        read_model.rows_refresh(stale)
    return len(stale)


@shared_task(name="dashboards.sweep_rows", **RETRY)
def sweep_rows():
    """Recompute every row that is missing, out of date or about to expire, in batches."""
    done = 0
    for _batch in range(MAX_BATCHES):
        city_ids = read_model.stale_city_ids(limit=BATCH)
        if city_ids:
            read_model.rows_refresh(city_ids)
            done += len(city_ids)
        if len(city_ids) < BATCH:
            break
    return done
