"""The "needs attention" rule of the cohort dashboard: each reason a city needs the program's
attention, spelled out, so staff see at a glance what is wrong and not only that something is."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.models import City
from strategy.models import Strategy

# Senior-team attendance (present or late, of marked) below this share needs attention.
ATTENDANCE_THRESHOLD = 70
# A plan this many points behind the share of the program already over is behind.
STRATEGY_SLACK = 25
# A showcase waiting this many days or more for the coach's feedback needs attention.
SHOWCASE_WAIT_DAYS = 7

SETTLED_STRATEGY = (Strategy.Status.SUBMITTED, Strategy.Status.ENDORSED, Strategy.Status.PUBLISHED)


class Reason(str):
    """One reason, as the full sentence (the string itself), with a short `chip` for the cockpit's
    table and the city `section` whose page shows the whole story (a URL name taking the city)."""

    def __new__(cls, text, *, chip, section):
        reason = super().__new__(cls, text)
        reason.chip, reason.section = chip, section
        return reason


def expected_progress(cohort, today):
    """The share (0–100) of the cohort's run already over."""
    days = (cohort.end_date - cohort.start_date).days or 1
    return max(0, min(100, round(100 * (today - cohort.start_date).days / days)))


def reasons_for(row, *, cohort, today, now):
    if row.city.status == City.Status.WITHDRAWN:
        return []  # a city that left the program needs nothing more from it
    reasons = []
    if row.city.status in (City.Status.AT_RISK, City.Status.NOT_ELIGIBLE):
        reasons.append(Reason(_("Participation: %(status)s") % {"status": row.city.get_status_display()},
                              chip=row.city.get_status_display(), section="dashboards:city_home"))
    if not row.mayor:
        reasons.append(Reason(_("No mayor on the team"), chip=_("No mayor"), section="cohorts:team"))
    convening = row.convening
    review = convening.get("review") if convening else None
    if review is not None and review.state == review.State.PENDING:
        reasons.append(Reason(_("Eligibility pending review: the mayor missed %(days)s")
                              % {"days": ", ".join(review.missed)},
                              chip=_("Eligibility to decide"), section="dashboards:city_home"))
    elif review is not None and review.state == review.State.CONFIRMED:
        reasons.append(Reason(_("Not eligible after the convening"), chip=_("Not eligible"),
                              section="dashboards:city_home"))
    elif convening and convening["has_mayor"] and convening["missed"] and review is None:
        reasons.append(Reason(_("The mayor missed %(days)s of the convening")
                              % {"days": ", ".join(convening["missed"])},
                              chip=_("Mayor missed the convening"), section="dashboards:city_home"))
    coaching = row.coaching
    if coaching["checkin_overdue"]:
        if coaching["last_checkin"]:
            text = _("Check-in overdue: the last was on %(date)s, one was due by %(due)s") % {
                "date": date_format(coaching["last_checkin"], "j M"),
                "due": date_format(coaching["checkin_due_on"], "j M")}
        else:
            text = (_("Check-in overdue: none logged yet, one was due by %(due)s")
                    % {"due": date_format(coaching["checkin_due_on"], "j M")})
        reasons.append(Reason(text, chip=_("Check-in overdue"), section="coaching:log"))
    if coaching["overdue_decisions"]:
        reasons.append(Reason(ngettext("%(n)d mayor decision overdue", "%(n)d mayor decisions overdue",
                                       coaching["overdue_decisions"]) % {"n": coaching["overdue_decisions"]},
                              chip=_("Decision overdue"), section="coaching:decisions"))
    waiting = coaching["waiting_since"]
    if waiting is not None and timezone.localdate(waiting) <= today - datetime.timedelta(days=SHOWCASE_WAIT_DAYS):
        reasons.append(Reason(_("A showcase has waited for feedback since %(date)s")
                              % {"date": date_format(waiting, "j M")},
                              chip=_("Feedback waiting"), section="coaching:showcases"))
    rate = row.attendance
    if rate and rate["rate"] is not None and rate["rate"] < ATTENDANCE_THRESHOLD:
        reasons.append(Reason(_("Senior-team attendance %(rate)s%% (below %(threshold)s%%)")
                              % {"rate": rate["rate"], "threshold": ATTENDANCE_THRESHOLD},
                              chip=_("Low attendance"), section="agenda:city_sessions"))
    strategy = row.strategy
    status = strategy.status if strategy else Strategy.Status.DRAFT
    completeness = strategy.completeness if strategy else 0
    expected = expected_progress(cohort, today)
    if status not in SETTLED_STRATEGY and completeness + STRATEGY_SLACK < expected:
        reasons.append(Reason(_("Strategy behind: %(done)s%% complete with %(expected)s%% of the program over")
                              % {"done": completeness, "expected": expected},
                              chip=_("Strategy behind"), section="strategy:plan"))
    for warning in row.absences:
        reasons.append(Reason(ngettext(
            "Absence warning: %(name)s missed %(n)d session in a row",
            "Absence warning: %(name)s missed %(n)d sessions in a row", warning.streak,
        ) % {"name": warning.person.full_name, "n": warning.streak}, chip=_("Absences"),
            section="agenda:city_sessions"))
    return reasons
