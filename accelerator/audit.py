"""The one way to write to the audit log."""

from .models import AuditEvent


def audit_record(*, action, summary, actor=None, task=None, city=None, cohort=None, reason="", data=None):
    """Record a decision. `actor` is the person who acted; `task` names a background job instead."""
    if cohort is None and city is not None:
        cohort = city.cohort
    return AuditEvent.objects.create(
        city=city,
        cohort=cohort,
        actor=actor,
        actor_label=str(actor) if actor is not None else f"task: {task or 'system'}",
        action=action,
        summary=summary[:500],
        reason=reason,
        data=data or {},
    )
