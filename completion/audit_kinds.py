"""The audit events of completion: outcomes confirmed, the rule's threshold, cohorts closed."""

from django.utils.translation import gettext_lazy as _

from accelerator.audit_registry import register_group, register_kind

from .models import Outcome

register_group("completion", _("Completion"))

register_kind("completion.outcome_confirmed",
              _("Outcome of %(city_name)s confirmed: %(outcome)s (the record says %(derived)s)"),
              labels={"outcome": Outcome, "derived": Outcome})
register_kind("completion.threshold_set",
              _("Completion rule of %(cohort_name)s: required sessions attended at %(threshold)s%%"))
register_kind("completion.cohort_closed", _("%(cohort_name)s closed: %(count)d cities are alumni"))
