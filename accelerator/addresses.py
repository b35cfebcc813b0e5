"""Addresses of pages that every page links to (the menus, a city's sections, lists of cities).

Django reverses an address by matching its pattern each time; the menus ask for the same dozen
on every page, and a list of a hundred cities for a hundred more. `page_url` reverses each page
once per URL configuration and script prefix and keeps it. For a page whose one argument is a
slug it reverses the address with a marker in the slug's place and puts each slug there: a
slug's letters, digits, hyphens and underscores pass into an address unchanged, so the result is
what `reverse` gives."""

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

_SLUG_MARKER = "page-url-slug-marker"
_ADDRESSES = {}


def page_url(name, slug=None):
    """The address of the page named `name` (with its one slug argument, if given); "" when there
    is no such page, as `{% url … as name %}` leaves it."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name, slug is None)
    address = _ADDRESSES.get(key)
    if address is None:
        try:
            address = reverse(name) if slug is None else reverse(name, args=[_SLUG_MARKER])
        except NoReverseMatch:
            address = ""
        _ADDRESSES[key] = address
    return address if slug is None else address.replace(_SLUG_MARKER, slug)
