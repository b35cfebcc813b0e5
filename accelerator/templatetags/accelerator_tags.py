"""Template filters every app's templates may use: `{% load accelerator_tags %}`."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from accelerator.i18n import language_code

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key`: a dictionary lookup by a variable key (None for no mapping)."""
    return mapping.get(key) if mapping else None


@register.simple_tag
def city_lang(city):
    """` lang="…"` for text a city wrote, when the page around it speaks another language
    (WCAG 3.1.2), so screen readers and translators read it in the city's language."""
    language = language_code(getattr(city, "language", ""))
    if not language or language == (get_language() or "").lower():
        return ""
    return format_html(' lang="{}"', language)
