"""One colour per kind of state, on every page: `{{ value|state }}` gives the badge classes for a
stored status value, so "published" is green wherever it appears and "draft" grey.

The kinds: ok (done or fine), warn (waits on someone), alert (overdue, refused, not eligible),
info (in progress, with someone else), muted (not started, closed, withdrawn). The colours are
in static/css/accelerator.css."""

from django import template

register = template.Library()

KINDS = {
    "ok": ("active", "eligible", "excused", "published", "done", "yes", "present", "decided", "resolved",
           "feedback_given", "on_track", "attended"),
    "warn": ("at_risk", "changes_requested", "pending", "late", "waiting"),
    "alert": ("not_eligible", "pending_review", "confirmed_not_eligible", "overdue", "missed", "refused",
              "absent", "no",
              "not_completed"),
    "info": ("submitted", "endorsed", "running", "in_progress"),
    "muted": ("draft", "open", "withdrawn", "not_started", "planned", "completed", "closed", "cancelled", "dropped",
              "apology", "excused_absence", "alumni", "archived"),
}
KIND_OF = {value: kind for kind, values in KINDS.items() for value in values}


@register.filter
def state(value):
    return f"state state-{KIND_OF.get(str(value), 'muted')}"
