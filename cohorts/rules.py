import rules

from accelerator.rules import can_view_city, is_coach, is_program_staff

rules.add_perm("cohorts.view_city", can_view_city)
rules.add_perm("cohorts.manage_city", is_program_staff)
rules.add_perm("cohorts.manage_cohorts", is_program_staff)
rules.add_perm("cohorts.view_cohort", is_program_staff | is_coach)
rules.add_perm("cohorts.manage_people", is_program_staff)
