"""The audit events of the program calendar: sessions and their attendance. Placeholders are keys
of the event's data; choice values are turned into labels when the event is read."""

from django.utils.translation import gettext_lazy as _

from accelerator.audit_registry import register_group, register_kind

from .models import Session
from .participant_reports import ReportFormat

register_group("session", _("Sessions"))
register_group("attendance", _("Attendance"))

register_kind("session.created", _("%(kind)s “%(title)s” scheduled"), labels={"kind": Session.Kind})
register_kind("session.edited", _("“%(title)s” edited"))
register_kind("session.rescheduled", _("“%(title)s” moved to %(start)s UTC"))
register_kind("session.cancelled", _("“%(title)s” cancelled"))
register_kind("session.nudged", _("%(count)d people asked to answer “%(title)s”"))
register_kind("session.attendance_marked", _("Attendance of “%(title)s”: %(count)d changes"), group="attendance")
register_kind("attendance.imported", _("Attendance of “%(title)s” imported from a %(format)s: %(count)d changes"),
              labels={"format": ReportFormat})
register_kind("attendance.absence_warning", _("%(person_name)s missed %(count)d sessions in a row"))

register_kind("export.attendance", _("Attendance exported as CSV"))
register_kind("export.feedback", _("Session feedback exported as CSV"))
