"""The audit events of the dashboards: exports of the impact report."""

from django.utils.translation import gettext_lazy as _

from accelerator.audit_registry import register_kind

register_kind("export.impact", _("Impact report exported as CSV"))
