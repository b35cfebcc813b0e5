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
from functools import partial

from celery import current_app
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django_scopes import scopes_disabled

from ..models import DashboardRow

logger = logging.getLogger(__name__)

REFRESH_TASK = "dashboards.rows_refresh"


def dashboard_rows_changed(*, city_ids=(), cohort_id=None):
    """Mark the dashboard rows of `city_ids` (or of every city of `cohort_id`) out of date, in the
    caller's transaction: one UPDATE. Their refresh is queued once the transaction commits, once
    for the whole transaction however many changes it made (a bulk set-up makes thousands)."""
    city_ids = tuple(sorted({pk for pk in city_ids if pk is not None}))
    if not city_ids and cohort_id is None:
        return
    with scopes_disabled():  # the caller names the cities; a sweep may span several
        rows = DashboardRow.objects.filter(city__cohort_id=cohort_id) if cohort_id else \
            DashboardRow.objects.filter(city_id__in=city_ids)
        rows.update(version=F("version") + 1)
    batch = _batch(connections[DEFAULT_DB_ALIAS])
    batch["flushed"].clear()  # what an earlier commit refreshed says nothing of this change
    batch["city_ids"].update(city_ids)
    if cohort_id is not None:
        batch["cohort_ids"].add(cohort_id)
    # Each change registers its own hook, so a rolled-back savepoint takes exactly its hooks with
    # it; the first hook to run queues the refresh of everything the transaction changed and the
    # others find their cities already queued.
    transaction.on_commit(partial(_flush, city_ids=city_ids, cohort_id=cohort_id))


def _batch(connection):
    if not hasattr(connection, "dashboard_rows_batch"):
        connection.dashboard_rows_batch = {"city_ids": set(), "cohort_ids": set(), "flushed": set()}
    return connection.dashboard_rows_batch


def _flush(*, city_ids, cohort_id):
    batch = _batch(connections[DEFAULT_DB_ALIAS])
    own = {("city", pk) for pk in city_ids} | ({("cohort", cohort_id)} if cohort_id is not None else set())
    if own <= batch["flushed"]:
        return
    city_ids = sorted(batch["city_ids"] | set(city_ids))
    cohort_ids = sorted(batch["cohort_ids"] | ({cohort_id} if cohort_id is not None else set()))
    batch["city_ids"].clear()
    batch["cohort_ids"].clear()
    batch["flushed"].update({("city", pk) for pk in city_ids} | {("cohort", pk) for pk in cohort_ids})
    _queue_refresh(city_ids=city_ids, cohort_ids=cohort_ids)


def _queue_refresh(*, city_ids, cohort_ids):
    task = current_app.tasks.get(REFRESH_TASK)
    if task is None:  # the dashboards app is not installed; the rows are recomputed when read
        return
    try:
        task.delay(city_ids=list(city_ids), cohort_ids=list(cohort_ids))
    except Exception:  # a broker hiccup must not fail a change already committed; the sweep recovers
        logger.warning("dashboard rows: refresh not queued", exc_info=True)
