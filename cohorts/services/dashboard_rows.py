"""Keeping the cohort dashboard's stored rows (DashboardRow) in step with what they summarise.

Every service that changes an input of the dashboard (a team, a coach, a city's status, the
cohort's dates, attendance, the convening, coaching, the plan) calls `dashboard_rows_changed` in
its own transaction. That raises the rows' version at once, so from the moment the change commits
no reader takes the old row for current, and queues the recompute after commit.

The recompute lives in the dashboards app, above every app it reads; the apps below it may not
import it, so the refresh is queued by the Celery task's name (`dashboards.rows_refresh`). If the
queue loses the message, nothing is wrong for long: the page recomputes any row that is not
current before showing it, and the `dashboards.sweep_rows` beat task finds the same rows again."""

import logging

from celery import current_app
from django.db import transaction
from django.db.models import F
from django_scopes import scopes_disabled

from ..models import DashboardRow

logger = logging.getLogger(__name__)

REFRESH_TASK = "dashboards.rows_refresh"


def dashboard_rows_changed(*, city_ids=(), cohort_id=None):
    """Mark the dashboard rows of `city_ids` (or of every city of `cohort_id`) out of date, in the
    caller's transaction: one UPDATE. Their refresh is queued once the transaction commits."""
    city_ids = sorted({pk for pk in city_ids if pk is not None})
    if not city_ids and cohort_id is None:
        return
    with scopes_disabled():  # the caller names the cities; a sweep may span several
        rows = DashboardRow.objects.filter(city__cohort_id=cohort_id) if cohort_id else \
            DashboardRow.objects.filter(city_id__in=city_ids)
        rows.update(version=F("version") + 1)
    transaction.on_commit(lambda: _queue_refresh(city_ids=city_ids, cohort_id=cohort_id))


def _queue_refresh(*, city_ids, cohort_id):
    task = current_app.tasks.get(REFRESH_TASK)
    if task is None:  # the dashboards app is not installed; the rows are recomputed when read
        return
    try:
        task.delay(city_ids=city_ids, cohort_id=cohort_id)
    except Exception:  # a broker hiccup must not fail a change already committed; the sweep recovers
        logger.warning("dashboard rows: refresh not queued", exc_info=True)
