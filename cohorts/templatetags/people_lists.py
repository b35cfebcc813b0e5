"""Long lists of people built in one pass of Python rather than a template loop per person and
city (the people page lists every coach with each of their cities)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def coach_items(coaches):
    """One <li> per coach (from cohorts.selectors.coaches_and_staff): name, address and a link to
    each of their cities' homes."""
    no_city = _("no city yet")
    items = (
        format_html("<li>{} &lt;{}&gt; — {}</li>", coach["full_name"], coach["email"],
                    format_html_join(", ", '<a href="{}">{}</a>', ((c["url"], c["name"]) for c in coach["cities"]))
                    or no_city)
        for coach in coaches
    )
    return mark_safe("".join(items))  # every part was escaped by format_html
