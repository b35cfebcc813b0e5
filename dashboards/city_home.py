"""The city home's "what to do next, first": the viewer's own next steps gathered from every app,
most urgent first, in a fixed number of queries."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agenda import selectors as selectors_sessions
from agenda.models import Response, Session, SessionInvitation
from coaching.models import Showcase
from coaching.selectors import decisions_waiting, open_action_items
from strategy.models import Strategy
from strategy.progress import plan_progress
from strategy.selectors import plan_tree

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
    sessions = selectors_sessions.next_sessions_for_city(city, limit=limit, now=now)
    mine = {
        inv.session_id: inv
        for inv in SessionInvitation.objects.filter(city=city, person=user, session__in=[s.pk for s in sessions])
    }
    for session in sessions:
        session.my_invitation = mine.get(session.pk)
    return sessions


def next_actions(city, user, access, *, now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    actions = []
    if access.is_member:
        unanswered = (
            SessionInvitation.objects.filter(city=city, person=user, response=Response.PENDING,
                                             session__ends_at__gt=now)
            .exclude(session__status=Session.Status.CANCELLED).select_related("session").order_by("session__starts_at")
        )
        for invitation in unanswered[:10]:
            session = invitation.session
            actions.append(NextAction(RSVP, _("Answer the invitation to “%(title)s”") % {"title": session.title},
                                      session.get_absolute_url(), session.starts_at, button=_("Answer")))
    if access.is_mayor:
        for decision in decisions_waiting(city):
            actions.append(NextAction(
                DECISION, _("Decide: %(question)s") % {"question": decision.question},
                reverse("coaching:decision_decide", kwargs={"city_slug": city.slug, "code": decision.code}),
                decision.due_on, decision.is_overdue, button=_("Decide")))
    items = open_action_items(city)
    items = items.filter(owner__user=user) if access.is_member else items.filter(due_on__lt=today)
    log_url = reverse("coaching:log", kwargs={"city_slug": city.slug})
    for item in items[:20]:
        text = item.what if access.is_member else _("%(what)s (%(owner)s)") % {
            "what": item.what, "owner": item.owner.user.full_name if item.owner else _("no owner")}
        actions.append(NextAction(ACTION_ITEM, text, log_url, item.due_on, item.is_overdue, button=_("Open")))
    if access.is_member:
        for showcase in city.showcases.filter(status=Showcase.Status.DRAFT).order_by("created_at"):
            actions.append(NextAction(SHOWCASE,
                                      _("Submit the showcase “%(title)s” for feedback") % {"title": showcase.title},
                                      showcase.get_absolute_url(), button=_("Open")))
    strategy = Strategy.objects.filter(city=city).first()
    if strategy is not None and access.is_mayor and strategy.status == Strategy.Status.ENDORSED:
        # The coach endorsed the plan: only the mayor can take it further.
        actions.append(NextAction(
            DECISION, _("Approve the data strategy: your coach endorsed it"),
            reverse("strategy:review", kwargs={"city_slug": city.slug}), strategy.status_changed_at,
            button=_("Review")))
    if strategy is not None and strategy.is_editable and strategy.completeness < 100:
        plan_url = reverse("strategy:plan", kwargs={"city_slug": city.slug})
        for part in plan_progress(plan_tree(strategy)):
            if part.missing:
                anchor = part.missing[0][1]
                actions.append(NextAction(
                    STRATEGY,
                    ngettext("Strategy: %(part)s — %(n)d thing missing", "Strategy: %(part)s — %(n)d things missing",
                             len(part.missing)) % {"part": part.label, "n": len(part.missing)},
                    f"{plan_url}#{anchor}" if anchor else plan_url, button=_("Write")))
    actions.sort(key=lambda a: a.sort_key)
    return actions


def open_items(city):
    return list(open_action_items(city)[:20])


def showcases(city):
    return list(city.showcases.order_by("-created_at")[:10])

