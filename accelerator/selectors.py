from datetime import datetime, time

from django.utils import timezone

from .audit_registry import actions_in_group
from .models import AuditEvent


def city_audit_events(city, *, group=None, actor=None, since=None, until=None):
    # Rows name their actor by the label stored with them, so no join to people.
    events = city.audit_events.all()
    if group:
        events = events.filter(action__in=actions_in_group(group))
    if actor:
        events = events.filter(actor_label__icontains=actor)
    zone = timezone.get_current_timezone()
    if since:
        events = events.filter(created_at__gte=timezone.make_aware(datetime.combine(since, time.min), zone))
    if until:
        events = events.filter(created_at__lte=timezone.make_aware(datetime.combine(until, time.max), zone))
    return events.order_by("-created_at", "-pk")


__all__ = ["AuditEvent", "city_audit_events"]
