"""The cohort dashboard's stored rows (cohorts.DashboardRow): computing them, and reading them.

A row holds, per city, what the dashboard needs from every app: the mayor and coaches, the
senior team's attendance rate and each session's marks (for the charts and the sessions card),
the coaching cadence and counts, the convening outcome, completeness per plan part, maturity and
the running absence streaks. The page reads one row per city and derives the rest (attention
reasons, chart figures, labels in the viewer's language) in Python.

A row is recomputed when it is not current: its version was raised by a change of an input (see
cohorts.services.dashboard_rows), it never existed, or it is older than MAX_AGE (what depends
only on the clock: an overdue check-in, a convening that ended). The refresh task queued after
each change and the beat sweep keep rows current, so the page rarely recomputes one itself; when
it does, it recomputes all the rows it needs in one batch, in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django_scopes import scopes_disabled

from agenda import selectors as selectors_sessions
from agenda.models import AbsenceWarning, Attendance
from coaching import selectors as coaching_selectors
from coaching.models import ActionItem, MayorDecision, Showcase
from cohorts import selectors as cohort_selectors
from cohorts.models import City, Cohort, DashboardRow, Membership
from cohorts.models.visibility import current_coach_assignments
from completion.models import attendance_threshold
from completion.selectors import cohort_has_ended
from completion.services.outcomes import outcomes_derive
from convening import selectors as convening_selectors
from convening.models import EligibilityReview
from strategy import selectors as strategy_selectors

# Rows older than this are recomputed, so what changes with the clock alone is never staler
# than the sweep interval (dashboards.sweep_rows runs more often than this).
MAX_AGE = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class Person:
    email: str
    full_name: str


@dataclass(frozen=True)
class Absence:
    person: Person
    streak: int


@dataclass(frozen=True)
class Review:
    """An eligibility review as the dashboard shows it (the same names as EligibilityReview's)."""

    State = EligibilityReview.State
    state: str
    missed: tuple
    label: str

    def get_state_display(self):
        return self.label


def _iso(value):
    return value.isoformat() if value is not None else None


def _date(value):
    return parse_date(value) if value else None


def _datetime(value):
    return parse_datetime(value) if value else None


def session_marks(cohort, city_ids):
    """{city_id: {session_id: [attended, marked]}} of the cohort's sessions (whole-session marks,
    the mayor included): one query."""
    marks = {pk: {} for pk in city_ids}
    rows = (
        Attendance.objects.filter(city_id__in=city_ids, session__cohort=cohort, day__isnull=True)
        .values("city_id", "session_id")
        .annotate(marked=Count("pk"), attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED))).order_by()
    )
    for row in rows:
        marks[row["city_id"]][str(row["session_id"])] = [row["attended"], row["marked"]]
    return marks


def absence_warnings(city_ids):
    """{city_id: [[name, streak]]} of absence streaks still running (no attendance since the last
    missed session); one query."""
    came_back = Attendance.objects.filter(
        person=OuterRef("person"), status__in=Attendance.ATTENDED, day__isnull=True,
        session__starts_at__gt=OuterRef("last_missed__starts_at"),
    )
    result = {}
    warnings = (
        AbsenceWarning.objects.filter(city_id__in=city_ids).annotate(came_back=Exists(came_back))
        .filter(came_back=False).select_related("person").order_by("-streak", "person__full_name")
    )
    for warning in warnings:
        result.setdefault(warning.city_id, []).append([warning.person.full_name, warning.streak])
    return result


# The city home shows this many of a city's open action items and showcases at most (it reads
# no more of them either: see dashboards.city_home).
HOME_ITEMS = 100
HOME_SHOWCASES = 50


def _first(queryset, n, *order):
    """`queryset` ordered by `order` within each city, the first `n` of each city only."""
    return (queryset.annotate(place=Window(RowNumber(), partition_by=F("city_id"), order_by=list(order)))
            .filter(place__lte=n).order_by("city_id", *order))


def home_lists(city_ids):
    """{city_id: the lists a city's home shows}, in five queries however many cities: the team
    (as cohorts.selectors.city_team), the current coaches (as city_coaches), the decisions
    waiting for the mayor, the first open action items by due date, the latest showcases. Every
    service that changes one of them raises the row's version (a name corrected in place shows
    once the row is recomputed, within MAX_AGE)."""
    lists = {pk: {"team": [], "coaches": [], "decisions": [], "items": [], "showcases": []} for pk in city_ids}
    team = (Membership.objects.filter(city_id__in=city_ids).order_by("city_id", "role", "user__full_name")
            .values_list("city_id", "pk", "role", "title", "user_id", "user__full_name"))
    for city_id, *values in team:
        lists[city_id]["team"].append(values)
    coaches = (current_coach_assignments().filter(city_id__in=city_ids).order_by("city_id", "coach__full_name")
               .values_list("city_id", "coach__email", "coach__full_name"))
    for city_id, *values in coaches:
        lists[city_id]["coaches"].append(values)
    decisions = (MayorDecision.objects.filter(city_id__in=city_ids, status=MayorDecision.Status.PENDING)
                 .order_by("city_id", "due_on").values_list("city_id", "code", "question", "due_on"))
    for city_id, code, question, due_on in decisions:
        lists[city_id]["decisions"].append([code, question, _iso(due_on)])
    items = _first(ActionItem.objects.filter(city_id__in=city_ids, status__in=ActionItem.OPEN_STATUSES),
                   HOME_ITEMS, "due_on", "created_at", "pk")
    for city_id, code, what, status, due_on, owner_id, user_id, name in items.values_list(
            "city_id", "code", "what", "status", "due_on", "owner_id", "owner__user_id", "owner__user__full_name"):
        lists[city_id]["items"].append([code, what, status, _iso(due_on), owner_id, user_id, name])
    showcases = _first(Showcase.objects.filter(city_id__in=city_ids), HOME_SHOWCASES, F("created_at").desc(), "-pk")
    for city_id, code, title, status, created_at in showcases.values_list(
            "city_id", "code", "title", "status", "created_at"):
        lists[city_id]["showcases"].append([code, title, status, _iso(created_at)])
    return lists


def outcome_column(cohort, cities, *, now):
    """{city_id: {"threshold", "outcome", "reasons"}}: each city's outcome as the record gives it,
    once the cohort has ended (else {}), with the attendance threshold it was derived under."""
    if not cohort_has_ended(cohort, timezone.localdate(now)):
        return {}
    derived = outcomes_derive(cities, cohort, now=now)
    threshold = attendance_threshold(cohort)
    return {pk: {"threshold": threshold, "outcome": d.outcome, "reasons": d.reasons} for pk, d in derived.items()}


def compute(cohort, city_ids, *, now):
    """{city_id: data} for cities of `cohort`, from each app's bulk selector: a fixed number of
    queries however many cities."""
    today = timezone.localdate(now)
    cities = list(cohort_selectors.cities_with_team_summary(City.objects.filter(pk__in=city_ids)))
    ids = [c.pk for c in cities]
    team_rates = selectors_sessions.senior_team_rates(cohort, ids)
    marks = session_marks(cohort, ids)
    coaching = coaching_selectors.dashboard_columns(cohort, ids, today=today, now=now)
    session, convening = convening_selectors.dashboard_columns(cohort, City.objects.filter(pk__in=ids), now=now)
    strategy = strategy_selectors.dashboard_columns(ids)
    absences = absence_warnings(ids)
    home = home_lists(ids)
    outcomes = outcome_column(cohort, cities, now=now)
    result = {}
    for city in cities:
        mayor = city.mayor_memberships[0].user if city.mayor_memberships else None
        column = coaching[city.pk]
        held = convening.get(city.pk)
        review = held["review"] if held else None
        result[city.pk] = {
            "mayor": [mayor.email, mayor.full_name] if mayor else None,
            "coaches": [[a.coach.email, a.coach.full_name] for a in city.coach_list],
            "team_rate": team_rates.get(city.pk),
            "marks": marks[city.pk],
            "coaching": {
                "last_checkin": _iso(column["last_checkin"]), "next_session_at": _iso(column["next_session_at"]),
                "checkin_due_on": _iso(column["checkin_due_on"]), "cadence_days": column["cadence_days"],
                "open_items": column["open_items"], "overdue_items": column["overdue_items"],
                "open_decisions": column["open_decisions"], "overdue_decisions": column["overdue_decisions"],
                "showcases": column["showcases"], "waiting_since": _iso(column["waiting_since"]),
            },
            "convening": None if held is None else {
                "session": session.pk, "has_mayor": held["has_mayor"], "attended": held["attended"],
                "missed": held["missed"], "required": held["required"],
                "review": None if review is None else {"state": review.state, "missed": list(review.missed)},
            },
            "parts": strategy[city.pk]["parts"],
            "plan_missing": strategy[city.pk]["missing"],
            "maturity": strategy[city.pk]["maturity"],
            "absences": absences.get(city.pk, []),
            "home": home[city.pk],
            "outcome": outcomes.get(city.pk),
        }
    return result


@scopes_disabled()  # the callers name the cities (those a viewer may see, or a sweep's batch)
def rows_refresh(city_ids, *, now=None):
    """Recompute and store the rows of `city_ids` (any cohorts); returns {city_id: data}."""
    now = now or timezone.now()
    city_ids = list(city_ids)
    versions = dict(DashboardRow.objects.filter(city_id__in=city_ids).values_list("city_id", "version"))
    by_cohort = {}
    for city_id, cohort_id in City.objects.filter(pk__in=city_ids).values_list("pk", "cohort_id"):
        by_cohort.setdefault(cohort_id, []).append(city_id)
    result = {}
    for cohort in Cohort.objects.filter(pk__in=list(by_cohort)):
        result.update(compute(cohort, by_cohort[cohort.pk], now=now))
    # The version read before computing: a change committed meanwhile raises it again, so the row
    # is recomputed once more rather than taken for current.
    DashboardRow.objects.bulk_create(
        [DashboardRow(city_id=pk, data=data, version=versions.get(pk, 1), computed_version=versions.get(pk, 1),
                      computed_at=now) for pk, data in result.items()],
        update_conflicts=True, unique_fields=["city"], update_fields=["data", "computed_version", "computed_at"],
    )
    return result


def row_usable(row, cohort, now):
    """Whether a stored row may be shown instead of reading what it holds: it is current (no input
    changed since it was computed) and, unless the cohort is closed (nothing it shows moves with
    the clock any more, and the sweep leaves it alone), computed within MAX_AGE."""
    return (row is not None and row.is_current
            and (row.computed_at >= now - MAX_AGE or cohort.status in Cohort.CLOSED_STATUSES))


def _stored(city, now):
    try:
        row = city.dashboard_row
    except DashboardRow.DoesNotExist:
        return None
    return row if row_usable(row, city.cohort, now) else None


def rows_data(cities, *, now):
    """({city_id: data}, {city_id: stamp}) for City objects read with `dashboard_row` selected; the
    rows that are not current are recomputed together first. A stamp names the row's state (for
    cache keys): its version and when it was computed."""
    rows = {city.pk: _stored(city, now) for city in cities}
    data = {pk: row.data for pk, row in rows.items() if row is not None}
    stamps = {pk: (row.computed_version, row.computed_at.isoformat()) for pk, row in rows.items() if row is not None}
    missing = [pk for pk, row in rows.items() if row is None]
    if missing:
        data.update(rows_refresh(missing, now=now))
        stamps.update({pk: ("computed", now.isoformat()) for pk in missing})
    return data, stamps


@scopes_disabled()
def out_of_date(city_ids):
    """Those of `city_ids` whose row is missing or older than its inputs (one query)."""
    current = DashboardRow.objects.filter(
        city_id__in=list(city_ids), computed_version=F("version"), computed_at__isnull=False)
    return sorted(set(city_ids) - set(current.values_list("city_id", flat=True)))


def stale_city_ids(*, now=None, limit=500):
    """Cities of cohorts not closed whose row is missing, out of date or about to expire."""
    now = now or timezone.now()
    with scopes_disabled():
        cities = City.objects.exclude(cohort__status__in=Cohort.CLOSED_STATUSES).filter(
            Q(dashboard_row__isnull=True)
            | Q(dashboard_row__computed_at__lt=now - MAX_AGE + datetime.timedelta(minutes=1))
            | ~Q(dashboard_row__computed_version=F("dashboard_row__version"))
        )
        return list(cities.order_by("pk").values_list("pk", flat=True)[:limit])


# Reading a stored row back into the values the dashboard's code works with.

def person(pair):
    return Person(pair[0], pair[1]) if pair else None


def coaching_column(stored, *, cohort, today):
    column = dict(stored)
    column["last_checkin"] = _date(stored["last_checkin"])
    column["checkin_due_on"] = _date(stored["checkin_due_on"])
    column["next_session_at"] = _datetime(stored["next_session_at"])
    column["waiting_since"] = _datetime(stored["waiting_since"])
    # Overdue follows the clock, not the stored moment.
    column["checkin_overdue"] = cohort.status == Cohort.Status.RUNNING and column["checkin_due_on"] < today
    return column


def convening_column(stored, *, session, now, review_labels):
    if stored is None or session is None or stored["session"] != session.pk:
        return None
    column = dict(stored)
    review = stored["review"]
    column["review"] = None if review is None else Review(
        review["state"], tuple(review["missed"]), review_labels.get(review["state"], review["state"]))
    column["over"] = session.ends_at <= now
    return column
