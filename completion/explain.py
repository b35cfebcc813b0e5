"""The reasons behind an outcome, as sentences in the reader's language (rendered when read, as
audit lines are, from the keys and values the derivation stored)."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from convening.models import EligibilityReview
from strategy.models import Strategy

from .services import outcomes as rule


def _date(iso):
    try:
        return date_format(datetime.date.fromisoformat(iso), "DATE_FORMAT")
    except (TypeError, ValueError):
        return iso


def reason_text(reason):
    key = reason.get("key")
    if key == rule.WITHDRAWN:
        return _("The city withdrew from the program.")
    if key == rule.CONVENING_MET:
        return _("The mayor checked in in person at every required day of “%(title)s”.") % reason
    if key == rule.CONVENING_EXCUSED:
        return _("The mayor missed part of “%(title)s” and was excused by program staff: “%(reason)s”") % reason
    if key == rule.CONVENING_OVERRIDDEN:
        return _("Program staff declared the city eligible after “%(title)s”: “%(reason)s”") % reason
    if key == rule.CONVENING_MISSED:
        state = dict(EligibilityReview.State.choices).get(reason.get("state"), reason.get("state"))
        return _("The mayor missed %(days)s of “%(title)s” (%(state)s).") % {
            "days": ", ".join(reason.get("days") or []) or "—", "title": reason.get("title"), "state": state}
    if key == rule.CONVENING_NONE:
        return _("No mayors' convening of this cohort is over yet, so the mayor's in-person rule is not met.")
    if key == rule.STRATEGY_APPROVED:
        return _("The mayor approved the data strategy (edition %(edition)s, %(date)s).") % {
            "edition": reason.get("edition"), "date": _date(reason.get("date"))}
    if key == rule.STRATEGY_MISSING:
        status = dict(Strategy.Status.choices).get(reason.get("status"), reason.get("status"))
        return _("The mayor has not approved the data strategy (it is “%(status)s”).") % {"status": status}
    if key == rule.ATTENDANCE_MET:
        return _("Required sessions attended: %(rate)s%% (%(attended)s of %(marked)s marked); the cohort asks "
                 "for %(threshold)s%%.") % reason
    if key == rule.ATTENDANCE_SHORT:
        return _("Required sessions attended: %(rate)s%% (%(attended)s of %(marked)s marked), below the "
                 "cohort's %(threshold)s%%.") % reason
    if key == rule.ATTENDANCE_NONE:
        return _("No attendance at required sessions is on record; the cohort asks for %(threshold)s%%.") % reason
    return str(key)


def reasons_text(reasons):
    """[(met, sentence)] for a stored or fresh list of reasons."""
    return [(bool(reason.get("met")), reason_text(reason)) for reason in reasons or []]
