"""The coach's home: each of their cities at a glance, across coaching, the calendar and the
strategy, in one query for the cities and their counts."""

import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from agenda.models import Session
from coaching.models import ActionItem, CheckIn, MayorDecision, Showcase
from coaching.models.settings import cadence_days
from coaching.selectors import count_per_city
from cohorts.models import City
from cohorts.models.visibility import relations
from strategy.models import Strategy


def coach_home_cities(coach, *, today=None):
    """The coach's cities with last check-in, open and overdue items, decisions waiting on the
    mayor, overdue decisions, showcases waiting for feedback, and the check-in overdue flag."""
    today = today or timezone.localdate()
    last_checkin = CheckIn.objects.filter(city=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    open_items = ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES)
    pending = MayorDecision.objects.filter(status=MayorDecision.Status.PENDING)
    cities = (
        City.objects.filter(pk__in=relations(coach).coached_city_ids)
        .select_related("cohort", "cohort__coaching_settings")
        .annotate(
            last_checkin=Subquery(last_checkin),
            open_items=count_per_city(open_items),
            overdue_items=count_per_city(open_items.filter(due_on__lt=today)),
            pending_decisions=count_per_city(pending),
            overdue_decisions=count_per_city(pending.filter(due_on__lt=today)),
            showcases_waiting=count_per_city(Showcase.objects.filter(status=Showcase.Status.SUBMITTED)),
        )
        .order_by("-cohort__start_date", "name")
    )
    cities = _with_strategy(_with_next_session(cities))
    rows = list(cities)
    for city in rows:
        city.strategy_state = _strategy_label(city.strategy_status, city.strategy_completeness)
        every = cadence_days(city.cohort)
        reference = city.last_checkin or city.cohort.start_date
        city.cadence_days = every
        city.checkin_due_on = reference + datetime.timedelta(days=every)
        city.checkin_overdue = city.cohort.status == city.cohort.Status.RUNNING and city.checkin_due_on < today
    return rows


def _with_next_session(cities):
    upcoming = (
        Session.objects.filter(city=OuterRef("pk"), kind=Session.Kind.COACHING, starts_at__gt=timezone.now())
        .exclude(status=Session.Status.CANCELLED)
        .order_by("starts_at")
    )
    return cities.annotate(next_session_at=Subquery(upcoming.values("starts_at")[:1]))


def _with_strategy(cities):
    strategy = Strategy.objects.filter(city=OuterRef("pk"))
    return cities.annotate(
        strategy_status=Subquery(strategy.values("status")[:1]),
        strategy_completeness=Subquery(strategy.values("completeness")[:1]),
    )


def _strategy_label(status, completeness):
    if status is None:
        return gettext("Not started")
    return f"{Strategy.Status(status).label} · {completeness or 0}%"
