"""Who may read the dashboards' cross-city reports."""

import rules

from accelerator.rules import is_program_staff

# The impact report is the program's account to its funder: program staff only.
rules.add_perm("dashboards.view_impact", is_program_staff)
