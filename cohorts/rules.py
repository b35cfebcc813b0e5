import rules

from accelerator.rules import is_coach, is_program_staff

from .tenancy import city_access

# City predicates take the city as the object and reuse the resolver's cached relation.


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

rules.add_perm("cohorts.view_city", can_view_city)
rules.add_perm("cohorts.manage_city", is_program_staff)
rules.add_perm("cohorts.manage_cohorts", is_program_staff)
rules.add_perm("cohorts.view_cohort", is_program_staff | is_coach)
rules.add_perm("cohorts.manage_people", is_program_staff)
# Bulk set-up of a cohort's cities and people from a file, and the roster in that file's format.
rules.add_perm("cohorts.import_roster", is_program_staff)
