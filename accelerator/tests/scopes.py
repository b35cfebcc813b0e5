"""The scope a request opens, for tests that call selectors and services directly."""

from django_scopes import scope, scopes_disabled

from cohorts.tenancy import visible_city_ids


def scope_for(user):
    """What the middleware opens for `user` on a page outside any city (a home, a cohort page):
    staff see every city, everyone else the cities they belong to or coach."""
    if user.is_staff:
        return scopes_disabled()
    return scope(city=visible_city_ids(user))
