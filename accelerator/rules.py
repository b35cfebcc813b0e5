"""Who may do what, as named predicates shared by views and templates: the predicates about a
person alone. Predicates about a person's relation to a city live with the tenancy rule, in
`cohorts.rules`."""

import rules


@rules.predicate
def is_program_staff(user):
    return user.is_authenticated and user.is_staff


@rules.predicate
def is_coach(user):
    return user.is_authenticated and user.is_coach


@rules.predicate
def may_use_admin(user):
    """Only superusers: the admin would show program staff nothing they may view or edit, and
    their work has pages of its own. The menu's link and the admin's gate both ask this."""
    return user.is_authenticated and user.is_active and user.is_staff and user.is_superuser


rules.add_perm("accelerator.view_admin", may_use_admin)
# The audit trail can name people of the team and staff decisions; program staff read it.
rules.add_perm("accelerator.view_city_audit", is_program_staff)
# Every city's mail passes through the outbox: only program staff read it or send a message again.
rules.add_perm("accelerator.view_outbox", is_program_staff)
rules.add_perm("accelerator.resend_message", is_program_staff)
