"""The one way to write to the audit log."""

from django.utils import translation

from .audit_registry import audit_kind
from .models import AuditEvent


def _event(*, action, data, actor=None, task=None, city=None, cohort=None, reason=""):
    kind = audit_kind(action)
    data = dict(data)
    with translation.override("en"):
        try:
            # The English rendering serves the admin's search; pages render the kind again.
            summary = kind.render(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"audit action {action!r}: the data does not fit its message ({exc!r})") from exc
    cohort_id = cohort.pk if cohort is not None else (city.cohort_id if city is not None else None)
    return AuditEvent(
        city=city,
        cohort_id=cohort_id,
        actor=actor,
        actor_label=str(actor) if actor is not None else f"task: {task or 'system'}",
        action=action,
        summary=summary[:500],
        reason=reason,
        data=data,
    )


def audit_record(*, action, data, actor=None, task=None, city=None, cohort=None, reason=""):
    """Record a decision. `actor` is the person who acted; `task` names a background job instead.

    `data` holds everything the action's message needs, as stable values: names as they were at
    the time, choice values rather than their labels. The text is rendered when the event is read."""
    event = _event(action=action, data=data, actor=actor, task=task, city=city, cohort=cohort, reason=reason)
    event.save()
    return event


def audit_event(*, action, data, actor=None, task=None, city=None, cohort=None, reason=""):
    """One event for audit_record_many, with audit_record's keywords, so every call site names
    its action as `action="…"` for readers and for the registry test alike."""
    return {"action": action, "data": data, "actor": actor, "task": task, "city": city, "cohort": cohort,
            "reason": reason}


def audit_record_many(events):
    """Record several decisions in one INSERT (a sweep's batch); each item comes from audit_event."""
    rows = [_event(**event) for event in events]
    if rows:
        AuditEvent.objects.bulk_create(rows)
    return rows
