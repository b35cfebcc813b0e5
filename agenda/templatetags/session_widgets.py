"""Calendar widgets for pages other apps own: the cohort page and the city home."""

from django import template
from django.utils import timezone

from cohorts.models import City

from .. import selectors as selectors_sessions

register = template.Library()


@register.inclusion_tag("agenda/includes/cohort_card.html", takes_context=True)
def cohort_sessions_card(context, marks=None, cities=None):
    """The cohort's sessions and attendance. A page that already holds the marks per city and
    session (the cohort dashboard's stored rows) and the viewer's cities passes them in, and the
    card counts nothing again: two queries instead of five."""
    cohort, user = context["cohort"], context["request"].user
    if marks is None or cities is None:
        city_rates, recent, upcoming = selectors_sessions.cohort_attendance(cohort, user)
        cities = list(City.objects.visible_to(user).filter(cohort=cohort).order_by("name").only("pk", "name", "slug"))
    else:
        recent, upcoming = selectors_sessions.recent_and_upcoming(cohort, user)
        city_rates, session_rates = selectors_sessions.rates_from_marks(marks)
        for session in recent:
            session.rate = session_rates.get(session.pk)
    return {
        "cohort": cohort, "zone": timezone.get_current_timezone(), "recent": recent, "upcoming": upcoming,
        "city_rates": [(city, city_rates.get(city.pk)) for city in cities], "request": context["request"],
    }
