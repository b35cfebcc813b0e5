"""The audit events the project package itself records."""

from django.utils.translation import gettext_lazy as _

from .audit_registry import register_group, register_kind

register_group("export", _("Exports"))

register_kind("export.audit_csv", _("Audit trail exported as CSV"))

register_group("outbox", _("Messages"))

register_kind("outbox.resent", _("Message %(kind)s to %(to)s queued again"))
register_kind("outbox.announcement_sent", _("Announcement “%(subject)s” sent to %(count)s people"))

register_group("person", _("Personal data"))

register_kind("person.erased", _("The name and email of %(person_name)s were erased; %(count)d audit lines rewritten"))
