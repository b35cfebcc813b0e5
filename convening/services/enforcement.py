"""Enforcement of the no-surrogate rule over time, run by a periodic Celery sweep.

For every convening that has started and is not yet settled:
- at each segment's start and again partway through, mayors not yet checked in get a reminder
  (one outbox message per person and step) and staff get the live list (one
  `EnforcementStep` row per step);
- when a segment's window closes, each participating mayor without a check-in is marked absent
  (the attendance ledger's unique key per person and segment);
- when the convening is over, each city whose mayor missed a required segment gets an
  `EligibilityReview` (one per city and convening) and becomes "not eligible — pending review",
  and staff get the list.

Each effect is guarded by a unique key written in the same transaction as the effect, so running
the sweep twice, late, concurrently or after a crash gives the same result. Steps whose moment
has passed are not sent late: a reminder for a closed segment helps no one."""

import os
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.audit import audit_record
from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.services import mail_send
from agenda.models import Attendance, Session
from agenda.services.session_invitations import invitations_sync
from cohorts.models import City

from ..models import EligibilityReview, EnforcementStep
from .codes import checkin_codes_issue
from .eligibility import eligibility_announce
from .windows import CODES_BEFORE, PARTICIPATING, expected_mayors, partway_at, required_days

TASK = "convening.enforce"
START, PARTWAY = "start", "partway"


def _crash_point(name):
    """Test-only pause between a step's check and its write, so a test can kill the worker there.

    Active only when CONVENING_TEST_PAUSE names this point and the marker file it gives does not
    exist yet (so the redelivered task runs straight through)."""
    spec = os.environ.get("CONVENING_TEST_PAUSE", "")
    if not spec or ":" not in spec:
        return
    point, marker = spec.split(":", 1)
    if point != name or os.path.exists(marker):
        return
    with open(marker, "w") as fh:
        fh.write(str(os.getpid()))
    time.sleep(float(os.environ.get("CONVENING_TEST_PAUSE_SECONDS", "60")))


def _staff():
    return list(get_user_model().objects.filter(is_staff=True, is_active=True).order_by("email"))


def _attended_ids(session, day):
    return set(
        Attendance.objects.filter(session=session, day=day, status__in=Attendance.ATTENDED)
        .values_list("person_id", flat=True)
    )


def _board_url(session):
    return settings.SITE_URL + reverse("convening:board", kwargs={"code": session.code})


def _once(key, session, now):
    """Claim a once-only step inside the caller's transaction; False when it was already done."""
    if EnforcementStep.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            EnforcementStep.objects.create(key=key, session=session, done_at=now)
    except IntegrityError:
        return False
    return True


def _remind(session, day, step, now, mayors, clock=None):
    """Reminders to mayors not yet in, and the live list to staff. Returns reminders queued.
    `clock()` is the sweep's time now (`now` plus the time the sweep has taken so far)."""
    clock = clock or timezone.now
    attended = _attended_ids(session, day)
    missing = [m for m in mayors if m.user_id not in attended]
    topic = f"convening.day:{day.pk}"
    key = f"convening:{day.code}:{step}"
    already = set(
        OutgoingMessage.objects.filter(topic=topic, key__startswith=f"{key}/").values_list("recipient_id", flat=True)
    )
    sent = 0
    # A start reminder is no use once the partway one is due, and neither once the segment closed.
    deadline = partway_at(day) if step == START else day.ends_at
    for membership in missing:
        if membership.user_id in already:  # the outbox's unique key still decides under a race
            continue
        # The clock is read at each message, not at the sweep's start: a sweep that is slow or
        # redelivered late queues nothing after the reminder's moment.
        if clock() >= deadline:
            break
        mail_send(
            "convening.reminder", to=membership.user, city=membership.city, key=key, topic=topic,
            context={"person": membership.user, "session": session, "day": day, "step": step,
                     "city": membership.city},
        )
        sent += 1
    with transaction.atomic():
        if _once(f"{day.code}:{step}:staff", session, now):
            mail_send(
                "convening.staff_live", to=_staff(), cohort=session.cohort, key=f"convening-live:{day.code}:{step}",
                context={"session": session, "day": day, "step": step, "missing": missing, "total": len(mayors),
                         "board_url": _board_url(session)},
            )
    return sent


def _close(session, day, now, mayors):
    """Mark absent every participating mayor without a check-in for a closed segment."""
    have = set(Attendance.objects.filter(session=session, day=day).values_list("person_id", flat=True))
    missing = [m for m in mayors if m.user_id not in have]
    _crash_point("close")
    marked = 0
    for membership in missing:
        with transaction.atomic():
            _row, created = Attendance.objects.get_or_create(
                session=session, day=day, person=membership.user,
                defaults={"city": membership.city, "status": Attendance.Status.ABSENT, "marked_at": now,
                          "note": _("Not checked in before the segment closed")},
            )
            if created:
                marked += 1
                audit_record(
                    city=membership.city, task=TASK, action="convening.segment_missed",
                    data={"session": session.code, "day": day.label, "person": membership.user.email,
                          "person_name": str(membership.user), "title": session.title},
                )
    return marked


def _missed_by_city(session, days, mayors):
    """{city_id: [labels of required segments the mayor did not attend or was not excused from]}."""
    required = required_days(session, days)
    ok = set(
        Attendance.objects.filter(
            session=session, day__in=required,
            status__in=(*Attendance.ATTENDED, Attendance.Status.EXCUSED),
        ).values_list("person_id", "day_id")
    )
    missed = {}
    for membership in mayors:
        labels = [d.label for d in required if (membership.user_id, d.pk) not in ok]
        if labels:
            missed[membership.city_id] = labels
    return missed


def _settle(session, days, now, mayors):
    """After the convening: cities whose mayor missed a required segment → pending review."""
    missed = _missed_by_city(session, days, mayors)
    cities = {m.city_id: m.city for m in mayors}
    # A participating city with no mayor on record cannot have met the rule either.
    for city in City.objects.filter(cohort_id=session.cohort_id, status__in=PARTICIPATING).exclude(pk__in=cities):
        cities[city.pk] = city
        missed[city.pk] = [d.label for d in required_days(session, days)]
    opened = []
    _crash_point("settle")
    for city_id, labels in sorted(missed.items(), key=lambda item: cities[item[0]].name):
        if not labels:
            continue
        with transaction.atomic():
            city = City.objects.select_for_update().get(pk=city_id)
            review, created = EligibilityReview.objects.get_or_create(
                session=session, city=city,
                defaults={"missed": labels, "previous_status": city.status, "created_at": now},
            )
            if not created:
                continue
            city.status = City.Status.NOT_ELIGIBLE
            city.save(update_fields=["status"])
            # A city out of the program is no longer invited to the sessions ahead.
            invitations_sync(city_id=city.pk)
            audit_record(
                city=city, task=TASK, action="convening.eligibility_pending",
                data={"session": session.code, "missed": labels, "previous_status": review.previous_status,
                      "title": session.title},
            )
            eligibility_announce(review, "convening.eligibility_pending", key=str(review.pk))
            opened.append(review)
    with transaction.atomic():
        if _once(f"{session.code}:settled", session, now):
            pending = list(
                EligibilityReview.objects.filter(session=session, state=EligibilityReview.State.PENDING)
                .select_related("city").order_by("city__name")
            )
            mail_send(
                "convening.staff_review", to=_staff(), cohort=session.cohort, key=f"convening-review:{session.code}",
                context={"session": session, "pending": pending, "board_url": _board_url(session)},
            )
            audit_record(
                cohort=session.cohort, task=TASK, action="convening.settled",
                data={"session": session.code, "pending": [r.city.slug for r in pending], "title": session.title,
                      "count": len(pending)},
            )
    return opened


def convenings_to_enforce(now):
    settled = EnforcementStep.objects.filter(key__endswith=":settled").values("session_id")
    return list(
        Session.objects.filter(kind=Session.Kind.CONVENING, starts_at__lte=now + CODES_BEFORE)
        .exclude(status=Session.Status.CANCELLED)
        .exclude(pk__in=settled)
        .select_related("cohort")
        .order_by("starts_at")
    )


@scopes_disabled()  # the enforcement spans every city of each convening
def convening_enforce(*, now=None, session=None):
    """One sweep. Returns a summary of what it did (for logs and tests)."""
    now = now or timezone.now()
    started = timezone.now()

    def clock():
        return now + (timezone.now() - started)

    summary = {"codes": 0, "reminders": 0, "absent": 0, "reviews": 0, "settled": 0}
    sessions = [session] if session is not None else convenings_to_enforce(now)
    for session in sessions:
        if session.is_cancelled:
            continue
        days = list(session.days.order_by("starts_at"))
        if now < session.ends_at:
            summary["codes"] += len(checkin_codes_issue(session=session, now=now))
        if not days or now < days[0].starts_at:
            continue
        mayors = expected_mayors(session)
        for day in days:
            if now >= day.ends_at:
                summary["absent"] += _close(session, day, now, mayors)
                continue
            for step, at in ((START, day.starts_at), (PARTWAY, partway_at(day))):
                if at <= now and (step == PARTWAY or now < partway_at(day)):
                    summary["reminders"] += _remind(session, day, step, now, mayors, clock)
        if now >= max(session.ends_at, days[-1].ends_at):
            summary["reviews"] += len(_settle(session, days, now, mayors))
            summary["settled"] += 1
    return summary
