"""Decisions put to a city's mayor."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from accelerator.outbox.services import mail_send
from cohorts.services.dashboard_rows import dashboard_rows_changed

from ..models import MayorDecision
from . import notify


def decision_raise(*, city, actor, question, context, options="", due_on, session=None):
    if due_on < timezone.localdate():
        raise RuleViolation(_("The date the decision is needed by cannot be in the past."), field="due_on")
    if session is not None and (session.city_id != city.pk or session.kind != session.Kind.CHECKPOINT):
        raise RuleViolation(_("Choose a mayor checkpoint of this city."), field="session")
    with transaction.atomic():
        decision = MayorDecision.objects.create(
            city=city, raised_by=actor, question=question, context=context, options=options, due_on=due_on,
            session=session,
        )
        dashboard_rows_changed(city_ids=[city.pk])
        audit_record(
            city=city, actor=actor, action="coaching.decision_raised",
            data={"decision": decision.code, "question": question[:300]},
        )
        mayor = notify.city_mayor(city)
        mail_send(
            "coaching.decision_requested", to=[mayor] if mayor and mayor != actor else [], city=city,
            key=f"decision-requested:{decision.pk}",
            context={"decision": decision, "city": city, "actor": actor, "link": notify.link(decision)},
        )
    return decision


def decision_decide(*, decision, actor, note, chosen_option=""):
    """The mayor decides. Only a pending decision can be decided, and only once."""
    city = decision.city
    if not note.strip():
        raise RuleViolation(_("Write a note with your decision."), field="decision_note")
    if decision.option_list and chosen_option and chosen_option not in decision.option_list:
        raise RuleViolation(_("Choose one of the options."), field="chosen_option")
    with transaction.atomic():
        locked = MayorDecision.objects.select_for_update().get(pk=decision.pk)
        if locked.status != MayorDecision.Status.PENDING:
            raise RuleViolation(_("This decision has already been made or withdrawn."))
        locked.status = MayorDecision.Status.DECIDED
        locked.decision_note = note
        locked.chosen_option = chosen_option
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decision_note", "chosen_option", "decided_by", "decided_at"])
        dashboard_rows_changed(city_ids=[city.pk])
        audit_record(
            city=city, actor=actor, action="coaching.decision_made",
            data={"decision": locked.code, "question": locked.question[:300]},
        )
        locked.city = city
        mail_send(
            "coaching.decision_made", to=[p for p in [locked.raised_by, *notify.city_coaches(city)] if p != actor],
            city=city, key=f"decision-made:{locked.pk}",
            context={"decision": locked, "city": city, "link": notify.link(locked)},
        )
    return locked


def decision_withdraw(*, decision, actor):
    with transaction.atomic():
        # Locked and re-read, as in decision_decide: the mayor may have decided since the page
        # was loaded, and a withdrawal must never overwrite a decision.
        locked = MayorDecision.objects.select_for_update().get(pk=decision.pk)
        if locked.status != MayorDecision.Status.PENDING:
            raise RuleViolation(_("Only a decision that is still waiting can be withdrawn."))
        decision.status = MayorDecision.Status.WITHDRAWN
        decision.save(update_fields=["status"])
        dashboard_rows_changed(city_ids=[decision.city_id])
        audit_record(
            city=decision.city, actor=actor, action="coaching.decision_withdrawn",
            data={"decision": decision.code, "question": decision.question[:300]},
        )
        mayor = notify.city_mayor(decision.city)
        mail_send(
            "coaching.decision_withdrawn", to=[mayor] if mayor and mayor != actor else [], city=decision.city,
            key=f"decision-withdrawn:{decision.pk}",
            context={"decision": decision, "city": decision.city, "actor": actor, "link": notify.link(decision)},
        )
    return decision
