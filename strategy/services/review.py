"""The review workflow: draft → submitted → changes requested | endorsed → approved by the mayor
and published; amending a published plan starts the next edition. Every transition is audited
and emailed to the people it concerns."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from accelerator.outbox.services import mail_send
from cohorts.services.dashboard_rows import dashboard_rows_changed

from ..models import PublishedEdition, Strategy
from ..progress import plan_progress

S = Strategy.Status


class Transition:
    """One step of the workflow; `permission` (in strategy/rules.py, on the city) says who may take it."""

    def __init__(self, name, label, sources, target, permission, template, subject, needs_message=False):
        self.name, self.label, self.sources, self.target = name, label, sources, target
        self.permission, self.template, self.subject, self.needs_message = permission, template, subject, needs_message


TRANSITIONS = {
    t.name: t for t in (
        Transition("submit", gettext_lazy("Submit to the coach"), (S.DRAFT, S.CHANGES_REQUESTED), S.SUBMITTED,
                   "strategy.submit", "emails/strategy_submitted.txt",
                   gettext_lazy("%(city)s submitted its data strategy")),
        Transition("request_changes", gettext_lazy("Request changes"), (S.SUBMITTED,), S.CHANGES_REQUESTED,
                   "strategy.request_changes", "emails/strategy_changes_requested.txt",
                   gettext_lazy("Your coach asked for changes to %(city)s's data strategy"), needs_message=True),
        Transition("endorse", gettext_lazy("Endorse for the mayor's approval"), (S.SUBMITTED,), S.ENDORSED,
                   "strategy.endorse", "emails/strategy_endorsed.txt",
                   gettext_lazy("%(city)s's data strategy is endorsed and awaits the mayor's approval")),
        Transition("approve", gettext_lazy("Approve and publish"), (S.ENDORSED,), S.PUBLISHED,
                   "strategy.approve", "emails/strategy_published.txt",
                   gettext_lazy("%(city)s's data strategy is published")),
        Transition("amend", gettext_lazy("Amend: start a new edition"), (S.PUBLISHED,), S.DRAFT,
                   "strategy.amend", "emails/strategy_amended.txt",
                   gettext_lazy("%(city)s started a new edition of its data strategy")),
    )
}


def available_transitions(strategy, *, city, actor):
    """The steps `actor` may take now, given where the plan stands."""
    return [t for t in TRANSITIONS.values() if strategy.status in t.sources and actor.has_perm(t.permission, city)]


def submission_problems(strategy):
    from ..selectors import plan_tree

    return [problem for part in plan_progress(plan_tree(strategy)) for problem in part.missing]


def _recipients(city, transition):
    from cohorts.models.visibility import current_memberships
    from cohorts.selectors import city_coaches

    members = list(current_memberships().filter(city=city).select_related("user"))
    team = [m.user for m in members]
    mayor = [m.user for m in members if m.role == "mayor"]
    coaches = city_coaches(city)
    return {
        "submit": coaches,
        "request_changes": team,
        "endorse": team,  # the mayor is on the team and is the one asked to approve
        "approve": team + coaches,
        "amend": coaches + mayor,
    }[transition.name]


def _notify(*, city, transition, actor, message, event):
    """Queue the step's message to each person it concerns (never the actor); each reads it in
    their own language."""
    mail_send(
        f"strategy.{transition.name}", to=[p for p in _recipients(city, transition) if p != actor], city=city,
        key=f"strategy-step:{event.pk}",
        context={"city": city, "actor": actor, "message": message,
                 "url": settings.SITE_URL + reverse("strategy:plan", kwargs={"city_slug": city.slug})},
    )


def strategy_transition(*, city, actor, name, message="", notify=True):
    """Move the plan along the workflow. Raises RuleViolation when the step is not allowed now."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise RuleViolation(_("Unknown step."))
    if not actor.has_perm(transition.permission, city):
        raise RuleViolation(_("You may not take this step."))
    message = (message or "").strip()
    if transition.needs_message and not message:
        raise RuleViolation(_("Say what should change, so the team knows what to do."), field="message")
    with transaction.atomic():
        strategy = Strategy.objects.select_for_update().get(city=city)
        if strategy.status not in transition.sources:
            raise RuleViolation(
                _("The plan is %(status)s; this step is not possible now.")
                % {"status": strategy.get_status_display().lower()}
            )
        if name == "submit":
            problems = submission_problems(strategy)
            if problems:
                raise RuleViolation(
                    ngettext(
                        "The plan is not complete yet: %(count)s thing to fill in before it can be submitted.",
                        "The plan is not complete yet: %(count)s things to fill in before it can be submitted.",
                        len(problems),
                    ) % {"count": len(problems)}, field="plan",
                )
        before = strategy.status
        now = timezone.now()
        strategy.status, strategy.status_changed_at = transition.target, now
        if name == "approve":
            from ..selectors import plan_tree

            PublishedEdition.objects.create(city=city, strategy=strategy, edition=strategy.edition,
                                            content=plan_tree(strategy), approved_by=actor, published_at=now)
        if name == "amend":
            strategy.edition += 1
        strategy.save(update_fields=["status", "status_changed_at", "edition"])
        dashboard_rows_changed(city_ids=[strategy.city_id])
        event = audit_record(
            city=city, actor=actor, action=f"strategy.{name}",
            reason=message, data={"edition": strategy.edition, "from": before, "to": transition.target},
        )
        if notify:
            _notify(city=city, transition=transition, actor=actor, message=message, event=event)
    return strategy
