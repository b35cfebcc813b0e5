"""The audit events of the data strategy: its review workflow and the maturity self-assessment."""

from django.utils.translation import gettext_lazy as _

from accelerator.audit_registry import register_group, register_kind

from .models import MaturityRating, Strategy
from .services.review import TRANSITIONS

register_group("strategy", _("Data strategy"))

for name in TRANSITIONS:
    register_kind(f"strategy.{name}", _("Data strategy: %(from)s → %(to)s"),
                  labels={"from": Strategy.Status, "to": Strategy.Status})
register_kind("strategy.maturity_rated", _("Maturity self-assessment saved (%(phase)s)"),
              labels={"phase": MaturityRating.Phase})

register_kind("export.strategy-actions", _("Strategy actions exported as CSV"))
register_kind("strategy.made_public", _("The mayor made edition %(edition)s of the data strategy public"))
register_kind("strategy.public_withdrawn", _("The mayor withdrew the data strategy from public view"))
register_kind("strategy.shared", _("Shared with the cohort: %(label)s"))
register_kind("strategy.unshared", _("No longer shared with the cohort: %(label)s"))
