"""Enforcement of the no-surrogate rule over time, run by a periodic Celery sweep.

For every convening that has started and is not yet settled:
- at each segment's start and again partway through, mayors not yet checked in get a reminder
  (one outbox message per person and step) and staff get the live list (one
  `EnforcementStep` row per step);
- when a segment's window closes, each participating mayor without a check-in is marked absent
  (the attendance ledger's unique key per person and segment), and the convening's outcome per
  person is derived again from the segments;
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
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists
from django.db.models.constants import OnConflict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accelerator.audit import audit_event, audit_record_many
from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.services import mail_send, outbox_queue, outgoing
from agenda.models import Attendance, Session
from agenda.services.session_invitations import invitations_sync
from cohorts.models import City
from cohorts.services.dashboard_rows import dashboard_rows_changed

from ..models import EligibilityReview, EnforcementStep
from .codes import checkin_codes_issue
from .eligibility import eligibility_messages
from .outcome import convening_outcomes_sync
from .windows import CODES_BEFORE, PARTICIPATING, mayors_of_cohort, partway_at, required_days

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
    sent, rows = 0, []
    # A start reminder is no use once the partway one is due, and neither once the segment closed.
    deadline = partway_at(day) if step == START else day.ends_at
    for membership in missing:
        if membership.user_id in already:  # the outbox's unique key still decides under a race
            continue
        # The clock is read at each message, not at the sweep's start: a sweep that is slow or
        # redelivered late queues nothing after the reminder's moment.
        if clock() >= deadline:
            break
        # Each mayor's message names their own city; all of the step's messages go in one INSERT.
        rows.extend(outgoing(
            "convening.reminder", to=membership.user, city=membership.city, key=key, topic=topic,
            context={"person": membership.user, "session": session, "day": day, "step": step,
                     "city": membership.city},
        ))
        sent += 1
    outbox_queue(rows)
    with transaction.atomic():
        if _once(f"{day.code}:{step}:staff", session, now):
            mail_send(
                "convening.staff_live", to=_staff(), cohort=session.cohort, key=f"convening-live:{day.code}:{step}",
                context={"session": session, "day": day, "step": step, "missing": missing, "total": len(mayors),
                         "board_url": _board_url(session)},
            )
    return sent


def _ledger(session):
    """Every ledger row of the convening (segment marks and outcomes), in one query: the sweep
    decides from them and hands them to the outcome derivation instead of having it read them again."""
    return list(Attendance.objects.filter(session=session))


def _insert_absences(rows):
    """INSERT `rows`, leaving alone any segment someone else marked first (a desk check-in, another
    sweep: theirs stands), and return the (person_id, day_id) of the rows written. One statement
    per batch (ON CONFLICT DO NOTHING … RETURNING), where bulk_create(ignore_conflicts=True) could
    not tell which rows it wrote without reading them again."""
    fields = [f for f in Attendance._meta.concrete_fields if not f.primary_key]
    returning = [Attendance._meta.get_field("person"), Attendance._meta.get_field("day")]
    size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
    written = set()
    for start in range(0, len(rows), size):
        returned = Attendance.objects._insert(  # the insert bulk_create runs, with its RETURNING kept
            rows[start:start + size], fields=fields, returning_fields=returning, on_conflict=OnConflict.IGNORE,
        )
        written.update(tuple(row) for row in returned if row)  # a lone conflicting row returns nothing
    return written


def _close(session, closed, now, mayors, marks):
    """Mark absent every participating mayor without a check-in for the closed segments, all in
    one INSERT, and audit them in one more. Returns the audit events to write, the cities and
    whether every absence was written (when one was not, someone marked that segment meanwhile,
    and `marks`, which holds what was read before, misses their row)."""
    missing = [(day, m) for day in closed for m in mayors if (m.user_id, day.pk) not in marks]
    _crash_point("close")
    if not missing:
        return [], set(), True
    note = _("Not checked in before the segment closed")
    rows = [Attendance(session=session, day=day, city=m.city, person=m.user, status=Attendance.Status.ABSENT,
                       source=Attendance.Source.ENFORCEMENT, marked_at=now, note=note) for day, m in missing]
    written = _insert_absences(rows)
    events = []
    for (day, m), row in zip(missing, rows, strict=True):
        if (m.user_id, day.pk) in written:
            marks[(m.user_id, day.pk)] = row
            events.append(audit_event(
                city=m.city, task=TASK, action="convening.segment_missed",
                data={"session": session.code, "day": day.label, "person": m.user.email,
                      "person_name": str(m.user), "title": session.title}))
    return events, {e["city"].pk for e in events}, len(written) == len(missing)


def _missed_by_city(session, days, mayors, marks):
    """{city_id: [labels of required segments the mayor did not attend or was not excused from]}."""
    required = required_days(session, days)
    ok = {*Attendance.ATTENDED, Attendance.Status.EXCUSED}
    missed = {}
    for membership in mayors:
        labels = [d.label for d in required
                  if getattr(marks.get((membership.user_id, d.pk)), "status", None) not in ok]
        if labels:
            missed[membership.city_id] = labels
    return missed


def _settle(session, days, now, mayors, marks, *, settled_before):
    """After the convening: cities whose mayor missed a required segment → pending review, all in
    bulk under a lock on the cohort's cities. Returns (reviews opened, audit events, cities changed,
    every review of the convening by city)."""
    # Locked, so a concurrent sweep waits here and then finds the reviews this one opened. Every city
    # of the cohort is locked, not only those taking part: no city's status changes until this
    # commits, so the participating ones read here are still the ones the invitations follow.
    locked = City.objects.select_for_update().filter(cohort_id=session.cohort_id).order_by("pk")
    cities = {c.pk: c for c in locked if c.status in PARTICIPATING}
    missed = _missed_by_city(session, days, mayors, marks)
    with_mayor = {m.city_id for m in mayors}
    # A participating city with no mayor on record cannot have met the rule either.
    for city_id in cities:
        if city_id not in with_mayor:
            missed[city_id] = [d.label for d in required_days(session, days)]
    _crash_point("settle")
    reviews = {r.city_id: r for r in EligibilityReview.objects.filter(session=session).select_related("city")}
    new = sorted((pk for pk, labels in missed.items() if labels and pk in cities and pk not in reviews),
                 key=lambda pk: cities[pk].name)
    opened = EligibilityReview.objects.bulk_create([
        EligibilityReview(session=session, city=cities[pk], missed=missed[pk], previous_status=cities[pk].status,
                          created_at=now) for pk in new
    ])
    events, messages = [], []
    if opened:
        City.objects.filter(pk__in=new).update(status=City.Status.NOT_ELIGIBLE)
        # Cities out of the program are no longer invited to the sessions ahead.
        invitations_sync(cohort_id=session.cohort_id, participating=cities.keys() - set(new))
        for review in opened:
            review.city.status = City.Status.NOT_ELIGIBLE
            reviews[review.city_id] = review
            events.append(audit_event(
                city=review.city, task=TASK, action="convening.eligibility_pending",
                data={"session": session.code, "missed": review.missed,
                      "previous_status": review.previous_status, "title": session.title}))
        # Each city's mayor and team hear where their participation stands (queued below, with
        # the staff's message, in one INSERT).
        messages = eligibility_messages(opened, "convening.eligibility_pending", key=lambda review: str(review.pk))
    if not settled_before:
        # The session row is locked (see _after_segments), so no other sweep is claiming this step.
        EnforcementStep.objects.create(key=_settled_key(session), session=session, done_at=now)
        pending = sorted((r for r in reviews.values() if r.state == EligibilityReview.State.PENDING),
                         key=lambda r: r.city.name)
        messages += outgoing(
            "convening.staff_review", to=_staff(), cohort=session.cohort, key=f"convening-review:{session.code}",
            context={"session": session, "pending": pending, "board_url": _board_url(session)},
        )
        events.append(audit_event(
            cohort=session.cohort, task=TASK, action="convening.settled",
            data={"session": session.code, "pending": [r.city.slug for r in pending], "title": session.title,
                  "count": len(pending)}))
    outbox_queue(messages)
    return opened, events, set(new), reviews


def _settled_key(session):
    return f"{session.code}:settled"


def _after_segments(session, days, now, mayors, mayor_ids, *, settle):
    """Closed segments, and the settlement once the convening is over, in one transaction with a
    fixed number of queries however many cities: the marks, reviews, audit events and dashboard
    rows are each written in one statement, and the outcomes are derived from what the sweep read.

    The convening's row is locked first, so two sweeps of the same convening take turns."""
    closed = [day for day in days if now >= day.ends_at]
    with transaction.atomic():
        settled_before = (
            Session.objects.select_for_update().filter(pk=session.pk)
            .annotate(settled=Exists(EnforcementStep.objects.filter(key=_settled_key(session))))
            .values_list("settled", flat=True).first()
        )
        ledger = _ledger(session)
        marks = {(row.person_id, row.day_id): row for row in ledger if row.day_id is not None}
        events, changed, all_written = _close(session, closed, now, mayors, marks)
        opened, reviews = [], None
        if settle:
            opened, settle_events, settled, reviews = _settle(session, days, now, mayors, marks,
                                                              settled_before=settled_before)
            events += settle_events
            changed |= settled
        if changed or (settle and not settled_before):
            # The closed segments and the reviews just opened decide the convening's outcomes; once
            # it is over, everyone's (a team member's missed segment has no mark of its own). When a
            # mark came in meanwhile the outcome reads the ledger afresh, so it counts that mark.
            rows = [*(row for row in ledger if row.day_id is None), *marks.values()] if all_written else None
            convening_outcomes_sync(session=session, city_ids=None if settle else changed, now=now, days=days,
                                    rows=rows, mayor_ids=mayor_ids, reviews=reviews)
        audit_record_many(events)
        dashboard_rows_changed(city_ids=changed)
    return len([e for e in events if e["action"] == "convening.segment_missed"]), opened


def convenings_to_enforce(now):
    settled = EnforcementStep.objects.filter(key__endswith=":settled").values("session_id")  # see _settled_key
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
        # Every current mayor of the cohort decides whose outcome a review touches; those of the
        # participating cities are the ones expected at the desk. One read for both.
        cohort_mayors = mayors_of_cohort(session)
        mayors = [m for m in cohort_mayors if m.city.status in PARTICIPATING]
        for day in days:
            if now >= day.ends_at:
                continue
            for step, at in ((START, day.starts_at), (PARTWAY, partway_at(day))):
                if at <= now and (step == PARTWAY or now < partway_at(day)):
                    summary["reminders"] += _remind(session, day, step, now, mayors, clock)
        over = now >= max(session.ends_at, days[-1].ends_at)
        if any(now >= day.ends_at for day in days):
            absent, opened = _after_segments(session, days, now, mayors, {m.user_id for m in cohort_mayors},
                                             settle=over)
            summary["absent"] += absent
            summary["reviews"] += len(opened)
            summary["settled"] += int(over)
    return summary
