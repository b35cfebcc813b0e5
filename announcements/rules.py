"""Who may do what with announcements: program staff write, review and send them."""

import rules

from accelerator.rules import is_program_staff

rules.add_perm("announcements.manage_announcements", is_program_staff)
