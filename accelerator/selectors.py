from datetime import datetime, time

from django.utils import timezone

from .models import AuditEvent

# Groups of audit actions a person can filter by; the prefix is the action's first word.
ACTION_GROUPS = {
    "team": "team.",
    "people": "people.",
    "coach": "coach.",
    "city": "city.",
    "convening": "convening.",
    "coaching": "coaching.",
    "strategy": "strategy.",
    "export": "export.",
}


def city_audit_events(city, *, group=None, actor=None, since=None, until=None):
    events = city.audit_events.select_related("actor")
    if group in ACTION_GROUPS:
        events = events.filter(action__startswith=ACTION_GROUPS[group])
    if actor:
        events = events.filter(actor_label__icontains=actor)
    zone = timezone.get_current_timezone()
    if since:
        events = events.filter(created_at__gte=timezone.make_aware(datetime.combine(since, time.min), zone))
    if until:
        events = events.filter(created_at__lte=timezone.make_aware(datetime.combine(until, time.max), zone))
    return events.order_by("-created_at", "-pk")


__all__ = ["ACTION_GROUPS", "AuditEvent", "city_audit_events"]
