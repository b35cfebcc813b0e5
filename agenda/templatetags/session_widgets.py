"""Calendar widgets for pages other apps own: the cohort page and the city home."""

from django import template
from django.utils import timezone

from cohorts.models import City

from .. import selectors as selectors_sessions

register = template.Library()


@register.inclusion_tag("agenda/includes/cohort_card.html", takes_context=True)
def cohort_sessions_card(context):
    cohort, user = context["cohort"], context["request"].user
    city_rates, recent, upcoming = selectors_sessions.cohort_attendance(cohort, user)
    cities = list(City.objects.visible_to(user).filter(cohort=cohort).order_by("name").only("pk", "name", "slug"))
    return {
        "cohort": cohort, "zone": timezone.get_current_timezone(), "recent": recent, "upcoming": upcoming,
        "city_rates": [(city, city_rates.get(city.pk)) for city in cities], "request": context["request"],
    }
