"""The cohort dashboard: one stored row per city the viewer may see (dashboards.read_model), the
rest derived from those rows in Python, so the page's queries do not depend on the number of
cities and no plan tree is built to show it."""

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agenda import selectors as selectors_sessions
from cohorts import selectors as cohort_selectors
from cohorts.models import City
from convening import selectors as convening_selectors
from convening.models import EligibilityReview

from . import attention, charts, read_model
from .page_state import cohort_state


@dataclass
class CityRow:
    city: City
    mayor: read_model.Person | None
    coaches: list
    attendance: dict | None
    coaching: dict
    convening: dict | None
    strategy: object | None
    strategy_parts: dict
    maturity: dict
    marks: dict = field(default_factory=dict)
    absences: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    stamp: tuple = ()  # the stored row's version and moment, for the page's cache key


    @property
    def needs_attention(self):
        return bool(self.reasons)

    @property
    def coach_emails(self):
        return {c.email for c in self.coaches}

    @property
    def maturity_baseline(self):
        return _mean(m["baseline"] for m in self.maturity.values())

    @property
    def maturity_latest(self):
        return _mean(m["latest"] for m in self.maturity.values())

    @property
    def maturity_change(self):
        pairs = [m for m in self.maturity.values() if m["baseline"] and m["latest"]]
        if not pairs:
            return None
        return round(sum(m["latest"] - m["baseline"] for m in pairs) / len(pairs), 1)

    @property
    def completeness(self):
        return self.strategy.completeness if self.strategy else 0

    @property
    def showcase_summary(self):
        counts = self.coaching["showcases"]
        return {"draft": counts.get("draft", 0), "submitted": counts.get("submitted", 0),
                "feedback": counts.get("feedback", 0)}


def _mean(values):
    values = [v for v in values if v]
    return round(sum(values) / len(values), 1) if values else None


def _strategy(city):
    try:
        return city.strategy
    except City.strategy.RelatedObjectDoesNotExist:
        return None


def city_rows(cohort, user, *, now=None, city_ids=None):
    """Every city of `cohort` the viewer may see, as CityRow with its reasons for attention, and the
    cohort's latest required convening: three queries when the stored rows are current."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cities = list(cohort_selectors.dashboard_cities(cohort, user, city_ids))
    session = convening_selectors.latest_convening(cohort.pk, required=True)
    stored, stamps = read_model.rows_data(cities, now=now)
    review_labels = {value: str(label) for value, label in EligibilityReview.State.choices}
    rows = []
    for city in cities:
        data = stored[city.pk]
        row = CityRow(
            city=city, mayor=read_model.person(data["mayor"]),
            coaches=[read_model.Person(email, name) for email, name in data["coaches"]],
            attendance=data["team_rate"],
            coaching=read_model.coaching_column(data["coaching"], cohort=cohort, today=today),
            convening=read_model.convening_column(data["convening"], session=session, now=now,
                                                  review_labels=review_labels),
            strategy=_strategy(city), strategy_parts=data["parts"],
            maturity=data["maturity"], marks=data["marks"],
            absences=[read_model.Absence(read_model.Person("", name), streak) for name, streak in data["absences"]],
            stamp=stamps[city.pk],
        )
        row.reasons = attention.reasons_for(row, cohort=cohort, today=today, now=now)
        rows.append(row)
    return session, rows


def marks_total(rows, session_ids=None):
    """[attended, marked] over `rows` (of the given sessions, or all)."""
    attended = marked = 0
    for row in rows:
        for session_id, (a, m) in row.marks.items():
            if session_ids is None or session_id in session_ids:
                attended, marked = attended + a, marked + m
    return attended, marked


def _rate(attended, marked):
    return {"attended": attended, "marked": marked, "rate": round(100 * attended / marked)} if marked else None


def session_rates(sessions, rows):
    """Sets `rate` on each session from the stored marks of `rows`."""
    for session in sessions:
        session.rate = _rate(*marks_total(rows, {str(session.pk)}))
    return sessions


# Sorting: GET `sort` names a column, `dir` is asc or desc. Missing values sort last.
SORTS = {
    "city": lambda r: r.city.name.lower(),
    "country": lambda r: r.city.country.lower(),
    "status": lambda r: r.city.get_status_display(),
    "attention": lambda r: len(r.reasons),
    "attendance": lambda r: r.attendance["rate"] if r.attendance else None,
    "checkin": lambda r: r.coaching["last_checkin"],
    "decisions": lambda r: r.coaching["open_decisions"],
    "strategy": lambda r: r.completeness,
    "maturity": lambda r: r.maturity_change,
}


def sort_rows(rows, key, descending):
    present = [r for r in rows if SORTS[key](r) is not None]
    missing = [r for r in rows if SORTS[key](r) is None]
    present.sort(key=lambda r: r.city.name.lower())
    present.sort(key=SORTS[key], reverse=descending)
    return present + sorted(missing, key=lambda r: r.city.name.lower())


@dataclass
class Filters:
    status: str = ""
    coach: str = ""
    country: str = ""
    attention: str = ""
    sort: str = "attention"
    direction: str = "desc"
    notices: list = field(default_factory=list)

    @property
    def active(self):
        return bool(self.status or self.coach or self.country or self.attention)


def parse_filters(params, rows):
    """Read the GET parameters against the choices the viewer's own rows offer; an unknown value is
    dropped with a notice (never an error, never a hint about cities the viewer cannot see)."""
    choices = filter_choices(rows)
    allowed = {
        "status": set(City.Status.values),
        "coach": {email for email, _name in choices["coaches"]},
        "country": set(choices["countries"]),
        "attention": {"yes", "no"},
        "sort": set(SORTS),
        "dir": {"asc", "desc"},
    }
    labels = {"status": _("status"), "coach": _("coach"), "country": _("country"), "attention": _("needs attention"),
              "sort": _("sort"), "dir": _("sort direction")}
    values = {}
    notices = []
    for name, valid in allowed.items():
        value = (params.get(name) or "").strip()
        if value and value not in valid:
            notices.append(_("Unknown %(filter)s “%(value)s” ignored.") % {"filter": labels[name], "value": value[:80]})
            value = ""
        values[name] = value
    sort = values["sort"] or "attention"
    direction = values["dir"] or ("desc" if sort == "attention" else "asc")
    return Filters(values["status"], values["coach"], values["country"], values["attention"], sort, direction, notices)


def filter_choices(rows):
    coaches = {}
    for row in rows:
        for coach in row.coaches:
            coaches[coach.email] = coach.full_name
    return {
        "statuses": City.Status.choices,
        "coaches": sorted(coaches.items(), key=lambda item: item[1].lower()),
        "countries": sorted({r.city.country for r in rows}),
    }


def apply_filters(rows, filters):
    if filters.status:
        rows = [r for r in rows if r.city.status == filters.status]
    if filters.coach:
        rows = [r for r in rows if filters.coach in r.coach_emails]
    if filters.country:
        rows = [r for r in rows if r.city.country == filters.country]
    if filters.attention:
        rows = [r for r in rows if r.needs_attention == (filters.attention == "yes")]
    return sort_rows(rows, filters.sort, filters.direction == "desc")


@dataclass
class Dashboard:
    cohort: object
    session: object | None
    rows: list
    all_rows: list
    total: int
    attention_count: int
    filters: Filters
    choices: dict
    now: object = None

    @property
    def headers(self):
        return {h["key"]: h for h in sort_headers(self.filters)}

    @cached_property
    def charts(self):
        """Drawn only when the page renders them (not when its cached copy is served)."""
        held = session_rates(selectors_sessions.held_sessions(self.cohort, now=self.now), self.rows)
        return {
            "attendance": charts.attendance_chart(held),
            "completeness": charts.completeness_chart(self.rows),
            "maturity": charts.maturity_chart(self.rows),
        }

    @property
    def attendance_marks(self):
        """{city_id: {session_id: [attended, marked]}} of every city the viewer sees, for the
        sessions card, so it counts nothing again."""
        return {row.city.pk: row.marks for row in self.all_rows}

    @property
    def all_cities(self):
        return [row.city for row in self.all_rows]

    @property
    def reviews(self):
        """{city_id: review} after the latest required convening, for the eligibility section."""
        return {row.city.pk: row.convening["review"] for row in self.all_rows
                if row.convening and row.convening["review"]}



# The page's rendered body is kept this long at most (and per minute: see page_state).
CACHE_SECONDS = 300


@dataclass(frozen=True)
class PageState:
    """What names the cohort page's content, read with the cohort before any row is built."""

    key: str
    cacheable: bool  # False while a row is not current: the page recomputes it and shows the result
    invitations: dict | None = None  # the invitations' state while the cohort is planned (the set-up checklist's key)

    @property
    def seconds(self):
        return CACHE_SECONDS if self.cacheable else 0


@dataclass(frozen=True)
class CohortPage:
    """The cohort at a page's address as its viewer finds it."""

    cohort: object
    city_ids: list | None  # the viewer's cities (of any cohort), None for every city
    read: dict  # the cohort's state (dashboards.page_state.cohort_state)


def cohort_page(user, slug):
    """The cohort at `slug` with its state over the viewer's cities, in one query (the viewer's
    cities as the request scope read them); None when there is no such cohort or the viewer sees
    none of its cities (staff see every cohort)."""
    city_ids = cohort_selectors.viewer_city_ids(user)
    cohort, read = cohort_state(slug, city_ids)
    if cohort is None or (city_ids is not None and not read["rows"]["cities"]):
        return None
    return CohortPage(cohort, city_ids, read)


def page_state(page, user, params, *, now=None):
    """The key of the page's content: its stored rows' versions and moments (every input of a row
    raises its version, the city's and its plan's own changes included), the cohort's sessions,
    the viewer, their language and time zone, the GET parameters and the minute (what the clock
    alone moves: "over", "since"). `page`: the CohortPage as cohort_page read it."""
    now = now or timezone.now()
    cohort, read = page.cohort, page.read
    rows = read["rows"]
    state = (
        cohort.pk, cohort.name, cohort.start_date, cohort.end_date, cohort.status, user.pk,
        translation.get_language(), timezone.get_current_timezone_name(), now.strftime("%Y%m%d%H%M"),
        sorted((k, tuple(params.getlist(k))) for k in params), rows, read["sessions"],
    )
    fresh = rows["cities"] == rows["current"] and (rows["oldest"] is None or rows["oldest"] >= now - read_model.MAX_AGE)
    return PageState(hashlib.sha256(repr(state).encode()).hexdigest(), fresh, read["invitations"])


def cohort_dashboard(cohort, user, params, *, now=None, city_ids=None):
    """The whole dashboard for a viewer and the page's GET parameters (`city_ids`: the viewer's
    cities when the page read them already, None to ask the visibility rule)."""
    now = now or timezone.now()
    session, rows = city_rows(cohort, user, now=now, city_ids=city_ids)
    filters = parse_filters(params, rows)
    shown = apply_filters(rows, filters)
    return Dashboard(
        cohort=cohort, session=session, rows=shown, all_rows=rows, total=len(rows),
        attention_count=sum(1 for r in shown if r.needs_attention), filters=filters, choices=filter_choices(rows),
        now=now,
    )


SORT_HEADERS = [
    ("city", gettext_lazy("City")), ("status", gettext_lazy("Participation and eligibility")),
    ("attendance", gettext_lazy("Senior-team attendance")), ("checkin", gettext_lazy("Coaching check-ins")),
    ("decisions", gettext_lazy("Mayor decisions")), ("strategy", gettext_lazy("Strategy")),
    ("maturity", gettext_lazy("Maturity")), ("attention", gettext_lazy("Needs attention")),
]


def sort_headers(filters):
    """(key, label, direction a click asks for, aria-sort value) per sortable column."""
    headers = []
    for key, label in SORT_HEADERS:
        current = filters.sort == key
        ascending = filters.direction == "asc"
        headers.append({
            "key": key, "label": label, "next_dir": "desc" if current and ascending else "asc",
            "aria_sort": ("ascending" if ascending else "descending") if current else None,
        })
    return headers
