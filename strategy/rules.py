"""Who may do what with a city's data strategy. The object is always the city."""

import rules

from accelerator.rules import is_program_staff
from cohorts.rules import can_view_city, is_city_coach, is_city_mayor, is_city_member

rules.add_perm("strategy.view_plan", can_view_city)
# The team writes the plan; coaches review and comment but never edit.
rules.add_perm("strategy.edit_plan", is_city_member)
rules.add_perm("strategy.assess_maturity", is_city_member)
rules.add_perm("strategy.start_thread", is_city_coach | is_program_staff)
rules.add_perm("strategy.reply", is_city_member | is_city_coach | is_program_staff)

# The review workflow, one permission per step (services/review.py asks them). The team (the
# mayor included) submits and amends, the city's own coach reviews, the mayor approves. Program
# staff watch the workflow but take no step in it.
rules.add_perm("strategy.submit", is_city_member)
rules.add_perm("strategy.request_changes", is_city_coach)
rules.add_perm("strategy.endorse", is_city_coach)
rules.add_perm("strategy.approve", is_city_mayor)
rules.add_perm("strategy.amend", is_city_member)

# What the program produces. The mayor alone decides whether the approved plan is public; the team
# chooses what to share with the cohort; whoever may see the city reads what other cities share.
rules.add_perm("strategy.publish_public", is_city_mayor)
rules.add_perm("strategy.share", is_city_member)
rules.add_perm("strategy.view_peers", can_view_city)
