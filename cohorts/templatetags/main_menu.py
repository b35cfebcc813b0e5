"""The main menu shows a link only to people the linked page lets in: it asks that page's permission."""

import rules
from django import template

from cohorts.tenancy import viewer_memberships

register = template.Library()


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
