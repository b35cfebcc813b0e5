"""Attendance: marked in bulk per session, rolled up per person, city and session."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation
from agenda.models import Attendance, Session
from cohorts.services.dashboard_rows import dashboard_rows_changed

ATTENDED = Q(status__in=Attendance.ATTENDED)


def attendance_mark(*, session, actor, marks):
    """Record attendance for a session. `marks` maps invitation -> status ('' leaves a person
    unmarked and clears an earlier mark). Only invitees can be marked."""
    if not actor.has_perm("agenda.mark_attendance", session):
        raise RuleViolation(_("You cannot mark attendance for this session."))
    if session.is_cancelled:
        raise RuleViolation(_("This session was cancelled; there is no attendance to mark."))
    if session.kind == Session.Kind.CONVENING:
        # Its marks are per segment (the desk, the enforcement) and its outcome is derived from them.
        raise RuleViolation(_("The convening's attendance is kept per segment at the check-in desk; its outcome "
                              "follows from the segments and the staff's decisions."))
    if session.starts_at > timezone.now():
        raise RuleViolation(_("Attendance can be marked once the session has started."))
    valid = set(Attendance.MARKABLE)
    with transaction.atomic():
        existing = {a.person_id: a for a in session.attendance.filter(day__isnull=True)}
        to_create, to_update, to_delete = [], [], []
        for invitation, status in marks.items():
            if status and status not in valid:
                raise RuleViolation(_("Unknown attendance value “%(value)s”.") % {"value": status})
            current = existing.get(invitation.person_id)
            if not status:
                if current is not None:
                    to_delete.append(current.pk)
            elif current is None:
                to_create.append(Attendance(session=session, city_id=invitation.city_id, person_id=invitation.person_id,
                                            status=status, marked_by=actor, source=Attendance.Source.MANUAL))
            elif current.status != status:
                current.status, current.marked_by, current.marked_at = status, actor, timezone.now()
                current.source = Attendance.Source.MANUAL
                to_update.append(current)
        try:
            with transaction.atomic():
                Attendance.objects.bulk_create(to_create)
        except IntegrityError as exc:  # someone else marked one of these people meanwhile
            raise RuleViolation(_("Someone else marked this attendance meanwhile; look at it again.")) from exc
        Attendance.objects.bulk_update(to_update, ["status", "marked_by", "marked_at", "source"])
        if to_delete:
            Attendance.objects.filter(pk__in=to_delete).delete()
        changed = len(to_create) + len(to_update) + len(to_delete)
        if changed:
            dashboard_rows_changed(city_ids={invitation.city_id for invitation in marks})
            audit_record(
                cohort=session.cohort, city=session.city, actor=actor, action="session.attendance_marked",
                data={"session": session.code, "title": session.title, "count": changed},
            )
    return changed


def _rate(attended, marked):
    return round(100 * attended / marked) if marked else None


def rates_by(queryset, field):
    """{field value: {"attended", "marked", "rate"}} for an attendance queryset, in one query."""
    rows = queryset.values(field).annotate(marked=Count("pk"), attended=Count("pk", filter=ATTENDED))
    return {r[field]: {"attended": r["attended"], "marked": r["marked"], "rate": _rate(r["attended"], r["marked"])}
            for r in rows}
