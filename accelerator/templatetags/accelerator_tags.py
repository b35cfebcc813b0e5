"""Template filters every app's templates may use: `{% load accelerator_tags %}`."""

import datetime

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language

from accelerator.addresses import page_url as _page_url
from accelerator.caching import rendered_once
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


@register.filter
def short_date(value):
    """A day as "4 Dec", with its year ("4 Dec 2024") when it is not this year's: a finished
    cohort's dates never pass for this year's."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return date_format(value, "j M" if value.year == timezone.localdate().year else "j M Y")


def _blank_form_markup(form, template_name, render):
    if not getattr(form, "same_markup_when_blank", False) or form.is_bound or form.initial or form.prefix:
        return render()
    return rendered_once(("blank form", type(form), template_name, get_language()), render)


@register.filter
def crispy_blank(form):
    """`form|crispy`, rendered once per language for a blank form whose class declares
    `same_markup_when_blank = True` (its fields, labels and choices never depend on its
    arguments: no city, person or database rows), then reused. Crispy renders each widget
    through several templates, milliseconds for a form of four fields. A form with data, initial
    values or a prefix, and any form without the flag, is rendered every time."""
    return _blank_form_markup(form, None, lambda: as_crispy_form(form))


@register.simple_tag
def blank_form_fields(form, template_name):
    """`template_name` rendered with `form` (fields laid out by hand), reused like `crispy_blank`."""
    return _blank_form_markup(form, template_name, lambda: render_to_string(template_name, {"form": form}))


# Each language's month abbreviations as `date:"M"` writes them, read once per language.
_MONTH_ABBREVIATIONS = {}


@register.filter
def time_tag(value):
    """`<time datetime="…">4 Dec 2026, 14:05</time>` in the viewer's zone and language: what
    `date:"c"` and `date:"j M Y, H:i"` give, without Django's general date formatter (a list of
    fifty rows formats a hundred dates)."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    language = get_language()
    months = _MONTH_ABBREVIATIONS.get(language)
    if months is None:
        months = _MONTH_ABBREVIATIONS[language] = {n: str(MONTHS_3[n]).title() for n in MONTHS_3}
    return format_html('<time datetime="{}">{} {} {}, {}</time>', local.isoformat(), local.day,
                       months[local.month], local.year, f"{local.hour:02d}:{local.minute:02d}")


@register.simple_tag
def page_url(name, slug=None):
    """`{% url name %}` or `{% url name slug %}` for the pages every page links to, reversed once
    (see accelerator/addresses.py); empty when there is no such page."""
    return _page_url(name, slug)
