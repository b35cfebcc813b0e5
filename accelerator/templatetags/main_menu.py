"""The main menu shows a link only to people the linked page lets in: it asks that page's permission."""

import rules
from django import template
from django_scopes import scopes_disabled

register = template.Library()


# Where the city resolver leaves the viewer's memberships (cohorts.tenancy.MEMBERSHIPS_ATTR).
_MEMBERSHIPS_ATTR = "_accelerator_memberships"


def _my_cities(context, user):
    """The viewer's own cities, one per cohort, newest first, as dicts (slug, name, cohort): from
    what the page's city resolver already read when it is theirs (no query), else one query."""
    if not user.is_authenticated:
        return []
    known = getattr(user, "_wrapped", user).__dict__.get(_MEMBERSHIPS_ATTR)
    access = context.get("city_access")
    if known is not None and access is not None and access.membership is not None:
        return [{"slug": m.city.slug, "name": m.city.name, "cohort": m.cohort.name} for m in known]
    membership_model = user._meta.get_field("memberships").related_model
    # The viewer's own memberships, on pages outside any city scope too (the error pages).
    with scopes_disabled():
        rows = (membership_model.objects.filter(user_id=user.pk).order_by("-cohort__start_date", "city__name")
                .values_list("city__slug", "city__name", "cohort__name"))
        return [{"slug": slug, "name": name, "cohort": cohort} for slug, name, cohort in rows]


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
        # Program staff and coaches belong to no city; everyone else is taken to their own (one
        # per cohort they took part in).
        "my_cities": [] if cohorts else _my_cities(context, user),
        "people": rules.has_perm("cohorts.manage_people", user),
        "outbox": rules.has_perm("accelerator.view_outbox", user),
        "admin": rules.has_perm("accelerator.view_admin", user),
    }
