"""The audit events of coaching: check-ins, action items, mayor decisions and showcases."""

from django.utils.translation import gettext_lazy as _

from accelerator.audit_registry import register_group, register_kind

from .models import ActionItem

register_group("coaching", _("Coaching"))

register_kind("coaching.checkin_logged", _("Check-in of %(date)s logged with %(count)s new action items"))
register_kind("coaching.checkin_edited", _("Check-in of %(date)s edited"))
register_kind("coaching.action_item_status", _("Action item “%(what)s”: %(before)s → %(after)s"),
              labels={"before": ActionItem.Status, "after": ActionItem.Status})
register_kind("coaching.decision_raised", _("Decision requested from the mayor: %(question)s"))
register_kind("coaching.decision_made", _("The mayor decided: %(question)s"))
register_kind("coaching.decision_withdrawn", _("Decision request withdrawn: %(question)s"))
register_kind("coaching.showcase_created", _("Showcase drafted: %(title)s"))
register_kind("coaching.showcase_submitted", _("Showcase submitted: %(title)s"))
register_kind("coaching.showcase_feedback", _("Feedback on showcase: %(title)s"))

register_kind("export.action-items", _("Action items exported as CSV"))
