"""Sessions: staff create, edit, reschedule and cancel them; a change tells the invitees."""

import zoneinfo

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from agenda.models import ConveningDay, Session
from agenda.services.reminders import reminders_queue
from agenda.services.session_invitations import invitations_sync
from cohorts.services.dashboard_rows import dashboard_rows_changed

EDITABLE_FIELDS = [
    "kind", "title", "description", "learning_goal", "audience", "city", "starts_at", "ends_at", "time_zone",
    "venue", "video_url", "speakers", "materials", "required",
]
# Changes that make calendars replace the event (RFC 5545 SEQUENCE) and invitees hear about.
TIME_FIELDS = ("starts_at", "ends_at")


def _check_can_manage(*, actor, cohort):
    if not actor.has_perm("agenda.manage_sessions", cohort):
        raise RuleViolation(_("You cannot manage the sessions of %(cohort)s.") % {"cohort": cohort})


def _fmt(moment, zone):
    return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M")


def _validate(session, days):
    try:
        zone = zoneinfo.ZoneInfo(session.time_zone or "")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise RuleViolation(
            _("“%(zone)s” is not a time zone we know. Choose one from the list, such as America/Chicago.")
            % {"zone": session.time_zone}, field="time_zone",
        ) from None
    if session.starts_at is None or session.ends_at is None:
        raise RuleViolation(_("Give the start and the end."), field="starts_at")
    if session.ends_at <= session.starts_at:
        raise RuleViolation(_("The session must end after it starts."), field="ends_at")
    if session.city_id is not None and session.city.cohort_id != session.cohort_id:
        raise RuleViolation(_("This city is not in the session's cohort."), field="city")
    if session.kind in Session.CITY_KINDS and session.city_id is None:
        raise RuleViolation(_("A %(kind)s is for one city: choose it.") % {"kind": session.get_kind_display().lower()},
                            field="city")
    if session.audience == Session.Audience.CITY and session.city_id is None:
        raise RuleViolation(_("Choose the city this session is for."), field="city")
    if session.is_in_person and not session.venue.strip():
        raise RuleViolation(_("An in-person session needs its venue."), field="venue")
    for day in days:
        if day["ends_at"] <= day["starts_at"]:
            raise RuleViolation(_("“%(day)s” must end after it starts.") % {"day": day["label"]}, field="days")
        if day["starts_at"] < session.starts_at or day["ends_at"] > session.ends_at:
            raise RuleViolation(
                _("“%(day)s” falls outside the session (%(start)s to %(end)s, %(zone)s).")
                % {"day": day["label"], "start": _fmt(session.starts_at, zone), "end": _fmt(session.ends_at, zone),
                   "zone": session.time_zone},
                field="days",
            )


def _normalise(session):
    if session.kind in Session.CITY_KINDS or (session.kind == Session.Kind.SHOWCASE and session.city_id):
        session.audience = Session.Audience.CITY
    if session.audience != Session.Audience.CITY:
        session.city = None


def _save_days(session, days):
    keep = []
    existing = {d.pk: d for d in session.days.all()}
    for data in days:
        day = existing.get(data.get("pk")) or ConveningDay(session=session)
        day.label, day.starts_at, day.ends_at = data["label"], data["starts_at"], data["ends_at"]
        day.required = data.get("required", True)
        day.save()
        keep.append(day.pk)
    try:
        with transaction.atomic():
            session.days.exclude(pk__in=keep).delete()
    except ProtectedError as error:
        # A day's check-ins and surrogate attempts are history: the day stays.
        raise RuleViolation(_("A day with attendance on record cannot be removed; change its times instead."),
                            field="days") from error


def _rows_changed(session, *city_ids):
    """A city's coaching session sets its next check-in on the dashboard; a convening's days set
    every city's convening column."""
    if session.kind == Session.Kind.CONVENING:
        dashboard_rows_changed(cohort_id=session.cohort_id)
    else:
        dashboard_rows_changed(city_ids=[session.city_id, *city_ids])


def _notify_change(session):
    """Queue the notice to every invitee in the change's own transaction (the sweep would find
    it too, minutes later)."""
    reminders_queue(session_ids=[session.pk])


def session_create(*, cohort, actor, days=(), **fields):
    """Create a session and invite its audience. `days` lists the segments of a multi-day session
    as dicts with label, starts_at, ends_at and required."""
    _check_can_manage(actor=actor, cohort=cohort)
    session = Session(cohort=cohort, created_by=actor, **fields)
    _normalise(session)
    _validate(session, days)
    with transaction.atomic():
        session.save()
        _save_days(session, days)
        invitations_sync(session_ids=[session.pk], include_past=True)
        _rows_changed(session)
        audit_record(
            cohort=cohort, city=session.city, actor=actor, action="session.created",
            data={"session": session.code, "kind": session.kind, "title": session.title},
        )
    return session


def session_update(*, session, actor, days=None, **fields):
    """Edit a session. Moving it in time marks it rescheduled, bumps its calendar sequence and
    sends the invitees a notice (after the commit, through the reminder machinery)."""
    _check_can_manage(actor=actor, cohort=session.cohort)
    if session.is_cancelled:
        raise RuleViolation(_("This session was cancelled; create a new one instead."))
    before = {name: getattr(session, name) for name in [*EDITABLE_FIELDS, "city_id"]}
    for name, value in fields.items():
        setattr(session, name, value)
    _normalise(session)
    current_days = [
        {"pk": d.pk, "label": d.label, "starts_at": d.starts_at, "ends_at": d.ends_at, "required": d.required}
        for d in session.days.all()
    ]
    _validate(session, current_days if days is None else days)
    changed = [name for name in EDITABLE_FIELDS if getattr(session, name) != before.get(name)]
    moved = any(name in changed for name in TIME_FIELDS)
    days_changed = days is not None and [
        (d["label"], d["starts_at"], d["ends_at"], d.get("required", True)) for d in days
    ] != [(d["label"], d["starts_at"], d["ends_at"], d["required"]) for d in current_days]
    if not changed and not days_changed:
        return session
    with transaction.atomic():
        session.sequence += 1
        if moved:
            session.status = Session.Status.RESCHEDULED
            session.changed_at = timezone.now()
        session.save()
        if days is not None:
            _save_days(session, days)
        invitations_sync(session_ids=[session.pk])
        _rows_changed(session, before["city_id"])
        audit_record(
            cohort=session.cohort, city=session.city, actor=actor,
            action="session.rescheduled" if moved else "session.edited",
            data={"changed": changed, "session": session.code, "title": session.title,
                  "start": session.starts_at.astimezone(zoneinfo.ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M")},
        )
        if moved:
            _notify_change(session)
    return session


def session_cancel(*, session, actor, reason=""):
    _check_can_manage(actor=actor, cohort=session.cohort)
    if session.is_cancelled:
        return session
    if session.has_ended:
        raise RuleViolation(_("This session is over; it can no longer be cancelled."))
    with transaction.atomic():
        session.status = Session.Status.CANCELLED
        session.sequence += 1
        session.changed_at = timezone.now()
        session.save(update_fields=["status", "sequence", "changed_at", "updated_at"])
        _rows_changed(session)
        audit_record(
            cohort=session.cohort, city=session.city, actor=actor, action="session.cancelled",
            data={"session": session.code, "title": session.title}, reason=reason,
        )
        _notify_change(session)
    return session
