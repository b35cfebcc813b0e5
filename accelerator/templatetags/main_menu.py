"""The main menu shows a link only to people the linked page lets in: it asks that page's permission."""

import rules
from django import template

register = template.Library()


@register.simple_tag
def menu_permissions(user):
    """Which main-menu links `user` may follow.

    These pages belong to no city, so there is no object to ask about. Asked of the rules
    registry directly (rules.has_perm) rather than through user.has_perm: for someone without
    the permission, Django's ModelBackend would go on to load their model permissions, two
    queries on every page for names that are not model permissions."""
    return {
        "cohorts": rules.has_perm("cohorts.view_cohort", user),
        "people": rules.has_perm("cohorts.manage_people", user),
        "outbox": rules.has_perm("accelerator.view_outbox", user),
        "admin": rules.has_perm("accelerator.view_admin", user),
    }
