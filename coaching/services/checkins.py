"""Check-ins and their action items."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from accelerator.outbox.services import mail_send
from cohorts.services.dashboard_rows import dashboard_rows_changed

from ..models import ActionItem, CheckIn
from . import notify

CHECKIN_FIELDS = (
    "held_on", "focus_goal", "summary", "private_notes", "progress_lead", "progress_invest", "progress_empower",
)


def _check_team(city, memberships, field):
    for membership in memberships:
        if membership is not None and membership.city_id != city.pk:
            raise RuleViolation(_("Choose people from this city's team."), field=field)


def _check_held_on(held_on):
    # A check-in records a conversation that took place; a day of grace covers time zones. A date
    # far ahead would also break the cadence arithmetic (next check-in due = last + N days).
    if held_on is not None and held_on > timezone.localdate() + datetime.timedelta(days=1):
        raise RuleViolation(_("A check-in cannot be dated in the future."), field="held_on")


def _add_items(*, city, checkin, items):
    created = []
    for item in items:
        _check_team(city, [item.get("owner")], "owner")
        created.append(
            ActionItem.objects.create(
                city=city, checkin=checkin, what=item["what"], owner=item.get("owner"), due_on=item.get("due_on")
            )
        )
    return created


def _carry_forward(*, city, checkin):
    """Attach every item still open from earlier check-ins to this one."""
    open_items = ActionItem.objects.filter(
        city=city, status__in=ActionItem.OPEN_STATUSES, checkin__held_on__lt=checkin.held_on
    )
    checkin.carried_items.add(*open_items)


def checkin_create(*, city, actor, attendees=(), items=(), **fields):
    """Log a check-in with its new action items; open items from earlier check-ins carry into it."""
    unknown = set(fields) - set(CHECKIN_FIELDS)
    if unknown:
        raise TypeError(f"unknown check-in fields: {sorted(unknown)}")
    attendees = list(attendees)
    _check_team(city, attendees, "attendees")
    _check_held_on(fields.get("held_on"))
    with transaction.atomic():
        checkin = CheckIn.objects.create(city=city, coach=actor if actor.is_coach else None, **fields)
        checkin.attendees.set(attendees)
        _carry_forward(city=city, checkin=checkin)
        new_items = _add_items(city=city, checkin=checkin, items=items)
        dashboard_rows_changed(city_ids=[city.pk])
        audit_record(
            city=city, actor=actor, action="coaching.checkin_logged",
            # The event names the date only: the audit log is city-visible history, never notes.
            data={"checkin": checkin.code, "date": checkin.held_on.isoformat(), "count": len(new_items)},
        )
        # The team reads the shared summary and the new items: a snapshot, never the private notes.
        mail_send(
            "coaching.checkin_logged", to=[p for p in notify.city_members(city) if p != actor], city=city,
            key=f"checkin-logged:{checkin.pk}",
            context={"city": city, "held_on": checkin.held_on, "summary": checkin.summary,
                     "focus_goal": checkin.focus_goal, "coach": actor, "items": new_items,
                     "link": notify.link(checkin)},
        )
        _announce_items(city=city, actor=actor, items=new_items)
    return checkin


def _announce_items(*, city, actor, items):
    for item in items:
        owner = item.owner.user if item.owner else None
        if owner is not None and owner != actor:
            mail_send("coaching.action_item_assigned", to=owner, city=city, key=f"action-item:{item.pk}",
                      context={"item": item, "city": city, "link": notify.link(item.checkin)})


def checkin_update(*, checkin, actor, attendees=None, items=(), **fields):
    unknown = set(fields) - set(CHECKIN_FIELDS)
    if unknown:
        raise TypeError(f"unknown check-in fields: {sorted(unknown)}")
    city = checkin.city
    _check_held_on(fields.get("held_on"))
    with transaction.atomic():
        for name, value in fields.items():
            setattr(checkin, name, value)
        checkin.save()
        if attendees is not None:
            attendees = list(attendees)
            _check_team(city, attendees, "attendees")
            checkin.attendees.set(attendees)
        # Carried items are a snapshot taken when the check-in was logged; editing keeps them.
        _announce_items(city=city, actor=actor, items=_add_items(city=city, checkin=checkin, items=items))
        dashboard_rows_changed(city_ids=[city.pk])
        audit_record(
            city=city, actor=actor, action="coaching.checkin_edited",
            data={"checkin": checkin.code, "date": checkin.held_on.isoformat()},
        )
    return checkin


def action_item_set_status(*, item, actor, status):
    if status not in ActionItem.Status.values:
        raise RuleViolation(_("Choose a status from the list."), field="status")
    if item.status == status:
        return item
    before = item.status
    with transaction.atomic():
        item.status = status
        item.closed_at = None if status in ActionItem.OPEN_STATUSES else timezone.now()
        item.save(update_fields=["status", "closed_at"])
        dashboard_rows_changed(city_ids=[item.city_id])
        audit_record(
            city=item.city, actor=actor, action="coaching.action_item_status",
            data={"item": item.code, "what": item.what[:200], "before": before, "after": item.status},
        )
    return item
