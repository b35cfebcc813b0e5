"""Long lists of people built in one pass of Python rather than a template loop per person and
city (the people page lists every coach with each of their cities)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accelerator.addresses import page_url
from accelerator.caching import rendered_once

register = template.Library()


@register.simple_tag
def coach_items(coaches):
    """One <li> per coach (from cohorts.selectors.coaches_and_staff): name, address and a link to
    each of their cities' homes. Rendered once per language and list (`rendered_once`: the key is
    every name, address and city shown)."""
    shown = tuple((c["full_name"], c["email"], tuple((city["slug"], city["name"]) for city in c["cities"]))
                  for c in coaches)

    def render():
        no_city = _("no city yet")
        return "".join(
            format_html("<li>{} &lt;{}&gt; — {}</li>", name, email, format_html_join(
                ", ", '<a href="{}">{}</a>', ((page_url("dashboards:city_home", slug), city) for slug, city in cities))
                or no_city)
            for name, email, cities in shown)

    # The addresses are made from the slugs only when the list is rendered: the key holds where a
    # city's home is.
    key = ("coach items", get_language(), page_url("dashboards:city_home", "slug"), shown)
    return mark_safe(rendered_once(key, render))  # escaped by format_html
