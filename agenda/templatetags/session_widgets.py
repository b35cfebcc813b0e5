"""Calendar widgets for pages other apps own: the cohort page and the city home."""

from django import template
from django.utils import timezone

from .. import selectors as selectors_sessions

register = template.Library()


@register.inclusion_tag("agenda/includes/cohort_card.html", takes_context=True)
def cohort_sessions_card(context):
    """What comes next in the cohort, for the cohort page (rates are the dashboard's own columns)."""
    cohort, user = context["cohort"], context["request"].user
    upcoming = selectors_sessions.upcoming_sessions(cohort, user)
    return {"cohort": cohort, "zone": timezone.get_current_timezone(), "upcoming": upcoming,
            "request": context["request"]}
