import rules

from accelerator.rules import is_program_staff

# The desk, the board, codes and eligibility decisions belong to program staff: they see every
# cohort. Coaches and cities see their own status on the city home, never the desk.
rules.add_perm("convening.run_desk", is_program_staff)
rules.add_perm("convening.view_board", is_program_staff)
rules.add_perm("convening.manage_codes", is_program_staff)
rules.add_perm("convening.decide_eligibility", is_program_staff)
