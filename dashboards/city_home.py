"""The city home's "what to do next, first": the viewer's own next steps gathered from every app,
most urgent first, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from agenda import selectors as selectors_sessions
from agenda.models import Attendance, Response, Session, SessionInvitation
from coaching.models import Showcase
from coaching.selectors import decisions_waiting, open_action_items
from cohorts.models import DashboardRow
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


def next_sessions(city, user, *, limit=5, now=None):
    """The city's next sessions, each with `my_invitation` (None when the viewer is not invited)."""
    sessions = selectors_sessions.next_sessions_for_city(city, user, limit=limit, now=now)
    mine = {
        inv.session_id: inv
        for inv in SessionInvitation.objects.filter(city=city, person=user, session__in=[s.pk for s in sessions])
    }
    for session in sessions:
        session.my_invitation = mine.get(session.pk)
    return sessions


# The city home reads each list once, this long, and derives every block from it.
OPEN_ITEMS_READ = 100
SHOWCASES_READ = 50


@dataclass
class HomeData:
    """What the city home reads once and hands to its blocks (the view's context and the tags of
    other apps take it from there rather than reading it again)."""

    strategy: object | None
    decisions: list
    open_items: list
    showcases: list
    plan_missing: dict | None  # {part key: [count, first anchor]} from the stored dashboard row


def home_data(city, access, *, now=None):
    """One read of each list the city home shows, and the plan's gaps from the stored dashboard
    row when it is current (else None: the plan itself is read)."""
    now = now or timezone.now()
    strategy = Strategy.objects.filter(city=city).first()
    plan_missing = None
    if strategy is not None and strategy.is_editable and strategy.completeness < 100:
        with scopes_disabled():  # the row of the city this page resolved
            row = DashboardRow.objects.filter(city=city).first()
        if row is not None and row.is_current and row.computed_at >= now - read_model.MAX_AGE:
            plan_missing = row.data.get("plan_missing")
    return HomeData(
        strategy=strategy,
        decisions=list(decisions_waiting(city)) if access.is_mayor else [],
        open_items=list(open_action_items(city).select_related("owner__user")[:OPEN_ITEMS_READ]),
        showcases=list(city.showcases.order_by("-created_at")[:SHOWCASES_READ]),
        plan_missing=plan_missing,
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


def next_actions(city, user, access, *, now=None, data=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    data = data or home_data(city, access, now=now)
    actions = []
    if access.is_member:
        unanswered = (
            SessionInvitation.objects.filter(city=city, person=user, response=Response.PENDING,
                                             session__ends_at__gt=now)
            .exclude(session__status=Session.Status.CANCELLED)
            # Checked in already (a convening under way): she answered by coming.
            .exclude(Exists(Attendance.objects.filter(session=OuterRef("session"), city=city, person=user,
                                                      status__in=Attendance.ATTENDED)))
            .select_related("session").order_by("session__starts_at")
        )
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

