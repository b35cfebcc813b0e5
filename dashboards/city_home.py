"""The city home's "what to do next, first": the viewer's own next steps gathered from every app,
most urgent first, in a fixed number of queries."""

import functools
import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from accelerator.prepared import PreparedQuery
from agenda import selectors as selectors_sessions
from agenda.models import Attendance, Response, Session, SessionInvitation
from coaching.models import ActionItem, MayorDecision, Showcase
from coaching.selectors import decisions_waiting, open_action_items
from cohorts import selectors as cohort_selectors
from cohorts.models import City, Membership, RoleInvitation
from completion.models import DEFAULT_ATTENDANCE_THRESHOLD, CityOutcome, CompletionSettings
from completion.selectors import OutcomeRow, city_outcome, cohort_has_ended
from completion.services.outcomes import Derivation
from convening.models import CheckInCode
from strategy.guide import PLAN_PARTS
from strategy.models import Strategy
from strategy.progress import plan_progress
from strategy.selectors import plan_tree

from . import read_model

# Lower comes first among items equally urgent.
RSVP, DECISION, ACTION_ITEM, SHOWCASE, STRATEGY = range(5)


@dataclass
class NextAction:
    kind: int
    text: str
    url: str
    due: object | None = None
    overdue: bool = False
    button: str = ""

    @property
    def sort_key(self):
        # Overdue first, then by kind, then the earliest due date.
        due = self.due.date() if hasattr(self.due, "date") else self.due
        return (not self.overdue, self.kind, due is None, due or timezone.localdate())



@dataclass(frozen=True)
class HomeState:
    """What names the city home's content for one viewer, read in one query before anything else,
    with the plan and the stored dashboard row that came along (the page reads neither again)."""

    key: str
    cacheable: bool  # False while the city has no stored dashboard row (no version to follow)
    strategy: object | None
    row: object | None
    outcome: object | None = None  # the city's confirmed outcome, read along once the cohort has ended
    threshold: int | None = None  # the cohort's attendance threshold setting (None: the default), likewise


def _latest(model, stamp, **where):
    """The latest moment of `stamp` (an SQL expression over `model`'s columns) among its rows
    matching `where`, as a subquery written out: the ORM takes longer to build and compile this
    query than the database takes to answer it, on a page that reads nothing else when kept."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = " AND ".join(f"{connection.ops.quote_name(model._meta.get_field(name).column)} = %s" for name in where)
    return RawSQL(f"SELECT MAX({stamp}) FROM {table} WHERE {columns}", tuple(where.values()))


def _related(city, name):
    try:
        return getattr(city, name)
    except City._meta.get_field(name).related_model.DoesNotExist:
        return None


_HOME_STATES = {}


def _stamp_names(kinds):
    mayor, manages, ended = kinds
    return ("answers", *(("codes",) if mayor else ()), *(("joining",) if manages else ()),
            *(("confirmed", "threshold") if ended else ()))


def _home_state_query(city, person, cohort=None, *, kinds):
    # Each event stamps its own moment (invited, answered; issued; invited, accepted, revoked), so
    # the latest of them moves with every one. A mayor's code is on her page; who manages the city
    # sees the set-up checklist; once the cohort has ended, the city's outcome (staff confirm it,
    # settings weigh in).
    stamps = {
        "answers": lambda: _latest(SessionInvitation, "COALESCE(responded_at, created_at)", city=city, person=person),
        "codes": lambda: _latest(CheckInCode, "issued_at", city=city, person=person),
        "joining": lambda: _latest(RoleInvitation, "COALESCE(revoked_at, accepted_at, created_at)", city=city),
        "confirmed": lambda: _latest(CityOutcome, "confirmed_at", city=city),
        "threshold": lambda: _latest(CompletionSettings, "attendance_threshold", cohort=cohort),
    }
    related = ["dashboard_row", "strategy", *(["outcome"] if kinds[2] else [])]
    return (City.objects.filter(pk=city).select_related(*related)
            .annotate(**{name: stamps[name]() for name in _stamp_names(kinds)})[:1])


def _home_state_statement(kinds):
    """The state's query for one kind of viewer (a mayor, who manages the city, the cohort
    ended), compiled once per process (accelerator.prepared)."""
    prepared = _HOME_STATES.get(kinds)
    if prepared is None:
        stand_ins = {"city": -7_000_011, "person": -7_000_012, **({"cohort": -7_000_013} if kinds[2] else {})}
        prepared = _HOME_STATES.setdefault(kinds, PreparedQuery(functools.partial(_home_state_query, kinds=kinds),
                                                                **stand_ins))
    return prepared


def home_state(city, user, access, *, now=None):
    """The key of the city home's content for this viewer, in one query. The city's dashboard row
    version is raised by every change the page shows (the team, coaches, sessions, attendance,
    the convening, coaching, the plan, the outcome); what raises no version is read beside it:
    the plan's own row, the viewer's invitations and answers, the viewer's check-in codes, the
    invitations to join the city (the set-up checklist), and once the cohort has ended the city's
    confirmed outcome and the attendance threshold. The viewer, their relation to the
    city, their language and time zone and the minute (what the clock alone moves: overdue,
    under way, the next sessions) complete it."""
    now = now or timezone.now()
    ended = cohort_has_ended(city.cohort)
    kinds = (access.is_mayor, user.has_perm("cohorts.manage_city", city), ended)
    values = {"city": city.pk, "person": user.pk, **({"cohort": city.cohort_id} if ended else {})}
    with scopes_disabled():  # the row of the city this page resolved
        read = _home_state_statement(kinds)(**values)[0]
    row, strategy = _related(read, "dashboard_row"), _related(read, "strategy")
    cohort = city.cohort
    key = (
        [getattr(city, f.attname) for f in City._meta.concrete_fields],
        (row.version, row.computed_at) if row else None,
        [getattr(strategy, f.attname) for f in type(strategy)._meta.concrete_fields] if strategy else None,
        [getattr(read, name) for name in _stamp_names(kinds)],
        cohort.pk, cohort.name, cohort.status, cohort.start_date, cohort.end_date,
        user.pk, access.relation, access.membership.pk if access.membership else None, access.is_mayor,
        translation.get_language(), timezone.get_current_timezone_name(), now.strftime("%Y%m%d%H%M"),
    )
    return HomeState(hashlib.sha256(repr(key).encode()).hexdigest(), row is not None, strategy, row,
                     outcome=_related(read, "outcome") if ended else None,
                     threshold=read.threshold if ended else None)


def my_invitations(city, user, *, now):
    """The viewer's invitations to the city's sessions still ahead or under way (not cancelled),
    each with its session and `attended` (checked in already: a convening under way). One query
    serves both the answers still owed and the badges on the next sessions."""
    return list(
        SessionInvitation.objects.filter(city=city, person=user, session__ends_at__gt=now)
        .exclude(session__status=Session.Status.CANCELLED)
        .annotate(attended=Exists(Attendance.objects.filter(session=OuterRef("session"), city=city, person=user,
                                                            status__in=Attendance.ATTENDED)))
        .select_related("session").order_by("session__starts_at")
    )


def next_sessions(city, user, *, data, limit=5, now=None):
    """The city's next sessions, each with `my_invitation` (None when the viewer is not invited)."""
    sessions = selectors_sessions.next_sessions_for_city(city, user, limit=limit, now=now)
    mine = {inv.session_id: inv for inv in data.invitations}
    for session in sessions:
        session.my_invitation = mine.get(session.pk)
    return sessions


# The city home reads each list once, this long, and derives every block from it.
OPEN_ITEMS_READ = read_model.HOME_ITEMS
SHOWCASES_READ = read_model.HOME_SHOWCASES


@dataclass
class HomeData:
    """What the city home reads once and hands to its blocks (the view's context and the tags of
    other apps take it from there rather than reading it again)."""

    strategy: object | None
    team: list
    coaches: list
    decisions: list
    open_items: list
    showcases: list
    plan_missing: dict | None  # {part key: [count, first anchor]} from the stored dashboard row
    invitations: list  # the viewer's, to sessions not over yet (see my_invitations)
    outcome: object | None = None  # once the cohort has ended: the city's OutcomeRow


def stored_data(state, cohort, *, now):
    """The stored dashboard row's data when the row may be shown (`read_model.row_usable`), else
    None (the page then reads what it shows itself)."""
    return state.row.data if read_model.row_usable(state.row, cohort, now) else None


def _date(value):
    return parse_date(value) if value else None


def _person(user_id, full_name):
    return get_user_model()(pk=user_id, full_name=full_name)


def stored_lists(city, home):
    """The lists of the stored row's "home" part (see read_model.home_lists) as the model objects
    the blocks show, unsaved and with nothing left to read."""
    return {
        "team": [Membership(pk=pk, city=city, role=role, title=title, user=_person(user_id, name))
                 for pk, role, title, user_id, name in home["team"]],
        "coaches": [read_model.Person(email, name) for email, name in home["coaches"]],
        "decisions": [MayorDecision(city=city, code=code, question=question, due_on=_date(due_on),
                                    status=MayorDecision.Status.PENDING)
                      for code, question, due_on in home["decisions"]],
        "open_items": [ActionItem(city=city, code=code, what=what, status=status, due_on=_date(due_on),
                                  owner=Membership(pk=owner_id, city=city, user=_person(user_id, name))
                                  if owner_id else None)
                       for code, what, status, due_on, owner_id, user_id, name in home["items"]],
        "showcases": [Showcase(city=city, code=code, title=title, status=status,
                               created_at=parse_datetime(created_at))
                      for code, title, status, created_at in home["showcases"]],
    }


def _outcome(city, state, stored):
    """The city's OutcomeRow: the derivation stored in the row when it was made under the threshold
    in force (the confirmed outcome came with the page's state), else derived now."""
    derived = (stored or {}).get("outcome")
    threshold = state.threshold if state.threshold is not None else DEFAULT_ATTENDANCE_THRESHOLD
    if derived is None or derived["threshold"] != threshold:
        return city_outcome(city)
    return OutcomeRow(city, Derivation(city, derived["outcome"], derived["reasons"]), state.outcome)


def home_data(city, user, access, *, state, now=None):
    """One read of each list the city home shows, or none when the stored dashboard row is current
    (it holds the city's lists, the plan's gaps and, once the cohort has ended, the outcome); the
    plan comes from `state`, the viewer's own invitations are always read."""
    now = now or timezone.now()
    strategy = state.strategy
    stored = stored_data(state, city.cohort, now=now)
    plan_missing = None
    if strategy is not None and strategy.is_editable and strategy.completeness < 100 and stored is not None:
        plan_missing = stored.get("plan_missing")
    if stored is not None and "home" in stored:
        lists = stored_lists(city, stored["home"])
    else:
        lists = {
            "team": list(cohort_selectors.city_team(city)),
            "coaches": cohort_selectors.city_coaches(city),
            "decisions": list(decisions_waiting(city)) if access.is_mayor else [],
            "open_items": list(open_action_items(city).select_related("owner__user")[:OPEN_ITEMS_READ]),
            "showcases": list(city.showcases.order_by("-created_at")[:SHOWCASES_READ]),
        }
    if not access.is_mayor:
        lists["decisions"] = []
    return HomeData(
        strategy=strategy, **lists, plan_missing=plan_missing, invitations=my_invitations(city, user, now=now),
        outcome=_outcome(city, state, stored) if cohort_has_ended(city.cohort) else None,
    )


def _strategy_actions(city, strategy, plan_missing):
    plan_url = reverse("strategy:plan", kwargs={"city_slug": city.slug})
    if plan_missing is None:  # no current stored row: count from the plan itself
        plan_missing = {p.key: [len(p.missing), p.missing[0][1]] for p in plan_progress(plan_tree(strategy))
                        if p.missing}
    actions = []
    for key, label in PLAN_PARTS:
        count, anchor = plan_missing.get(key, [0, ""])
        if count:
            actions.append(NextAction(
                STRATEGY,
                ngettext("Strategy: %(part)s — %(n)d thing missing", "Strategy: %(part)s — %(n)d things missing",
                         count) % {"part": label, "n": count},
                f"{plan_url}#{anchor}" if anchor else plan_url, button=_("Write")))
    return actions


def next_actions(city, user, access, *, data, now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    actions = []
    if access.is_member:
        # Checked in already (a convening under way): she answered by coming.
        unanswered = [inv for inv in data.invitations if inv.response == Response.PENDING and not inv.attended]
        for invitation in unanswered[:10]:
            session = invitation.session
            actions.append(NextAction(RSVP, _("Answer the invitation to “%(title)s”") % {"title": session.title},
                                      session.get_absolute_url(), session.starts_at, button=_("Answer")))
    if access.is_mayor:
        for decision in data.decisions:
            actions.append(NextAction(
                DECISION, _("Decide: %(question)s") % {"question": decision.question},
                reverse("coaching:decision_decide", kwargs={"city_slug": city.slug, "code": decision.code}),
                decision.due_on, decision.is_overdue, button=_("Decide")))
    if access.is_member:
        items = [i for i in data.open_items if i.owner is not None and i.owner.user_id == user.pk]
    else:
        items = [i for i in data.open_items if i.due_on < today]
    log_url = reverse("coaching:log", kwargs={"city_slug": city.slug})
    for item in items[:20]:
        text = item.what if access.is_member else _("%(what)s (%(owner)s)") % {
            "what": item.what, "owner": item.owner.user.full_name if item.owner else _("no owner")}
        actions.append(NextAction(ACTION_ITEM, text, log_url, item.due_on, item.is_overdue, button=_("Open")))
    if access.is_member:
        drafts = sorted((s for s in data.showcases if s.status == Showcase.Status.DRAFT), key=lambda s: s.created_at)
        for showcase in drafts:
            actions.append(NextAction(SHOWCASE,
                                      _("Submit the showcase “%(title)s” for feedback") % {"title": showcase.title},
                                      showcase.get_absolute_url(), button=_("Open")))
    strategy = data.strategy
    if strategy is not None and access.is_mayor and strategy.status == Strategy.Status.ENDORSED:
        # The coach endorsed the plan: only the mayor can take it further.
        actions.append(NextAction(
            DECISION, _("Approve the data strategy: your coach endorsed it"),
            reverse("strategy:review", kwargs={"city_slug": city.slug}), strategy.status_changed_at,
            button=_("Review")))
    if strategy is not None and strategy.is_editable and strategy.completeness < 100:
        actions += _strategy_actions(city, strategy, data.plan_missing)
    actions.sort(key=lambda a: a.sort_key)
    return actions


def open_items(data):
    return data.open_items[:20]


def showcases(data):
    return data.showcases[:10]

