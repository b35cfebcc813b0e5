"""Reads for the desk, the board and the city/cohort widgets, each in a fixed number of queries."""

import datetime
import functools
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, FilteredRelation, OuterRef, Prefetch, Q, When
from django.utils import timezone

from accelerator.prepared import PreparedQuery, PreparedSQL
from agenda.models import Attendance, Session, SessionInvitation
from cohorts.models import City, Membership, Role

from .models import CheckInCode, EligibilityReview, SurrogateAttempt
from .services.outcome import MISSING, NOT_YET, convening_outcome, segments_counted
from .services.windows import current_or_next_segment, open_segment

PRESENT, LATE, EXCUSED, MISSED, PENDING, UPCOMING = "present", "late", "excused", "missed", "pending", "upcoming"
LEFT_EARLY, REFUSED = "left_early", "refused"
ATTENDED = (PRESENT, LATE, LEFT_EARLY)
# A refused stand-in leaves the segment missed, whatever else it records.
MISSED_STATES = (MISSED, REFUSED)


def convenings():
    return Session.objects.filter(kind=Session.Kind.CONVENING)


# Every page of the convening's staff reads it first: compiled once per process.
_CONVENING_AT = PreparedQuery(lambda code: convenings().select_related("cohort").filter(code=code)[:1],
                              code="\x00convening\x00")


def convening_at(code):
    """The convening at `code`, with its cohort, or None (no such session, or not a convening)."""
    found = _CONVENING_AT(code=code)
    return found[0] if found else None


@dataclass
class Cell:
    day: object
    state: str
    row: Attendance | None = None


@dataclass
class BoardRow:
    city: City
    mayor: Membership | None
    cells: list = field(default_factory=list)
    attempts: list = field(default_factory=list)
    review: EligibilityReview | None = None


def _cell(day, row, now):
    if row is not None:
        return Cell(day, {
            Attendance.Status.PRESENT: PRESENT, Attendance.Status.LATE: LATE, Attendance.Status.LEFT_EARLY: LEFT_EARLY,
            Attendance.Status.EXCUSED: EXCUSED, Attendance.Status.ABSENT: MISSED,
            Attendance.Status.SURROGATE_REFUSED: REFUSED,
        }[row.status], row)
    if now >= day.ends_at:
        return Cell(day, MISSED)
    return Cell(day, PENDING if now >= day.starts_at else UPCOMING)


def _mayor_prefetch():
    return Prefetch(
        "memberships", queryset=Membership.objects.filter(role=Role.MAYOR).select_related("user"), to_attr="mayors"
    )


def board(session, *, now=None, cities=None):
    """Cities × segments for one convening, with surrogate attempts and eligibility reviews."""
    now = now or timezone.now()
    days = list(session.days.order_by("starts_at"))
    if cities is None:
        cities = City.objects.filter(cohort_id=session.cohort_id).exclude(status=City.Status.WITHDRAWN)
    cities = list(cities.prefetch_related(_mayor_prefetch()).order_by("name"))
    mayor_ids = [c.mayors[0].user_id for c in cities if c.mayors]
    rows = {
        (a.person_id, a.day_id): a
        for a in Attendance.objects.filter(session=session, day__isnull=False, person_id__in=mayor_ids)
        .select_related("marked_by")
    }
    attempts = {}
    for attempt in (
        SurrogateAttempt.objects.filter(session=session, city__in=cities)
        .select_related("presented_person", "recorded_by", "day", "city").order_by("recorded_at")
    ):
        attempts.setdefault(attempt.city_id, []).append(attempt)
    reviews = {r.city_id: r for r in EligibilityReview.objects.filter(session=session, city__in=cities)}
    result = []
    for city in cities:
        mayor = city.mayors[0] if city.mayors else None
        cells = [_cell(day, rows.get((mayor.user_id, day.pk)) if mayor else None, now) for day in days]
        result.append(BoardRow(city, mayor, cells, attempts.get(city.pk, []), reviews.get(city.pk)))
    return days, result


def city_board_row(session, city, *, now=None, days=None):
    """(days, BoardRow) of one city for its eligibility page: its mayor's marks per segment with
    who made them, and its refused stand-ins (the review is the page's own read). `days`: the
    segments, when the caller has them."""
    now = now or timezone.now()
    days = list(session.days.order_by("starts_at")) if days is None else list(days)
    mayor = Membership.objects.filter(city=city, role=Role.MAYOR).select_related("user").first()
    marks = {} if mayor is None else {
        row.day_id: row for row in Attendance.objects.filter(session=session, day__isnull=False,
                                                             person_id=mayor.user_id).select_related("marked_by")
    }
    attempts = list(SurrogateAttempt.objects.filter(session=session, city=city)
                    .select_related("presented_person", "recorded_by", "day").order_by("recorded_at"))
    return days, BoardRow(city, mayor, [_cell(day, marks.get(day.pk), now) for day in days], attempts)


@dataclass
class BoardLine:
    """One city's line on the live board, read as plain values."""
    name: str
    slug: str
    status: str
    mayor_name: str | None
    attempts: int
    review_state: str | None
    mayor_id: int | None
    cells: list = field(default_factory=list)

    @property
    def status_label(self):
        return City.Status(self.status).label

    @property
    def review_label(self):
        return EligibilityReview.State(self.review_state).label if self.review_state else None


@dataclass
class Board:
    days: list
    cities: object  # a Page of BoardLine
    attempts: object  # a Page of SurrogateAttempt, the latest first
    pending: int


def board_page(session, *, page=None, attempts_page=None, per_page=25, now=None, days=None):
    """The live board a page of cities at a time: every city still taking part, its mayor's mark
    per segment, its refused stand-ins and its review, and the refused stand-ins themselves, the
    latest first. Counts are over the whole cohort; the rows read are the page's. `days`: the
    segments, when the caller has them."""
    now = now or timezone.now()
    days = list(session.days.order_by("starts_at")) if days is None else list(days)
    cities = [
        BoardLine(*values) for values in
        City.objects.filter(cohort_id=session.cohort_id).exclude(status=City.Status.WITHDRAWN)
        # One row per city: a city has at most one current mayor and one review per convening.
        .annotate(mayor=FilteredRelation("memberships", condition=Q(memberships__role=Role.MAYOR,
                                                                    memberships__ended_at__isnull=True)),
                  review=FilteredRelation("eligibility_reviews", condition=Q(eligibility_reviews__session=session)),
                  attempts=Count("surrogate_attempts", filter=Q(surrogate_attempts__session=session)))
        .order_by("name")
        .values_list("name", "slug", "status", "mayor__user__full_name", "attempts", "review__state", "mayor__user_id")
    ]
    pending = sum(1 for line in cities if line.review_state == EligibilityReview.State.PENDING)
    total_attempts = sum(line.attempts for line in cities)
    cities_page = Paginator(cities, per_page).get_page(page)
    mayor_ids = [line.mayor_id for line in cities_page.object_list if line.mayor_id is not None]
    marks = {
        (person_id, day_id): _Mark(status, marked_at)
        for person_id, day_id, status, marked_at in Attendance.objects.filter(
            session=session, day__isnull=False, person_id__in=mayor_ids
        ).values_list("person_id", "day_id", "status", "marked_at")
    } if mayor_ids else {}
    for line in cities_page.object_list:
        line.cells = [_cell(day, marks.get((line.mayor_id, day.pk)), now) if line.mayor_id else _cell(day, None, now)
                      for day in days]
    attempts = Paginator(SurrogateAttempt.objects.filter(session=session).exclude(city__status=City.Status.WITHDRAWN)
                         .select_related("presented_person", "recorded_by", "city").order_by("-recorded_at"), per_page)
    attempts.count = total_attempts  # known from the cities' counts: no COUNT query
    return Board(days, cities_page, attempts.get_page(attempts_page), pending)


@dataclass
class DeskRow:
    city_name: str
    mayor_name: str
    cell: Cell | None
    attempted: bool


@dataclass
class DeskState:
    days: list
    segment: object | None
    is_open: bool
    rows: list
    checked_in: int
    missing: int
    team_checked_in: int
    attempts: int


@dataclass
class _Mark:
    """The part of a ledger row a desk cell shows."""
    status: str
    marked_at: object


def desk_state(session, *, now=None, days=None):
    """The segment to show at the desk and who is in or missing for it: each current mayor of the
    cohort's cities still taking part (a city without one has no one to wait for), the ones still
    missing first. Four plain reads however many cities (three with the segments, `days`, given)."""
    now = now or timezone.now()
    days = list(session.days.order_by("starts_at")) if days is None else list(days)
    segment = current_or_next_segment(days, now)
    is_open = segment is not None and open_segment(days, now) == segment
    # Every current mayor of the cohort's cities, a withdrawn city's too: none of them counts as a
    # team member (the same person may have been on a team in another cohort).
    mayors = list(
        Membership.objects.filter(city__cohort_id=session.cohort_id, role=Role.MAYOR).order_by()
        .values_list("user_id", "city_id", "city__status", "city__name", "user__full_name")
    )
    marks = {} if segment is None else {
        person_id: _Mark(status, marked_at) for person_id, status, marked_at in
        Attendance.objects.filter(session=session, day=segment).values_list("person_id", "status", "marked_at")
    }
    attempted = [city_id for city_id, status in SurrogateAttempt.objects.filter(session=session)
                 .values_list("city_id", "city__status") if status != City.Status.WITHDRAWN]
    attempted_cities = set(attempted)
    mayor_ids = {user_id for user_id, *_rest in mayors}
    team = sum(1 for person_id, mark in marks.items()
               if person_id not in mayor_ids and mark.status in Attendance.ATTENDED)
    rows, checked_in = [], 0
    for user_id, city_id, city_status, city_name, mayor_name in mayors:
        if city_status == City.Status.WITHDRAWN:
            continue
        cell = None
        if segment is not None:
            cell = _cell(segment, marks.get(user_id), now)
            checked_in += cell.state in (PRESENT, LATE)
        rows.append(DeskRow(city_name, mayor_name, cell, city_id in attempted_cities))
    # Who is still missing comes first: that is who the desk is waiting for.
    rows.sort(key=lambda row: (row.cell is not None and row.cell.state in (PRESENT, LATE), row.city_name))
    return DeskState(days, segment, is_open, rows, checked_in, len(rows) - checked_in, team, len(attempted))


def desk_search(session, query, *, limit=20):
    """People of the convening's cities matching a name, email or city, mayors first."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    invitation = SessionInvitation.objects.filter(session=session, person_id=OuterRef("user_id"))
    people = list(
        Membership.objects.filter(city__cohort_id=session.cohort_id)
        .exclude(city__status=City.Status.WITHDRAWN)
        .filter(Q(user__full_name__icontains=query) | Q(user__email__icontains=query) | Q(city__name__icontains=query))
        .annotate(has_invitation=Exists(invitation))  # in the same query, not one more
        .select_related("user", "city")
        .only("code", "role", "title", "ended_at", "user__full_name", "city__name")
        # Each city's mayor first, then her team by name.
        .order_by("city__name", Case(When(role=Role.MAYOR, then=0), default=1), "user__full_name")[:limit]
    )
    for membership in people:
        membership.invited = membership.is_mayor or membership.has_invitation
    return people


@dataclass
class CodeLine:
    """One mayor on the codes page, read as plain values."""
    city_name: str
    mayor_name: str
    person: str  # the membership's public code, which the reissue form posts
    code: str | None
    issued_at: object
    replaced: int


def code_lines(session):
    """Every expected mayor (of the cohort's cities still taking part), with their active code,
    when it was issued and how many codes it replaced: one plain read (a person holds at most one
    active code per convening, so the join adds no row)."""
    this = Q(user__checkin_codes__session=session)
    return [
        CodeLine(*values) for values in
        Membership.objects.filter(city__cohort_id=session.cohort_id, role=Role.MAYOR)
        .exclude(city__status=City.Status.WITHDRAWN)
        .annotate(active=FilteredRelation("user__checkin_codes",
                                          condition=this & Q(user__checkin_codes__revoked_at__isnull=True)),
                  replaced=Count("user__checkin_codes", filter=this & Q(user__checkin_codes__revoked_at__isnull=False)))
        .order_by("city__name")
        .values_list("city__name", "user__full_name", "code", "active__code", "active__issued_at", "replaced")
    ]


def latest_convening(cohort_id, *, required=False):
    sessions = convenings().filter(cohort_id=cohort_id).exclude(status=Session.Status.CANCELLED)
    if required:  # a practice run (not required) says nothing about a city's participation
        sessions = sessions.filter(required=True)
    return sessions.order_by("-starts_at").first()


def city_convening_status(city, *, team=None, now=None):
    """The mayor's convening status for a city's home, in three or four queries: the convening
    under way or next (whose code the mayor needs), else the latest required one (whose outcome
    decides the city's participation), with its days, the mayor's marks and the city's review on
    it. The mayor comes from `team`, the memberships the page read already (None: read here);
    refused stand-ins are not shown on the home, so not read."""
    now = now or timezone.now()
    candidates = list(
        convenings().filter(cohort_id=city.cohort_id).exclude(status=Session.Status.CANCELLED)
        .filter(Q(ends_at__gt=now) | Q(required=True)).prefetch_related("days")
    )
    ahead = sorted((s for s in candidates if s.ends_at > now), key=lambda s: s.starts_at)
    required = sorted((s for s in candidates if s.required), key=lambda s: s.starts_at)
    session = ahead[0] if ahead else (required[-1] if required else None)
    if session is None:
        return None
    days = sorted(session.days.all(), key=lambda d: d.starts_at)
    if team is None:
        team = Membership.objects.filter(city=city, role=Role.MAYOR).select_related("user")
    mayor = next((m for m in team if m.role == Role.MAYOR), None)
    marks = {} if mayor is None else {
        mark.day_id: mark for mark in Attendance.objects.filter(session=session, day__isnull=False,
                                                                person_id=mayor.user_id).select_related("marked_by")
    }
    review = EligibilityReview.objects.filter(session=session, city=city).first()
    row = BoardRow(city, mayor, [_cell(day, marks.get(day.pk), now) for day in days], review=review)
    return {"session": session, "days": days, "row": row, "review": review, "now": now}


def cohort_eligibility(cohort, cities):
    """{city_id: EligibilityReview} for the cohort's latest required convening, and that convening."""
    session = latest_convening(cohort.pk, required=True)
    if session is None:
        return None, {}
    reviews = {
        r.city_id: r for r in EligibilityReview.objects.filter(session=session, city_id__in=[c.pk for c in cities])
    }
    return session, reviews


def dashboard_columns(cohort, cities, *, now=None):
    """The convening columns of the cohort dashboard for the latest required convening of `cohort`:
    (session or None, {city_id: {"row": BoardRow, "review", "attended", "missed", "required",
    "over"}}), in the board's fixed number of queries. `cities` is a City queryset."""
    now = now or timezone.now()
    session = latest_convening(cohort.pk, required=True)
    if session is None:
        return None, {}
    _days, rows = board(session, now=now, cities=cities)
    over = session.ends_at <= now
    columns = {}
    for row in rows:
        required = [c for c in row.cells if c.day.required]
        columns[row.city.pk] = {
            "row": row, "review": row.review, "over": over, "has_mayor": row.mayor is not None,
            "attended": sum(1 for c in required if c.state in ATTENDED),
            "missed": [c.day.label for c in required if c.state in MISSED_STATES],
            "required": len(required),
        }
    return session, columns


def ledger_contradictions(session, *, now=None):
    """Every place where the convening's ledger disagrees with itself, as readable lines (empty when
    it is consistent): an outcome that is not what its segments and the city's decision give, a
    refused stand-in on anyone but a mayor or without its operator, a city held out while its
    mayor's outcome says she attended. For staff's checks and the tests."""
    now = now or timezone.now()
    days = list(session.days.order_by("starts_at"))
    counted = segments_counted(session, days)
    rows = list(Attendance.objects.filter(session=session).select_related("person", "day"))
    marks = {(a.person_id, a.day_id): a for a in rows if a.day_id is not None}
    outcomes = {a.person_id: a for a in rows if a.day_id is None}
    mayors = dict(Membership.objects.filter(role=Role.MAYOR, city__cohort_id=session.cohort_id)
                  .values_list("user_id", "city_id"))
    reviews = {r.city_id: r for r in EligibilityReview.objects.filter(session=session)}
    problems = []
    people = {a.person_id: a.person for a in rows}
    for person_id, person in people.items():
        review = reviews.get(mayors.get(person_id)) if person_id in mayors else None
        restored = review is not None and review.state in EligibilityReview.RESTORED
        statuses = []
        for day in counted:
            mark = marks.get((person_id, day.pk))
            statuses.append(mark.status if mark else (MISSING if now >= day.ends_at else NOT_YET))
        derived = convening_outcome(statuses, restored=restored) if days else None
        held = outcomes.get(person_id)
        if days and (held.status if held else None) != derived:
            problems.append(f"{person}: the convening reads {held.status if held else 'nothing'} "
                            f"but the segments {statuses} give {derived}")
        held_out = review is not None and review.state in (EligibilityReview.State.PENDING,
                                                           EligibilityReview.State.CONFIRMED)
        if held_out and held is not None and held.status in Attendance.ATTENDED:
            problems.append(f"{person}: {review.get_state_display()} though the convening reads {held.status}")
    for row in rows:
        if row.status != Attendance.Status.SURROGATE_REFUSED or row.day_id is None:
            continue
        if row.person_id not in mayors:
            problems.append(f"{row.person}: a refused stand-in on a row that is not a mayor's")
        if row.marked_by_id is None or row.source != Attendance.Source.DESK:
            problems.append(f"{row.person}: a refused stand-in without the desk operator who refused it")
    return problems


# --- versions for the kept desk, board, codes and eligibility pages ------------------------------


@functools.cache
def _ledger_statement():
    """One statement, portable (PostgreSQL and SQLite), over what the convening's staff pages show:
    rows of (part, name, number, ids, first moment, second moment); its values are the session
    five times, then the cohort twice. Prepared on the server once per connection."""
    from agenda.models import ConveningDay

    day, mark = ConveningDay._meta.db_table, Attendance._meta.db_table
    attempt, review = SurrogateAttempt._meta.db_table, EligibilityReview._meta.db_table
    code, member, city = CheckInCode._meta.db_table, Membership._meta.db_table, City._meta.db_table
    return PreparedSQL("convening_ledger", f"""
        SELECT 'day', label, id, CASE WHEN required THEN 1 ELSE 0 END, starts_at, ends_at, code
          FROM {day} WHERE session_id = %s
        UNION ALL SELECT 'mark', status, COUNT(*), SUM(id), MAX(marked_at), NULL, NULL
          FROM {mark} WHERE session_id = %s GROUP BY status
        UNION ALL SELECT 'attempt', '', COUNT(*), SUM(id), MAX(recorded_at), NULL, NULL
          FROM {attempt} WHERE session_id = %s
        UNION ALL SELECT 'review', state, COUNT(*), SUM(id), MAX(decided_at), MAX(created_at), NULL
          FROM {review} WHERE session_id = %s GROUP BY state
        UNION ALL SELECT 'code', '', COUNT(*), SUM(id), MAX(issued_at), MAX(revoked_at), NULL
          FROM {code} WHERE session_id = %s
        UNION ALL SELECT 'member', role, COUNT(*), SUM(id), MAX(joined_at), MAX(ended_at), NULL
          FROM {member} WHERE cohort_id = %s GROUP BY role
        UNION ALL SELECT 'city', status, COUNT(*), SUM(id), NULL, NULL, NULL
          FROM {city} WHERE cohort_id = %s GROUP BY status
        ORDER BY 1, 2, 3""")


def _moment(value):
    """A moment as a plain cursor gives it (SQLite: naive, or text, in UTC) as an aware datetime."""
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


@dataclass(frozen=True)
class LedgerVersion:
    """What the convening's staff pages show, as a cache key (see `ledger_version`), and the
    convening's segments, which it reads whole."""
    rows: tuple
    days: tuple  # the segments (ConveningDay), by start

    def phase(self, now):
        """Where `now` stands in the segments (each one's desk open, started, ended): the only way
        the clock changes what these pages show."""
        from .services.windows import OPENS_BEFORE

        return tuple((now >= d.starts_at - OPENS_BEFORE, now >= d.starts_at, now >= d.ends_at) for d in self.days)


def ledger_version(session):
    """The version of everything the desk, the board, the codes page and the eligibility page show
    of `session`, in one query: its segments (read whole, so the pages need not read them again),
    its marks per status, refused stand-ins, reviews per state and check-in codes, and its
    cohort's memberships per role and cities per status, each as a count, the sum of their ids
    and their latest change. A mark, an attempt, a decision, a code, a team change or a withdrawal
    makes a new version; a name corrected in place shows when the kept copy expires
    (`accelerator.caching`)."""
    from agenda.models import ConveningDay

    rows = tuple(tuple(row) for row in _ledger_statement().rows([session.pk] * 5 + [session.cohort_id] * 2))
    days = sorted((
        ConveningDay(id=pk, session_id=session.pk, label=label, required=bool(required),
                     starts_at=_moment(starts), ends_at=_moment(ends), code=code)
        for part, label, pk, required, starts, ends, code in rows if part == "day"
    ), key=lambda day: day.starts_at)
    return LedgerVersion(tuple(tuple(str(value) for value in row) for row in rows), tuple(days))
