"""Template filters every app's templates may use: `{% load accelerator_tags %}`."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key`: a dictionary lookup by a variable key (None for no mapping)."""
    return mapping.get(key) if mapping else None
