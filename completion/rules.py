"""Who may read and settle a city's outcome."""

import rules

from accelerator.rules import is_program_staff
from cohorts.rules import can_view_city

# The outcome and its certificate belong to the city: whoever sees the city reads them.
rules.add_perm("completion.view_outcome", can_view_city)
rules.add_perm("completion.view_certificate", can_view_city)
# Confirming an outcome and closing a cohort are program decisions.
rules.add_perm("completion.confirm_outcome", is_program_staff)
rules.add_perm("completion.close_cohort", is_program_staff)
