"""Reads for the calendar pages, each with its joins so a page's query count stays flat."""

import calendar
import datetime
import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Now
from django.utils import timezone

from accelerator.prepared import PreparedQuery, union_part
from agenda.models import Attendance, Response, Session, SessionInvitation
from agenda.services.attendance import rates_by
from cohorts import selectors
from cohorts.models import City, Cohort
from cohorts.models.visibility import relations
from cohorts.tenancy import scope_city_ids, scoped_city_ids


def calendar_cohort(user, slug):
    """(the cohort at `slug` if the viewer works in it (`cohorts.selectors.visible_cohorts`), the
    cities of it they see as `calendar_cities` gives them), or (None, []). For staff, and when the
    request's scope holds the cities the viewer sees, both come from one query of the cohort's
    cities (compiled once), kept to those."""
    staff = relations(user).sees_all
    seen = scoped_city_ids()
    if seen is None and not staff:
        cohort = selectors.visible_cohort_at(user, slug)
        return cohort, calendar_cities(cohort, user) if cohort is not None else []
    rows = _COHORT_CITIES.rows(slug=slug)
    if not staff:
        seen = set(seen)
        rows = [row for row in rows if row[0] in seen]
    if not rows:
        if staff:  # a cohort without cities yet is still staff's to plan
            return selectors.visible_cohort_at(user, slug), []
        return None, []
    cohort = Cohort.from_db("default", _COHORT_FIELDS, rows[0][3:])
    return cohort, [row[:3] for row in rows]


_COHORT_FIELDS = ("id", "name", "slug", "start_date", "end_date", "status")
_COHORT_CITIES = PreparedQuery(
    lambda slug: City.objects.filter(cohort__slug=slug).order_by("name").values_list(
        "pk", "slug", "name", *(f"cohort__{name}" for name in _COHORT_FIELDS)),
    slug="\x00cohort\x00")


def visible_sessions(user):
    """`Session.objects.visible_to(user)`, with the cities the viewer sees taken from the
    request's scope when it holds them."""
    return Session.objects.visible_to(user, city_ids=scoped_city_ids())


def sessions_for(user):
    return visible_sessions(user).with_calendar_joins()


def _with_my_invitation(sessions, user):
    return sessions.prefetch_related(
        Prefetch("invitations", queryset=SessionInvitation.objects.filter(person=user), to_attr="my_invitations")
    )


def _with_answer_counts(sessions):
    """Evaluate `sessions` and give each `invited_count`, `yes_count` and `pending_count`
    (within the current city scope), counted in one grouped query."""
    sessions = list(sessions)
    counts = {}
    rows = (SessionInvitation.objects.filter(session__in=[s.pk for s in sessions])
            .values_list("session_id", "response").annotate(n=Count("pk")).order_by())
    for session_id, response, n in rows:
        counts.setdefault(session_id, {})[response] = n
    for session in sessions:
        mine = counts.get(session.pk, {})
        session.invited_count = sum(mine.values())
        session.yes_count = mine.get("yes", 0)
        session.pending_count = mine.get("pending", 0)
    return sessions


def month_bounds(year, month, zone):
    first = datetime.datetime(year, month, 1, tzinfo=zone)
    last_day = calendar.monthrange(year, month)[1]
    end = datetime.datetime(year, month, last_day, tzinfo=zone) + datetime.timedelta(days=1)
    return first, end


def calendar_cities(cohort, user):
    """(pk, slug, name) of the cities of `cohort` the viewer sees, by name, for the calendar's
    city filter: one query. Outside a city's pages the request's scope already holds the ids of
    the cities a viewer other than staff sees (`cohorts.tenancy`), so those are not worked out again."""
    seen = scoped_city_ids()
    cities = City.objects.filter(cohort=cohort)
    cities = cities.filter(pk__in=seen) if seen is not None else cities.visible_to(user)
    return list(cities.order_by("name").values_list("pk", "slug", "name"))


def _filtered(sessions, *, kind=None, city=None, goal=None):
    """The calendar's filters: a kind, a city's id (its own sessions: coaching, checkpoints, its
    showcases), a learning goal."""
    if kind:
        sessions = sessions.filter(kind=kind)
    if city is not None:
        sessions = sessions.filter(city_id=city)
    if goal:
        sessions = sessions.filter(learning_goal=goal)
    return sessions


def cohort_month(cohort, user, year, month, zone, filters=None):
    """Weeks (Monday first) of day cells {date, in_month, sessions} for one month in `zone`."""
    start, end = month_bounds(year, month, zone)
    sessions = _with_answer_counts(_filtered(sessions_for(user).filter(cohort=cohort, starts_at__lt=end,
                                                                       ends_at__gt=start), **(filters or {})))
    by_day = {}
    for session in sessions:
        # A multi-day session (the convening) shows on every day it spans, in its display zone.
        shown_in = session.display_zone(zone)
        first = timezone.localtime(session.starts_at, shown_in).date()
        last = timezone.localtime(session.ends_at - datetime.timedelta(seconds=1), shown_in).date()
        for offset in range(min((last - first).days, 13) + 1):
            by_day.setdefault(first + datetime.timedelta(days=offset), []).append(session)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([{"date": d, "in_month": d.month == month, "sessions": by_day.get(d, [])} for d in week])
    return weeks, sessions


def mark_today(sessions, zone, today=None):
    """Give each session `is_today`: whether it runs on today's date where it is shown. No query."""
    today = today or timezone.localdate(timezone=zone)
    for session in sessions:
        shown_in = session.display_zone(zone)
        first = timezone.localtime(session.starts_at, shown_in).date()
        last = timezone.localtime(session.ends_at - datetime.timedelta(seconds=1), shown_in).date()
        session.is_today = first <= today <= last
    return sessions


def cohort_sessions(cohort, user, filters=None):
    return _with_answer_counts(_filtered(sessions_for(user).filter(cohort=cohort), **(filters or {})))


def session_invitations(session):
    """The invitees (within the current scope), mayors first, by city and name."""
    return list(
        session.invitations.select_related("person", "city").order_by(
            "city__name", "person__full_name"
        )
    )


def session_attendance(session, person_ids=None):
    """{person_id: the session's mark (not a segment's)}, for `person_ids` only when given."""
    marks = session.attendance.filter(day__isnull=True).select_related("marked_by")
    if person_ids is not None:
        marks = marks.filter(person_id__in=list(person_ids))
    return {a.person_id: a for a in marks}


INVITEES_PER_PAGE = 50


@dataclass
class InviteeCity:
    slug: str
    name: str
    count: int


@dataclass
class Invitees:
    """One page of a session's invitees (within the current scope) and what the page says of all."""

    summary: dict  # {"total", and one count per answer}, as invitations_summary gives it
    cities: list  # [InviteeCity], by name: the city filter's choices
    city: InviteeCity | None  # the city chosen, if any
    page: object  # a Paginator page
    rows: list  # the page's invitations, with person and city
    marks: dict  # {person_id: Attendance} for the page's people


def session_invitees(session, *, city="", page=None, per_page=INVITEES_PER_PAGE):
    """The invitees of one city (its slug; an unknown one is ignored) or of all, `per_page` at a
    time by city and name, with their marks, the answer counts and the cities: four queries."""
    summary = {"total": 0, **{r.value: 0 for r in Response}}
    cities = {}
    rows = (session.invitations.values_list("city__slug", "city__name", "response")
            .annotate(n=Count("pk")).order_by("city__name"))
    for slug, name, response, n in rows:
        summary["total"] += n
        summary[response] = summary.get(response, 0) + n
        cities.setdefault(slug, InviteeCity(slug=slug, name=name, count=0)).count += n
    chosen = cities.get(city) if city else None
    invitations = session.invitations.select_related("person", "city").order_by(
        "city__name", "person__full_name", "pk")
    if chosen is not None:
        invitations = invitations.filter(city__slug=chosen.slug)
    paginator = Paginator(invitations, per_page)
    paginator.count = chosen.count if chosen is not None else summary["total"]  # known: no COUNT query
    shown = paginator.get_page(page)
    page_rows = list(shown.object_list)
    marks = session_attendance(session, [i.person_id for i in page_rows]) if page_rows else {}
    return Invitees(summary=summary, cities=list(cities.values()), city=chosen, page=shown, rows=page_rows,
                    marks=marks)


MY_PAST_SHOWN = 200


@dataclass
class MySessions:
    upcoming: list
    this_cohort: list  # already held, in a cohort still planned or running
    earlier_cohorts: list  # [(cohort, [sessions])], latest cohort first


def my_marks(user):
    """{session_id: (status, marked_at)} of the person's marks over every session (not the
    segments): one query, compiled once. A person has one per session they were marked for, so
    the list is short; it doubles as part of the version of "my sessions" for its cache key.
    Marks from every city the person was marked in: only those of the sessions shown are read."""
    return {session_id: (status, marked_at) for session_id, status, marked_at in _MY_MARKS.rows(person=user.pk)}


def my_sessions(user, now=None, attendance=None):
    """The viewer's sessions: what comes next, what this cohort already held, and earlier
    cohorts' sessions apart (a finished cohort never mixes into "this cohort"). `attendance`
    is `my_marks(user)` when the caller has read it already."""
    now = now or timezone.now()
    visible = _with_my_invitation(sessions_for(user), user)
    upcoming = list(visible.filter(ends_at__gt=now).order_by("starts_at")[:100])
    past = list(visible.filter(ends_at__lte=now).order_by("-starts_at")[:MY_PAST_SHOWN])
    if attendance is None:
        attendance = my_marks(user)
    this_cohort, earlier = [], {}
    for session in past:
        mark = attendance.get(session.pk)
        session.my_attendance = mark and Attendance(session_id=session.pk, person_id=user.pk, status=mark[0],
                                                    marked_at=mark[1])
        if session.cohort.status not in (Cohort.Status.PLANNED, Cohort.Status.RUNNING):  # completed or archived
            earlier.setdefault(session.cohort, []).append(session)
        else:
            this_cohort.append(session)
    earlier_cohorts = sorted(earlier.items(), key=lambda item: item[0].start_date, reverse=True)
    return MySessions(upcoming=upcoming, this_cohort=this_cohort, earlier_cohorts=earlier_cohorts)


def _of_city(city):
    return Q(pk__in=SessionInvitation.objects.filter(city=city).values("session_id")) | Q(city=city)


def of_city(city):
    """The sessions a city's people are invited to, and the city's own."""
    return Session.objects.filter(_of_city(city))


def city_rates(city):
    """({session_id: rate dict}, {person_id: rate dict}) of the city's marks (not segments), as
    `rates_by` gives them: one query, grouped by session and person."""
    return _rates_of(_city_marks_query(city.pk))


def _rates_of(marks):
    by_session, by_person = {}, {}
    for session_id, person_id, marked, attended in marks:
        for totals, key in ((by_session, session_id), (by_person, person_id)):
            total = totals.setdefault(key, [0, 0])
            total[0], total[1] = total[0] + attended, total[1] + marked

    def rates(totals):
        return {key: {"attended": a, "marked": m, "rate": round(100 * a / m) if m else None}
                for key, (a, m) in totals.items()}

    return rates(by_session), rates(by_person)


def city_sessions(city, user, now=None, rates=None):
    """The sessions a city's people are invited to, with the city's answers and attendance rate,
    and `can_open` for the viewer (a mayor-only session is listed to the team, not linked).
    `rates` is `city_rates(city)[0]` when the caller has read it already."""
    now = now or timezone.now()
    sessions = list(Session.objects.filter(_of_city(city)).with_calendar_joins().with_can_open(user)
                    .order_by("starts_at"))
    counts = {}
    rows = (SessionInvitation.objects.filter(city=city, session__in=[s.pk for s in sessions])
            .values_list("session_id", "response").annotate(n=Count("pk")).order_by())
    for session_id, response, n in rows:
        counts.setdefault(session_id, {})[response] = n
    if rates is None:
        rates = city_rates(city)[0]
    for session in sessions:
        mine = counts.get(session.pk, {})
        session.city_invited = sum(mine.values())
        session.city_yes = mine.get("yes", 0)
        session.city_pending = mine.get("pending", 0)
        session.city_rate = rates.get(session.pk)
    upcoming = [s for s in sessions if s.ends_at > now]
    past = [s for s in sessions if s.ends_at <= now][::-1]
    return upcoming, past


def next_sessions_for_city(city, user, limit=3, now=None):
    """The city's next sessions, each with `can_open` for `user`."""
    now = now or timezone.now()
    return list(
        Session.objects.filter(_of_city(city), ends_at__gt=now)
        .exclude(status=Session.Status.CANCELLED).select_related("cohort").with_can_open(user)
        .order_by("starts_at")[:limit]
    )


def cohort_attendance(cohort, user):
    """Rates per city and for the latest past sessions of a cohort (the viewer's cities only)."""
    marks = Attendance.objects.filter(day__isnull=True)
    if not user.is_staff:  # staff see every city; the extra filter only slows the query down
        marks = marks.filter(city__in=City.objects.visible_to(user).filter(cohort=cohort))
    city_rates = rates_by(marks.filter(session__cohort=cohort), "city_id")
    now = timezone.now()
    recent = list(
        Session.objects.visible_to(user).filter(cohort=cohort, ends_at__lte=now)
        .exclude(status=Session.Status.CANCELLED).order_by("-starts_at")[:8]
    )
    session_rates = rates_by(marks.filter(session__in=[s.pk for s in recent]), "session_id")
    for session in recent:
        session.rate = session_rates.get(session.pk)
    upcoming = list(
        Session.objects.visible_to(user).filter(cohort=cohort, ends_at__gt=now)
        .exclude(status=Session.Status.CANCELLED).select_related("city").order_by("starts_at")[:5]
    )
    return city_rates, recent, upcoming


def senior_team_rates(cohort, city_ids):
    """{city_id: rate dict} of the senior teams (the mayor left out) at the cohort's sessions,
    counted over marked attendance, in one query."""
    from cohorts.models import Role

    team_roles = [role for role in Role.values if role != Role.MAYOR]
    marks = Attendance.objects.filter(
        city_id__in=list(city_ids), session__cohort=cohort, day__isnull=True,
        person__memberships__city_id=F("city_id"), person__memberships__role__in=team_roles,
    )
    return rates_by(marks, "city_id")


def _version_rows(sessions, now):
    return (sessions.order_by().values_list("cohort_id", "cohort__status")
            .annotate(n=Count("pk"), ids=Sum("pk"), changed=Max("updated_at"), invited=Max("invitations_changed_at"),
                      next_end=Min("ends_at", filter=Q(ends_at__gt=now)))
            .order_by("cohort_id"))


def sessions_version(sessions, now=None):
    """The version of what a page shows of `sessions` (a queryset), for its cache key: per
    cohort, its status, which sessions (their count and the sum of their ids, so a viewer who
    loses one session and gains another gets a new key), their latest change and their
    invitations' latest change, and the next moment one of them ends (a page that splits upcoming from past changes
    then). One query."""
    return tuple(_version_rows(sessions, now or timezone.now()))


# The versions the calendar pages read on every view, compiled once (accelerator.prepared): the ORM
# takes longer to build them than the database to answer. Each names its cohort, city or person, so
# they are built without the request's scope.
# The next end is counted from the database's clock (Now()), as the statement stays the same.
_ID = -7_000_021


def _unscoped(model):
    return model.objects.with_scopes_disabled()


def _invited_sessions(person):
    return Q(pk__in=_unscoped(SessionInvitation).filter(person_id=person).values("session_id"))


_COHORT_VERSION = PreparedQuery(
    lambda cohort: _version_rows(Session.objects.filter(cohort_id=cohort), Now()), cohort=_ID)


def _of_city_id(city):
    """`_of_city` for a city's id, read without the request's scope (the city is the filter)."""
    return Q(pk__in=_unscoped(SessionInvitation).filter(city_id=city).values("session_id")) | Q(city_id=city)


def _invited_version_and_marks(person):
    """The version rows of `person`'s sessions (kind 0) and their marks (kind 1: session id,
    status, marked at) as rows of the same eight columns, in one statement."""
    none = {"int": Value(None, output_field=IntegerField()), "dt": Value(None, output_field=DateTimeField())}
    versions = _version_rows(Session.objects.filter(_invited_sessions(person)), Now()).order_by().annotate(
        row_kind=Value(0, output_field=IntegerField())).values_list(
        "row_kind", "cohort_id", "cohort__status", "n", "ids", "changed", "invited", "next_end")
    marks = (_unscoped(Attendance).filter(person_id=person, day__isnull=True).order_by()
             .annotate(row_kind=Value(1, output_field=IntegerField()), row_n=none["int"], row_ids=none["int"],
                       row_invited=none["dt"], row_next_end=none["dt"])
             .values_list("row_kind", "session_id", "status", "row_n", "row_ids", "marked_at", "row_invited",
                          "row_next_end"))
    return versions.union(marks, all=True).order_by("row_kind", "cohort_id")


_INVITED_VERSION = PreparedQuery(_invited_version_and_marks, person=_ID)

# How far back a person's calendar feed reaches.
FEED_HISTORY = datetime.timedelta(days=180)


def feed_sessions(user):
    """The sessions `user`'s calendar feed shows: those they may see that ended within
    FEED_HISTORY (by the database's clock) or are still ahead."""
    return Session.objects.visible_to(user).filter(ends_at__gte=Now() - FEED_HISTORY)


def _feed_version_query(person=None, *, staff):
    return _version_rows(feed_sessions(get_user_model()(pk=person, is_coach=False, is_staff=staff)), Now())


_FEED_VERSION = {True: PreparedQuery(functools.partial(_feed_version_query, staff=True)),
                 False: PreparedQuery(functools.partial(_feed_version_query, staff=False), person=_ID)}


def feed_version(user):
    """`sessions_version(feed_sessions(user))`: one statement compiled once for staff and for anyone
    who coaches no city (a coach's is built)."""
    if user.is_staff:
        return tuple(_FEED_VERSION[True].rows())
    if not user.is_coach:
        return tuple(_FEED_VERSION[False].rows(person=user.pk))
    return tuple(_version_rows(feed_sessions(user), Now()))


_MY_MARKS = PreparedQuery(
    lambda person: _unscoped(Attendance).filter(person_id=person, day__isnull=True)
    .values_list("session_id", "status", "marked_at").order_by("session_id"),
    person=_ID)


def _city_marks_query(city):
    return (_unscoped(Attendance).filter(city_id=city, day__isnull=True).values_list("session_id", "person_id")
            .annotate(marked=Count("pk"), attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED))).order_by())


def _team_query(city):
    from cohorts.models.visibility import current_memberships

    return current_memberships().filter(city_id=city).order_by("role", "user__full_name").values_list(
        "user_id", "user__full_name", "role", "title")


def _city_sessions_state_query(city):
    """The city sessions page's three reads as rows of the same ten columns, in one statement:
    kind 0, the version of the city's sessions (`sessions_version`: cohort, status, count, ids,
    changed, invited, next end); kind 1, the version of its marks (`marks_version`: status, count,
    ids, latest); kind 2, its team now (person, name, role, title), by role and name."""
    version = union_part(_version_rows(Session.objects.filter(_of_city_id(city)), Now()), 0, i1="cohort_id",
                         i2="n", i3="ids", t1="cohort__status", t2=str, t3=str, d1="changed", d2="invited",
                         d3="next_end")
    marks = union_part(_marks_version_query(_unscoped(Attendance).filter(city_id=city, day__isnull=True)), 1,
                       i1="n", i2="ids", i3=int, t1="status", t2=str, t3=str, d1="latest", d2=datetime.datetime,
                       d3=datetime.datetime)
    team = union_part(_team_query(city), 2, i1="user_id", i2=int, i3=int, t1="user__full_name", t2="role",
                      t3="title", d1=datetime.datetime, d2=datetime.datetime, d3=datetime.datetime)
    # The team's rows by role and name, in the database's collation (as `_team_query` orders them).
    return version.union(marks, team, all=True).order_by("row_kind", "row_t2", "row_t1")


_CITY_SESSIONS_STATE = PreparedQuery(_city_sessions_state_query, city=_ID)


@dataclass(frozen=True)
class CitySessionsState:
    version: tuple  # `sessions_version` of `of_city(city)`
    marks: tuple  # the version of the city's marks (not segments), as `marks_version` reads one session's
    team: tuple  # (person id, name, role, title) of the team now, by role and name


def city_sessions_state(city):
    """What the city sessions page is keyed on, and its team, in one statement compiled once: the
    rates its marks make are read (`city_rates`) only when the page is rendered again."""
    version, marks, team = [], [], []
    for kind, i1, i2, i3, t1, t2, t3, d1, d2, d3 in _CITY_SESSIONS_STATE.rows(city=city.pk):
        if kind == 0:
            version.append((i1, t1, i2, i3, d1, d2, d3))
        elif kind == 1:
            marks.append((t1, i1, i2, d1))
        else:
            team.append((i1, t1, t2, t3))
    version.sort(key=lambda row: row[0])
    return CitySessionsState(tuple(version), tuple(marks), tuple(team))


def cohort_sessions_version(cohort):
    """`sessions_version` of all the cohort's sessions."""
    return tuple(_COHORT_VERSION.rows(cohort=cohort.pk))


def invited_version_and_marks(user):
    """(`sessions_version` of every session `user` is invited to, in any city, `my_marks(user)`),
    in one query compiled once. For a team member (neither staff nor coach) the sessions are a
    superset of what they see, which with the cities they see (part of every kept part's key,
    `agenda.page_cache`) follows each change of their sessions."""
    versions, marks = [], {}
    for kind, key, status, n, ids, changed, invited, next_end in _INVITED_VERSION.rows(person=user.pk):
        if kind == 0:
            versions.append((key, status, n, ids, changed, invited, next_end))
        else:
            marks[key] = (status, changed)
    return tuple(versions), marks


def _marks_version_query(marks):
    return (marks.order_by("status").values_list("status")
            .annotate(n=Count("pk"), ids=Sum("pk"), latest=Max("marked_at")))


# With no city limit in the scope (staff), compiled once (accelerator.prepared).
_MARKS_VERSION = PreparedQuery(
    lambda session: _marks_version_query(Attendance.objects.with_scopes_disabled().filter(session_id=session)),
    session=-7_000_003)


def marks_version(session):
    """The version of a session's marks (within the current scope), for a cache key: how many of
    each status, the sum of their ids (a mark removed and another added) and the latest. One
    grouped query."""
    if scope_city_ids() is None:
        return tuple(_MARKS_VERSION.rows(session=session.pk))
    return tuple(_marks_version_query(session.attendance.all()))


def cohort_sessions_state(cohort):
    """(count, latest change) of the cohort's sessions: one query. Changes whenever a session is
    added, edited or cancelled, so a page cached on it shows no stale session."""
    from django.db.models import Max

    state = Session.objects.filter(cohort=cohort).aggregate(n=Count("pk"), changed=Max("updated_at"))
    return state["n"], state["changed"]


def held_sessions(cohort, *, limit=24, now=None):
    """The cohort-wide sessions already held (the latest `limit`, oldest first): one query."""
    now = now or timezone.now()
    return list(
        Session.objects.filter(cohort=cohort, city__isnull=True, ends_at__lte=now)
        .exclude(status=Session.Status.CANCELLED).exclude(kind=Session.Kind.CONVENING)
        .order_by("-starts_at")[:limit]
    )[::-1]


def recent_and_upcoming(cohort, user, *, now=None):
    """The viewer's latest 8 sessions of `cohort` already over and the next 5: two queries."""
    now = now or timezone.now()
    recent = list(
        Session.objects.visible_to(user).filter(cohort=cohort, ends_at__lte=now)
        .exclude(status=Session.Status.CANCELLED).order_by("-starts_at")[:8]
    )
    return recent, upcoming_sessions(cohort, user, now=now)


def upcoming_sessions(cohort, user, *, now=None):
    """The viewer's next 5 sessions of `cohort`, with their city: one query."""
    now = now or timezone.now()
    return list(
        Session.objects.visible_to(user).filter(cohort=cohort, ends_at__gt=now)
        .exclude(status=Session.Status.CANCELLED).select_related("city").order_by("starts_at")[:5]
    )


def rates_from_marks(marks_by_city):
    """From {city_id: {session_id: [attended, marked]}} (as the cohort dashboard stores them):
    ({city_id: rate}, {session_id: rate}), rate dicts as rates_by gives them. No query."""
    def rate(attended, marked):
        return {"attended": attended, "marked": marked, "rate": round(100 * attended / marked)} if marked else None

    by_city, by_session = {}, {}
    for city_id, sessions in marks_by_city.items():
        attended = marked = 0
        for session_id, (a, m) in sessions.items():
            attended, marked = attended + a, marked + m
            total = by_session.setdefault(int(session_id), [0, 0])
            total[0], total[1] = total[0] + a, total[1] + m
        if marked:
            by_city[city_id] = rate(attended, marked)
    return by_city, {pk: rate(a, m) for pk, (a, m) in by_session.items() if m}


def my_invitation(session, user):
    """The viewer's invitation to the session, with `attended`: whether they are marked as attending
    any part of it (checked in at the desk, say), in the same query. Both within the current city
    scope, as the scoped managers read them; the mark's test is written out (`_attended_sql`),
    which costs a fraction of building the same subquery through the ORM on every view."""
    invitation = SessionInvitation._meta.db_table
    sql, params = _attended_sql(f"{invitation}.session_id", f"{invitation}.person_id", [])
    return next(iter(SessionInvitation.objects.filter(session_id=session.pk, person_id=user.pk)
                     .annotate(attended=RawSQL(sql, params, output_field=BooleanField()))[:1]), None)


def with_my_invitation(sessions, user):
    """`sessions` (a queryset) with the viewer's invitation to each joined in, read as
    `my_invitation_of(session)`: what `my_invitation` reads, in the session's own query (a person
    holds one invitation per session, so the join adds no row)."""
    cities = scope_city_ids()
    if cities == []:  # no city in scope: no invitation to read, and no session to see
        return sessions
    mine = Q(invitations__person=user) if cities is None else Q(invitations__person=user,
                                                                 invitations__city_id__in=cities)
    sql, params = _attended_sql(f"{Session._meta.db_table}.id", "%s", [user.pk])
    return sessions.annotate(
        my_invitation=FilteredRelation("invitations", condition=mine),
        my_attended=RawSQL(sql, params, output_field=BooleanField()),
    ).select_related("my_invitation")


def _session_at_query(code, person, staff):
    """The session at `code` as `visible_to` gives it to program staff (`staff`) or to a person who
    coaches no city, with their invitation and whether they attended, as `with_my_invitation` reads
    them. For such a person the cities are the visibility rule's subquery of their memberships
    (which is what their scope holds), so the statement does not change with how many they have."""
    viewer = get_user_model()(pk=person, is_coach=False, is_staff=staff)
    attended = Attendance.objects.with_scopes_disabled().filter(
        session=OuterRef("pk"), person_id=person, status__in=Attendance.ATTENDED)
    if not staff:
        attended = attended.filter(city_id__in=relations(viewer).member_city_ids)
    return (Session.objects.visible_to(viewer).filter(code=code)
            # A person holds one invitation per session, and `visible_to` lets a team's member see
            # a session only through an invitation of a city they see: that one is joined.
            .annotate(my_invitation=FilteredRelation("invitations", condition=Q(invitations__person_id=person)),
                      my_attended=Exists(attended))
            .select_related("cohort", "city", "my_invitation")[:1])


_SESSION_AT = {staff: PreparedQuery(functools.partial(_session_at_query, staff=staff),
                                    code="\x00session\x00", person=-7_000_002) for staff in (False, True)}


def session_at(user, code, general):
    """The session at `code` that `user` may see, with their invitation (`my_invitation_of`), or
    None. Staff, and a team's member whose scope holds their cities, are answered by a statement
    compiled once per process (accelerator.prepared); anyone else (a coach) by `general()`, a
    queryset of the sessions they may see."""
    if user.is_staff or (not user.is_coach and scoped_city_ids() is not None):
        found = _SESSION_AT[bool(user.is_staff)](code=code, person=user.pk)
        return found[0] if found else None
    return general().filter(code=code).first()


def my_invitation_of(session):
    """The invitation `with_my_invitation` read with `session` (None if none), with `attended`."""
    invitation = getattr(session, "my_invitation", None)
    if invitation is not None:
        invitation.attended = session.my_attended
    return invitation


def _attended_sql(session_sql, person_sql, person_params):
    """EXISTS over the marks at a session (`session_sql`, a column) of a person (`person_sql`, a
    column or a placeholder for `person_params`) that count as attending, limited to the current
    city scope as Attendance's scoped manager limits them."""
    statuses = list(Attendance.ATTENDED)
    sql = (f"EXISTS (SELECT 1 FROM {Attendance._meta.db_table} m WHERE m.session_id = {session_sql}"
           f" AND m.person_id = {person_sql} AND m.status IN ({', '.join(['%s'] * len(statuses))})")
    params = [*person_params, *statuses]
    cities = scope_city_ids()
    if cities is not None:
        if not cities:
            return "FALSE", []
        sql += f" AND m.city_id IN ({', '.join(['%s'] * len(cities))})"
        params += cities
    return sql + ")", params


# --- feedback after sessions ---------------------------------------------------------------------


def _mean(total, count):
    return round(total / count, 1) if count else None


def feedback_summary(answers):
    """Averages and the 1–5 distribution of both ratings for a SessionFeedback queryset: one query."""
    rows = answers.values("usefulness", "will_apply").annotate(n=Count("pk")).order_by()
    usefulness, will_apply, count, sums = [0] * 5, [0] * 5, 0, [0, 0]
    for row in rows:
        usefulness[row["usefulness"] - 1] += row["n"]
        will_apply[row["will_apply"] - 1] += row["n"]
        count += row["n"]
        sums[0] += row["usefulness"] * row["n"]
        sums[1] += row["will_apply"] * row["n"]

    def distribution(counts):
        return [{"score": n + 1, "count": c, "percent": round(100 * c / count) if count else 0}
                for n, c in enumerate(counts)]

    return {"count": count, "usefulness": _mean(sums[0], count), "will_apply": _mean(sums[1], count),
            "usefulness_distribution": distribution(usefulness), "will_apply_distribution": distribution(will_apply)}


def feedback_by(answers, field):
    """{value of `field`: {"count", "usefulness", "will_apply"}} for a SessionFeedback queryset: one query."""
    rows = answers.values(field).annotate(count=Count("pk"), usefulness=Avg("usefulness"),
                                          will_apply=Avg("will_apply")).order_by()
    return {r[field]: {"count": r["count"], "usefulness": round(r["usefulness"], 1),
                       "will_apply": round(r["will_apply"], 1)} for r in rows}


def feedback_comments(answers):
    return list(answers.exclude(comment="").select_related("city").order_by("-updated_at")
                .only("comment", "usefulness", "will_apply", "updated_at", "city__name", "city__language"))


def session_attendee_count(session, cities):
    """How many people of `cities` attended `session` (any segment): one query."""
    return (Attendance.objects.filter(session=session, city__in=cities, status__in=Attendance.ATTENDED)
            .values("person_id").distinct().count())


def cohort_feedback(cohort, cities):
    """The cohort's sessions that have answers from `cities`, each with its counts and averages,
    and the totals per learning goal and per kind: four queries."""
    from agenda.models import LearningGoal, SessionFeedback

    answers = SessionFeedback.objects.filter(session__cohort=cohort, city__in=cities)
    per_session = feedback_by(answers, "session_id")
    sessions = list(Session.objects.filter(pk__in=list(per_session)).select_related("city").order_by("starts_at"))
    for session in sessions:
        session.scores = per_session[session.pk]
    by_goal = feedback_by(answers, "session__learning_goal")
    by_kind = feedback_by(answers, "session__kind")
    goals = [{"key": key, "label": label, **by_goal[key]} for key, label in LearningGoal.choices if key in by_goal]
    if "" in by_goal:
        goals.append({"key": "", "label": None, **by_goal[""]})
    kinds = [{"key": key, "label": label, **by_kind[key]} for key, label in Session.Kind.choices if key in by_kind]
    return {"sessions": sessions, "by_goal": goals, "by_kind": kinds,
            "count": sum(s.scores["count"] for s in sessions)}
