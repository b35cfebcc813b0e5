"""Asking for the convening's codes to be issued in the background. Kept apart from the issuing
itself (`codes.checkin_codes_issue`, which the task runs), so no module imports its own task."""

from django.db import transaction
from django.utils.translation import gettext as _

from accelerator.errors import RuleViolation

from .. import selectors
from ..tasks import issue_codes


def checkin_codes_request(*, session, actor):
    """Queue codes, after the commit, for every mayor of the convening who has none. Returns how
    many mayors are waiting for one."""
    if not actor.has_perm("convening.manage_codes"):
        raise RuleViolation(_("Only program staff can issue check-in codes."))
    missing = sum(1 for line in selectors.code_lines(session) if line.code is None)
    session_id, actor_id = session.pk, actor.pk
    transaction.on_commit(lambda: issue_codes.delay(session_id, actor_id))
    return missing
