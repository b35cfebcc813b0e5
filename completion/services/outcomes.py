"""Completion: each city's outcome when its cohort ends, derived from the record and confirmed by staff.

A city completed the Accelerator when three things hold:
- its mayor met the convening's no-surrogate rule (no eligibility review, or one that staff
  settled as excused or eligible with a written reason),
- its data strategy was approved by the mayor (an approved edition exists),
- its people attended the cohort's required sessions at the cohort's threshold (attended over
  marked, as every attendance rate of the project; the convening is counted by the first rule).
A withdrawn city is withdrawn whatever its record. Staff confirm each outcome; setting another
outcome than the derived one needs a written reason. Both are audited. Closing the cohort moves
it to completed and its cities to alumni, once every city's outcome is confirmed."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from agenda.models import Attendance, Session
from agenda.services.attendance import rates_by
from agenda.services.session_invitations import invitations_sync
from cohorts.models import City, Cohort
from cohorts.services.dashboard_rows import dashboard_rows_changed
from convening import selectors as convening_selectors
from convening.models import EligibilityReview
from strategy.models import PublishedEdition, Strategy

from ..models import CityOutcome, Outcome, attendance_threshold

MIN_REASON = 10

# Criteria keys, as stored in CityOutcome.explanation and read by `completion.explain`.
CONVENING_MET, CONVENING_EXCUSED, CONVENING_OVERRIDDEN = "convening_met", "convening_excused", "convening_overridden"
CONVENING_MISSED, CONVENING_NONE = "convening_missed", "convening_none"
STRATEGY_APPROVED, STRATEGY_MISSING = "strategy_approved", "strategy_missing"
ATTENDANCE_MET, ATTENDANCE_SHORT, ATTENDANCE_NONE = "attendance_met", "attendance_short", "attendance_none"
WITHDRAWN = "withdrawn"


@dataclass
class Derivation:
    city: object
    outcome: str
    # [{"key": criterion, "met": bool, **values}] in the order the rule reads.
    reasons: list = field(default_factory=list)

    @property
    def missing(self):
        return [reason for reason in self.reasons if not reason["met"]]


def _convening_reasons(city_ids, cohort, now):
    # Only a required convening decides: a practice run (not required) says nothing of the mayor.
    convenings = list(convening_selectors.convenings().filter(cohort=cohort, required=True, ends_at__lte=now)
                      .exclude(status=Session.Status.CANCELLED).order_by("starts_at"))
    reviews = {}
    if convenings:
        for review in EligibilityReview.objects.filter(city_id__in=city_ids, session__in=convenings):
            reviews[(review.city_id, review.session_id)] = review
    result = {}
    for city_id in city_ids:
        if not convenings:
            result[city_id] = [{"key": CONVENING_NONE, "met": False}]
            continue
        items = []
        for session in convenings:
            review = reviews.get((city_id, session.pk))
            if review is None:
                items.append({"key": CONVENING_MET, "met": True, "title": session.title})
            elif review.state == EligibilityReview.State.EXCUSED:
                items.append({"key": CONVENING_EXCUSED, "met": True, "title": session.title, "reason": review.reason})
            elif review.state == EligibilityReview.State.ELIGIBLE:
                items.append({"key": CONVENING_OVERRIDDEN, "met": True, "title": session.title,
                              "reason": review.reason})
            else:
                items.append({"key": CONVENING_MISSED, "met": False, "title": session.title,
                              "days": list(review.missed), "state": review.state})
        result[city_id] = items
    return result


def _strategy_reasons(city_ids):
    approved = {}
    for city_id, edition, published_at in (PublishedEdition.objects.filter(city_id__in=city_ids)
                                           .order_by("edition").values_list("city_id", "edition", "published_at")):
        approved.setdefault(city_id, (edition, published_at))
    statuses = dict(Strategy.objects.filter(city_id__in=city_ids).values_list("city_id", "status"))
    result = {}
    for city_id in city_ids:
        if city_id in approved:
            edition, published_at = approved[city_id]
            result[city_id] = {"key": STRATEGY_APPROVED, "met": True, "edition": edition,
                               "date": timezone.localdate(published_at).isoformat()}
        else:
            result[city_id] = {"key": STRATEGY_MISSING, "met": False,
                               "status": statuses.get(city_id, Strategy.Status.DRAFT)}
    return result


def _attendance_reasons(city_ids, cohort, threshold):
    marks = Attendance.objects.filter(
        city_id__in=city_ids, day__isnull=True, session__cohort=cohort, session__required=True,
    ).exclude(session__status=Session.Status.CANCELLED).exclude(session__kind=Session.Kind.CONVENING)
    rates = rates_by(marks, "city_id")
    result = {}
    for city_id in city_ids:
        rate = rates.get(city_id)
        if rate is None:
            result[city_id] = {"key": ATTENDANCE_NONE, "met": False, "threshold": threshold}
        else:
            met = rate["rate"] >= threshold
            result[city_id] = {"key": ATTENDANCE_MET if met else ATTENDANCE_SHORT, "met": met,
                               "threshold": threshold, "rate": rate["rate"], "attended": rate["attended"],
                               "marked": rate["marked"]}
    return result


def outcomes_derive(cities, cohort, *, now=None):
    """{city_id: Derivation} for `cities` of `cohort`: five queries, however many cities."""
    now = now or timezone.now()
    cities = list(cities)
    ids = [city.pk for city in cities]
    threshold = attendance_threshold(cohort)
    convening = _convening_reasons(ids, cohort, now)
    strategy = _strategy_reasons(ids)
    attendance = _attendance_reasons(ids, cohort, threshold)
    derived = {}
    for city in cities:
        if city.status == City.Status.WITHDRAWN:
            derived[city.pk] = Derivation(city, Outcome.WITHDRAWN, [{"key": WITHDRAWN, "met": False}])
            continue
        reasons = [*convening[city.pk], strategy[city.pk], attendance[city.pk]]
        outcome = Outcome.COMPLETED if all(r["met"] for r in reasons) else Outcome.NOT_COMPLETED
        derived[city.pk] = Derivation(city, outcome, reasons)
    return derived


def outcome_derive(city, *, now=None):
    return outcomes_derive([city], city.cohort, now=now)[city.pk]


def outcome_confirm(*, city, actor, outcome, reason="", now=None):
    """Record staff's confirmation of `city`'s outcome. Another outcome than the derived one needs
    a written reason; so does changing an outcome already confirmed."""
    reason = (reason or "").strip()
    if not actor.has_perm("completion.confirm_outcome", city):
        raise RuleViolation(_("Only program staff can confirm a city's outcome."))
    if outcome not in Outcome.values:
        raise RuleViolation(_("Choose completed, not completed or withdrawn."), field="outcome")
    now = now or timezone.now()
    with transaction.atomic(), scopes_disabled():
        city = City.objects.select_for_update().select_related("cohort").get(pk=city.pk)
        derivation = outcome_derive(city, now=now)
        before = CityOutcome.objects.filter(city=city).first()
        if outcome != derivation.outcome and len(reason) < MIN_REASON:
            raise RuleViolation(
                _("The record says “%(derived)s”. To confirm another outcome, write the reason (at least "
                  "%(n)d characters); it goes in the audit log.")
                % {"derived": Outcome(derivation.outcome).label, "n": MIN_REASON},
                field="reason",
            )
        row = before or CityOutcome(city=city)
        row.outcome, row.derived, row.explanation, row.reason = outcome, derivation.outcome, derivation.reasons, reason
        row.confirmed_by, row.confirmed_by_name, row.confirmed_at = actor, str(actor), now
        row.save()
        audit_record(
            city=city, actor=actor, action="completion.outcome_confirmed", reason=reason,
            data={"city_name": city.name, "outcome": outcome, "derived": derivation.outcome,
                  "before": before.outcome if before else ""},
        )
    return row


def cohort_close(*, cohort, actor, now=None):
    """Close a cohort: it reads as completed and its cities (all but the withdrawn) become alumni.
    Refused while a city's outcome is not confirmed. Nothing is deleted."""
    if not actor.has_perm("completion.close_cohort", cohort):
        raise RuleViolation(_("Only program staff can close a cohort."))
    with transaction.atomic(), scopes_disabled():
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        if cohort.status == Cohort.Status.COMPLETED and not cohort.cities.exclude(
                status__in=(City.Status.ALUMNI, City.Status.WITHDRAWN)).exists():
            return cohort
        unconfirmed = list(cohort.cities.filter(outcome__isnull=True).order_by("name").values_list("name", flat=True))
        if unconfirmed:
            raise RuleViolation(
                _("Confirm the outcome of every city before closing the cohort: %(cities)s.")
                % {"cities": ", ".join(unconfirmed)}
            )
        moved = list(cohort.cities.filter(~Q(status__in=(City.Status.ALUMNI, City.Status.WITHDRAWN)))
                     .order_by("pk"))
        for city in moved:
            before = city.status
            city.status = City.Status.ALUMNI
            city.save(update_fields=["status"])
            audit_record(city=city, actor=actor, action="city.status_changed",
                         data={"before": before, "after": city.status})
        before_status = cohort.status
        cohort.status = Cohort.Status.COMPLETED
        cohort.save(update_fields=["status"])
        audit_record(cohort=cohort, actor=actor, action="completion.cohort_closed",
                     data={"cohort_name": cohort.name, "count": len(moved), "before": before_status})
        if moved:
            # Alumni are not invited to the sessions ahead of their old cohort.
            invitations_sync(cohort_id=cohort.pk)
            dashboard_rows_changed(city_ids=[city.pk for city in moved])
    return cohort


def completion_set_threshold(*, cohort, actor, threshold):
    """Set the share of required sessions a city must attend to complete."""
    from ..models import CompletionSettings

    if not actor.has_perm("completion.close_cohort", cohort):
        raise RuleViolation(_("Only program staff can set the completion rule."))
    if not 0 <= threshold <= 100:
        raise RuleViolation(_("Give a percentage between 0 and 100."), field="attendance_threshold")
    with transaction.atomic():
        row, _created = CompletionSettings.objects.get_or_create(cohort=cohort)
        before = row.attendance_threshold
        if before != threshold or _created:
            row.attendance_threshold = threshold
            row.save(update_fields=["attendance_threshold"])
            audit_record(cohort=cohort, actor=actor, action="completion.threshold_set",
                         data={"cohort_name": cohort.name, "threshold": threshold, "before": before})
    return row
