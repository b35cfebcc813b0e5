from django import template

from ..selectors import decisions_waiting

register = template.Library()


@register.inclusion_tag("coaching/_mayor_decisions.html", takes_context=True)
def mayor_decisions_waiting(context):
    """The block on a city's home page that puts waiting decisions in front of its mayor."""
    access = context.get("city_access")
    city = context.get("city")
    if city is None or access is None or not access.is_mayor:
        return {"show": False}
    # A page that already read them (the city home) passes them in its context.
    decisions = context.get("decisions_waiting")
    if decisions is None:
        decisions = list(decisions_waiting(city))
    return {"show": True, "city": city, "decisions": decisions}
