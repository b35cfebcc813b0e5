"""Who may do what with the program calendar."""

import rules

from accelerator.rules import is_coach, is_program_staff
from cohorts.rules import is_city_coach

# The program calendar. Staff run every cohort's sessions; a coach marks attendance of the
# coaching sessions and checkpoints of their own cities.
rules.add_perm("agenda.manage_sessions", is_program_staff)


@rules.predicate
def is_session_city_coach(user, session):
    return session is not None and session.city_id is not None and session.kind in (
        "coaching", "checkpoint"
    ) and is_city_coach(user, session.city)


rules.add_perm("agenda.mark_attendance", is_program_staff | is_session_city_coach)
rules.add_perm("agenda.view_cohort_calendar", is_program_staff | is_coach)
# Which sessions a person sees is decided by Session.objects.visible_to (404 otherwise).
rules.add_perm("agenda.view_session", rules.is_authenticated)
# Feedback after a session: whoever attended answers (anyone else gets 404, decided by the
# ledger); staff and coaches read the answers of the cities they see.
rules.add_perm("agenda.give_feedback", rules.is_authenticated)
rules.add_perm("agenda.view_feedback", is_program_staff | is_coach)
