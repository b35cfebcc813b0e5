"""The coach's home: each of their cities at a glance, across coaching, the calendar and the
strategy, read from the cities' stored dashboard rows (dashboards.read_model) in one query, and
the rendered list kept under what it shows (accelerator.caching)."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from accelerator.caching import kept
from accelerator.prepared import PreparedQuery
from coaching.models import ActionItem, MayorDecision
from coaching.models.settings import cadence_days
from cohorts.models import City
from cohorts.models.visibility import relations
from strategy.models import Strategy

from . import read_model


def coach_cities(coach):
    """The coach's cities, each with its cohort and coaching settings, its stored dashboard row and
    its plan: one query."""
    return list(
        _coached(coach).select_related("cohort", "cohort__coaching_settings", "dashboard_row", "strategy")
        .order_by("-cohort__start_date", "name")
    )


def _coached(coach):
    return City.objects.filter(pk__in=relations(coach).coached_city_ids)


# What the list shows of each city, besides its stored row's content (which its version follows).
STATE_FIELDS = (
    "pk", "name", "slug", "cohort_id", "cohort__name", "cohort__status", "cohort__start_date",
    "cohort__coaching_settings__checkin_every_days", "dashboard_row__version", "dashboard_row__computed_version",
    "dashboard_row__computed_at", "strategy__status", "strategy__completeness",
)


def coach_home_html(coach, *, now=None):
    """The coach home's list of cities, rendered, kept under everything it shows, read in one
    query without the rows' content: each city's name, cohort, cadence, plan state and stored
    row's version and moment (every change of coaching, the calendar or the plan raises the
    version), the viewer and the minute (what the clock alone moves: overdue, the next session)."""
    now = now or timezone.now()
    state = _STATE.rows(person=coach.pk)
    parts = (coach.pk, now.strftime("%Y%m%d%H%M"), state)
    return mark_safe(kept("dashboards:coach_home", parts, lambda: render_to_string(
        "accelerator/_home_coach_cities.html", {"cities": coach_home_cities(coach, now=now)})))


def _state_query(person):
    # The visibility rule's own subquery for a stand-in coach, whose id is then replaced: it names
    # the coach alone (cities and coach assignments are read unscoped), and still checks in the
    # database that they are a coach.
    return _coached(get_user_model()(pk=person, is_coach=True)).order_by("pk").values_list(*STATE_FIELDS)


# The list's key for a coach, compiled once per process (accelerator.prepared): building it took
# longer than the database takes to answer it, on a page that reads nothing else when kept.
_STATE = PreparedQuery(_state_query, person=-7_505_001)


def coach_home_cities(coach, *, now=None):
    """The coach's cities with last check-in, next coaching session, open and overdue items,
    decisions waiting on the mayor, overdue decisions, showcases waiting for feedback, the plan's
    state and the check-in overdue flag. The counts come from the stored rows (recomputed first
    when not current); the cadence follows the cohort's settings as they are now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cities = coach_cities(coach)
    stored, stamps = read_model.rows_data(cities, now=now)
    # A row computed before its next session started still names it: recompute those.
    moved = [pk for pk, data in stored.items() if _session_passed(data["coaching"], stamps[pk], now)]
    if moved:
        stored.update(read_model.rows_refresh(moved, now=now))
    # What is overdue follows the viewer's day (the rows count it on the day they were computed).
    ids = [city.pk for city in cities]
    late_items = _count_per_city(ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES), ids, today)
    late_decisions = _count_per_city(MayorDecision.objects.filter(status=MayorDecision.Status.PENDING), ids, today)
    for city in cities:
        column = read_model.coaching_column(stored[city.pk]["coaching"], cohort=city.cohort, today=today)
        city.last_checkin, city.next_session_at = column["last_checkin"], column["next_session_at"]
        city.open_items, city.overdue_items = column["open_items"], late_items.get(city.pk, 0)
        city.pending_decisions, city.overdue_decisions = column["open_decisions"], late_decisions.get(city.pk, 0)
        city.showcases_waiting = column["showcases"].get("submitted", 0)
        strategy = _strategy(city)
        city.strategy_state = _strategy_label(strategy)
        every = cadence_days(city.cohort)
        reference = city.last_checkin or city.cohort.start_date
        city.cadence_days = every
        city.checkin_due_on = reference + datetime.timedelta(days=every)
        city.checkin_overdue = city.cohort.status == city.cohort.Status.RUNNING and city.checkin_due_on < today
    return cities


def _session_passed(column, stamp, now):
    next_session_at = column["next_session_at"]
    return stamp[0] != "computed" and next_session_at is not None and parse_datetime(next_session_at) <= now


def _count_per_city(queryset, city_ids, today):
    """{city_id: how many of `queryset` fell due before `today`}: one grouped query."""
    late = queryset.filter(city_id__in=city_ids, due_on__lt=today).values("city_id").annotate(n=Count("pk"))
    return dict(late.order_by().values_list("city_id", "n"))


def _strategy(city):
    try:
        return city.strategy
    except City.strategy.RelatedObjectDoesNotExist:
        return None


def _strategy_label(strategy):
    if strategy is None:
        return gettext("Not started")
    return f"{Strategy.Status(strategy.status).label} · {strategy.completeness or 0}%"
