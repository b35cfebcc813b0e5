"""Reminders derived from the database by a periodic sweep.

Which decisions are overdue, which action items are past due, which showcase follow-ups have
come: all read from the rows, so a lost queue loses nothing — the next sweep finds them again.
A CoachingReminder row with a unique (kind, target, step) is written in the same transaction as
the email is sent: a second delivery of the same task, or an overlapping sweep, hits the unique
key and sends nothing. If sending fails the row rolls back and the next sweep retries."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accelerator.outbox.services import mail_send

from ..models import ActionItem, CoachingReminder, MayorDecision, ShowcaseFeedback
from . import notify

log = logging.getLogger(__name__)

# Days past the due date at which an undecided request is reminded again (one step each).
DECISION_STEPS = (1, 3, 7)


def decision_step(due_on, today):
    """The reminder step a pending decision has reached (1-based), or 0 if not overdue."""
    days_late = (today - due_on).days
    return sum(1 for offset in DECISION_STEPS if days_late >= offset)


def _claim_and_send(*, city, kind, target, step, send):
    try:
        with transaction.atomic():
            CoachingReminder.objects.create(city=city, kind=kind, target=target, step=step)
            send()
    except IntegrityError:
        return False
    return True


def remind_overdue_decision(*, decision, step):
    """Remind the mayor of an overdue decision and flag it to the coach, once per step."""
    if decision.status != MayorDecision.Status.PENDING or step < 1:
        return False
    if step < decision_step(decision.due_on, timezone.localdate()):
        return False  # a late delivery: a later step is due now, and the sweep queues that one
    city = decision.city

    def send():
        mayor = notify.city_mayor(city)
        context = {"decision": decision, "city": city, "link": notify.link(decision), "step": step,
                   "days_late": (timezone.localdate() - decision.due_on).days}
        key = f"decision-overdue:{decision.pk}:{step}"
        mail_send("coaching.decision_overdue", to=[mayor], city=city, key=key, context=context)
        mail_send("coaching.decision_overdue_coach", to=[*notify.city_coaches(city), decision.raised_by],
                  city=city, key=f"{key}:coach", context=context)

    return _claim_and_send(city=city, kind=CoachingReminder.Kind.DECISION_OVERDUE, target=decision.code,
                           step=step, send=send)


def remind_overdue_action_item(*, item):
    if not item.is_open or item.due_on is None or item.due_on >= timezone.localdate():
        return False
    city = item.city

    def send():
        mail_send(
            "coaching.action_overdue", to=[item.owner.user if item.owner else None, *notify.city_coaches(city)],
            city=city, key=f"action-overdue:{item.pk}",
            context={"item": item, "city": city, "link": notify.link(item.checkin)},
        )

    return _claim_and_send(city=city, kind=CoachingReminder.Kind.ACTION_ITEM_OVERDUE, target=item.code, step=1,
                           send=send)


def remind_showcase_follow_up(*, feedback):
    if feedback.follow_up_on is None or feedback.follow_up_on > timezone.localdate():
        return False
    showcase = feedback.showcase
    city = showcase.city

    def send():
        mail_send(
            "coaching.showcase_follow_up", to=[feedback.coach] if feedback.coach else notify.city_coaches(city),
            city=city, key=f"showcase-follow-up:{feedback.pk}",
            context={"showcase": showcase, "feedback": feedback, "city": city, "link": notify.link(showcase)},
        )

    return _claim_and_send(city=city, kind=CoachingReminder.Kind.SHOWCASE_FOLLOW_UP, target=feedback.code, step=1,
                           send=send)


def due_reminders(today=None):
    """Everything due a reminder now and not yet reminded: [(kind, id, step)]."""
    today = today or timezone.localdate()
    due = []
    with scopes_disabled():  # the sweep spans every city on purpose
        sent = set(CoachingReminder.objects.values_list("kind", "target", "step"))
        for pk, code, due_on in MayorDecision.objects.filter(
            status=MayorDecision.Status.PENDING, due_on__lt=today
        ).values_list("pk", "code", "due_on"):
            step = decision_step(due_on, today)
            if (CoachingReminder.Kind.DECISION_OVERDUE, code, step) not in sent:
                due.append((CoachingReminder.Kind.DECISION_OVERDUE, pk, step))
        for pk, code in ActionItem.objects.filter(
            status__in=ActionItem.OPEN_STATUSES, due_on__lt=today
        ).values_list("pk", "code"):
            if (CoachingReminder.Kind.ACTION_ITEM_OVERDUE, code, 1) not in sent:
                due.append((CoachingReminder.Kind.ACTION_ITEM_OVERDUE, pk, 1))
        for pk, code in ShowcaseFeedback.objects.filter(follow_up_on__lte=today).values_list("pk", "code"):
            if (CoachingReminder.Kind.SHOWCASE_FOLLOW_UP, code, 1) not in sent:
                due.append((CoachingReminder.Kind.SHOWCASE_FOLLOW_UP, pk, 1))
    return due


def send_reminder(*, kind, pk, step):
    """Send one reminder by row id; quietly nothing if the row is gone or no longer due."""
    with scopes_disabled():  # a task knows the row, not the viewer; the row names its city
        if kind == CoachingReminder.Kind.DECISION_OVERDUE:
            decision = MayorDecision.objects.select_related("city", "raised_by").filter(pk=pk).first()
            return decision is not None and remind_overdue_decision(decision=decision, step=step)
        if kind == CoachingReminder.Kind.ACTION_ITEM_OVERDUE:
            item = ActionItem.objects.select_related("city", "checkin__city", "owner__user").filter(pk=pk).first()
            return item is not None and remind_overdue_action_item(item=item)
        if kind == CoachingReminder.Kind.SHOWCASE_FOLLOW_UP:
            feedback = ShowcaseFeedback.objects.select_related("showcase__city", "coach").filter(pk=pk).first()
            return feedback is not None and remind_showcase_follow_up(feedback=feedback)
    log.warning("unknown coaching reminder kind %s", kind)
    return False
