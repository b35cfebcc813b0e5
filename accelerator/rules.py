"""Who may do what, as named predicates shared by views and templates.

City predicates take the city as the object and reuse the resolver's cached relation."""

import rules

from .tenancy import city_access


@rules.predicate
def is_program_staff(user):
    return user.is_authenticated and user.is_staff


@rules.predicate
def is_coach(user):
    return user.is_authenticated and user.is_coach


@rules.predicate
def is_city_coach(user, city):
    access = city_access(user, city)
    return access is not None and access.is_coach


@rules.predicate
def is_city_member(user, city):
    access = city_access(user, city)
    return access is not None and access.is_member


@rules.predicate
def is_city_mayor(user, city):
    access = city_access(user, city)
    return access is not None and access.is_mayor


can_view_city = is_program_staff | is_city_coach | is_city_member

rules.add_perm("accelerator.view_admin", is_program_staff)
# The audit trail can name people of the team and staff decisions; program staff read it.
rules.add_perm("accelerator.view_city_audit", is_program_staff)
