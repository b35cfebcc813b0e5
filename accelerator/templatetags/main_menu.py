"""The main menu shows a link only to people the linked page lets in: it asks that page's permission."""

import rules
from django import template
from django_scopes import scopes_disabled

register = template.Library()


def _my_city_slug(context, user):
    """The slug of the viewer's own city, for "My city": from the page's resolved city when it is
    theirs (no query), else one query (the membership and its city together)."""
    access = context.get("city_access")
    if access is not None and access.membership is not None:
        return access.city.slug
    if not user.is_authenticated:
        return None
    membership_model = user._meta.get_field("membership").related_model
    # The viewer's own membership, on pages outside any city scope too (the error pages).
    with scopes_disabled():
        return membership_model.objects.filter(user_id=user.pk).values_list("city__slug", flat=True).first()


@register.simple_tag(takes_context=True)
def menu_permissions(context, user):
    """Which main-menu links `user` may follow.

    These pages belong to no city, so there is no object to ask about. Asked of the rules
    registry directly (rules.has_perm) rather than through user.has_perm: for someone without
    the permission, Django's ModelBackend would go on to load their model permissions, two
    queries on every page for names that are not model permissions."""
    cohorts = rules.has_perm("cohorts.view_cohort", user)
    return {
        "cohorts": cohorts,
        # Program staff and coaches belong to no city; everyone else is taken to their own.
        "my_city": None if cohorts else _my_city_slug(context, user),
        "people": rules.has_perm("cohorts.manage_people", user),
        "outbox": rules.has_perm("accelerator.view_outbox", user),
        "admin": rules.has_perm("accelerator.view_admin", user),
    }
