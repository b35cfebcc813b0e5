"""The main menu shows a link only to people the linked page lets in: it asks that page's permission."""

import rules
from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from accelerator.caching import CSRF_STAND_IN, rendered_once, with_csrf_token
from cohorts.tenancy import viewer_memberships

register = template.Library()

# Where the request's address goes in the kept header (as `CSRF_STAND_IN` for its token).
_NEXT = mark_safe("<next-path>")


def _my_cities(user):
    """The viewer's own cities, one per cohort, newest first, as dicts (slug, name, cohort): the
    memberships this request already read (a city page's resolver, the home page), else one query."""
    if not user.is_authenticated:
        return []
    return [{"slug": m.city.slug, "name": m.city.name, "cohort": m.cohort.name} for m in viewer_memberships(user)]


@register.simple_tag
def menu_permissions(user):
    """Which main-menu links `user` may follow.

    These pages belong to no city, so there is no object to ask about. Asked of the rules
    registry directly (rules.has_perm) rather than through user.has_perm: for someone without
    the permission, Django's ModelBackend would go on to load their model permissions, two
    queries on every page for names that are not model permissions."""
    cohorts = rules.has_perm("cohorts.view_cohort", user)
    return {
        "cohorts": cohorts,
        # Program staff and coaches belong to no city; everyone else is taken to their own (one
        # per cohort they took part in).
        "my_cities": [] if cohorts else _my_cities(user),
        "people": rules.has_perm("cohorts.manage_people", user),
        "outbox": rules.has_perm("accelerator.view_outbox", user),
        "admin": rules.has_perm("accelerator.view_admin", user),
    }


def _addresses():
    """What every reversed address in a kept part depends on besides its arguments."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


def _per_request(markup, context):
    """Kept markup with this request's CSRF token and address put in."""
    request = context.get("request")
    markup = with_csrf_token(markup, context.get("csrf_token"))
    return mark_safe(markup.replace(_NEXT, conditional_escape(request.get_full_path() if request else "")))


@register.simple_tag(takes_context=True)
def site_header(context):
    """The page header: the main menu, the viewer's name, sign-out and the language switcher.

    Every page shows it, and it differs only by language, viewer and the links they may follow:
    rendered once per combination of those (`rendered_once`, whose key is all of them) and reused,
    with the request's CSRF token and address put in each time."""
    user = context.get("user")
    signed_in = user is not None and user.is_authenticated
    may = menu_permissions(user) if signed_in else None
    error_page = bool(context.get("error_page"))
    viewer = None
    if signed_in:
        cities = tuple((c["slug"], c["name"], c["cohort"]) for c in may["my_cities"])
        viewer = (user.full_name, user.email, may["cohorts"], may["people"], may["outbox"], may["admin"], cities)
    key = ("site header", get_language(), *_addresses(), error_page, viewer)
    markup = rendered_once(key, lambda: render_to_string("includes/site_header.html", {
        "user": user, "may": may, "error_page": error_page, "csrf_token": CSRF_STAND_IN, "next_path": _NEXT,
    }))
    return _per_request(markup, context)


@register.simple_tag(takes_context=True)
def city_sections(context):
    """A city's section tabs, the current one marked: rendered once per city, language, page and
    whether the viewer may read the audit trail, then reused."""
    request, city = context["request"], context["city"]
    can_read_audit = context["user"].has_perm("accelerator.view_city_audit", city)
    key = ("city sections", get_language(), *_addresses(), city.slug, city.name, can_read_audit, request.path)
    return mark_safe(rendered_once(key, lambda: render_to_string("includes/city_nav.html", {
        "city": city, "can_read_audit": can_read_audit, "request": request,
    })))
