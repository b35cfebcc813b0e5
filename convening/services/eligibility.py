"""Staff decisions on a city's eligibility after the convening: always with a written reason."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from accelerator.outbox.services import outbox_queue, outgoing
from agenda.services.session_invitations import invitations_sync
from cohorts.models import City
from cohorts.models.visibility import current_memberships
from cohorts.services.dashboard_rows import dashboard_rows_changed

from ..models import EligibilityReview
from .outcome import convening_outcomes_sync
from .windows import PARTICIPATING

MIN_REASON = 10


def eligibility_decide(*, review, actor, state, reason, now=None):
    """Settle a review: excused or eligible restore the city's status; confirmed keeps it out."""
    reason = (reason or "").strip()
    if not actor.has_perm("convening.decide_eligibility"):
        raise RuleViolation(_("Only program staff can decide a city's eligibility."))
    if state not in EligibilityReview.State.values or state == EligibilityReview.State.PENDING:
        raise RuleViolation(_("Choose excused, eligible or confirmed not eligible."), field="state")
    if len(reason) < MIN_REASON:
        raise RuleViolation(
            _("Write the reason for this decision (at least %(n)d characters); it goes in the audit log.")
            % {"n": MIN_REASON},
            field="reason",
        )
    now = now or timezone.now()
    with transaction.atomic(), scopes_disabled():
        review = EligibilityReview.objects.select_for_update().select_related("session").get(pk=review.pk)
        city = City.objects.select_for_update().get(pk=review.city_id)
        before_state, before_status = review.state, city.status
        review.state, review.reason, review.decided_by, review.decided_at = state, reason, actor, now
        review.save(update_fields=["state", "reason", "decided_by", "decided_at"])
        if state in EligibilityReview.RESTORED:
            restored = review.previous_status if review.previous_status in PARTICIPATING else City.Status.ACTIVE
            new_status = restored
        else:
            new_status = City.Status.NOT_ELIGIBLE
        # A city of a closed cohort stays alumni: the decision changes its outcome, not its status.
        if city.status != new_status and city.status != City.Status.ALUMNI:
            city.status = new_status
            city.save(update_fields=["status"])
            # Restored cities are invited to the sessions ahead again; excluded ones are not.
            invitations_sync(city_id=city.pk)
        # The decision excuses (or confirms) what the mayor missed: the outcome follows it.
        convening_outcomes_sync(session=review.session, city_ids=[city.pk], now=now)
        dashboard_rows_changed(city_ids=[city.pk])
        audit_record(
            city=city, actor=actor, action="convening.eligibility_decided",
            reason=reason,
            data={"session": review.session.code, "state": state, "status": city.status, "title": review.session.title,
                  "state_before": before_state, "status_before": before_status},
        )
        eligibility_announce(review, "convening.eligibility_decided", key=f"{review.pk}:{int(now.timestamp())}",
                             state=state, reason=reason)
    return review


def eligibility_announce(review, kind, *, key, **context):
    """Tell the city's mayor and team where their participation stands."""
    eligibility_announce_many([review], kind, key=lambda _review: key, **context)


def eligibility_announce_many(reviews, kind, *, key, **context):
    """`eligibility_announce` for many cities' reviews at once (`key(review)` names each cause):
    one read of the teams and one INSERT, however many cities."""
    return outbox_queue(eligibility_messages(reviews, kind, key=key, **context))


def eligibility_messages(reviews, kind, *, key, **context):
    """The unsaved outbox rows of `eligibility_announce_many` (one read of the teams), for a
    caller that queues them together with its own."""
    reviews = list(reviews)
    if not reviews:
        return []
    teams = {}
    for membership in current_memberships().filter(city_id__in={r.city_id for r in reviews}).select_related("user"):
        teams.setdefault(membership.city_id, []).append(membership.user)
    rows = []
    for review in reviews:
        link = settings.SITE_URL + reverse("dashboards:city_home", kwargs={"city_slug": review.city.slug})
        rows.extend(outgoing(
            kind, to=teams.get(review.city_id, []), city=review.city, key=f"{kind}:{key(review)}",
            context={"review": review, **context, "link": link},
        ))
    return rows
