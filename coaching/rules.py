"""Who may do what in coaching. The object is always the city."""

import rules

from accelerator.rules import is_program_staff
from cohorts.rules import can_view_city, is_city_coach, is_city_mayor, is_city_member

coach_or_staff = is_program_staff | is_city_coach
# The senior team: the city's people other than the mayor, who decides rather than asks.
is_senior_team = is_city_member & ~is_city_mayor

rules.add_perm("coaching.view", can_view_city)
rules.add_perm("coaching.log_checkin", coach_or_staff)
# Private coach notes: the city's coaches and program staff, nobody in the city.
rules.add_perm("coaching.view_private_notes", coach_or_staff)
rules.add_perm("coaching.update_action_item", coach_or_staff | is_city_member)
rules.add_perm("coaching.raise_decision", coach_or_staff | is_senior_team)
# Whoever may ask the mayor may also take a request back while it waits.
rules.add_perm("coaching.withdraw_decision", coach_or_staff | is_senior_team)
rules.add_perm("coaching.decide", is_city_mayor)
rules.add_perm("coaching.edit_showcase", is_program_staff | is_city_member)
rules.add_perm("coaching.give_feedback", coach_or_staff)
rules.add_perm("coaching.manage_settings", is_program_staff)
rules.add_perm("coaching.view_cohort_showcases", is_program_staff)
