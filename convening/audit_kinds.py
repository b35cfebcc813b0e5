"""The audit events of the convening: the desk, its codes and the enforcement's decisions."""

from django.utils.translation import gettext_lazy as _

from accelerator.audit_registry import register_group, register_kind
from agenda.models import Attendance
from cohorts.audit_kinds import role_label
from cohorts.models import City

from .models import EligibilityReview, SurrogateAttempt


def desk_label(data):
    return data["desk"] or "—"


def presenter_label(data):
    return data["who"] or _("Unnamed person")


register_group("convening", _("Mayors' convening"))

register_kind("convening.codes_issued", _("Check-in codes for “%(title)s” sent to %(count)d mayors"))
register_kind("convening.code_reissued", _("New check-in code for %(person_name)s; the old code no longer works"))
register_kind("convening.desk_refused",
              _("%(person_name)s tried to use the check-in desk without being program staff"))
register_kind(
    "convening.code_refused",
    {
        "unknown": _("Unknown check-in code “%(presented)s” at desk %(desk)s"),
        "other_session": _("%(person_name)s's code for “%(other_title)s” was presented at “%(title)s”"),
        "replaced": _("A replaced check-in code of %(person_name)s was presented at desk %(desk)s"),
    },
    variant="refusal", labels={"desk": desk_label},
)
register_kind("convening.surrogate_refused",
              _("Surrogate refused: %(who)s presented for %(city_name)s at desk %(desk)s (%(reason)s)"),
              labels={"who": presenter_label, "desk": desk_label, "reason": SurrogateAttempt.Reason})
register_kind("convening.checkin_refused",
              _("%(person_name)s (%(city_name)s, %(cohort_name)s) presented at “%(title)s”, "
                "another cohort's convening"))
register_kind("convening.checked_in",
              _("%(person_name)s (%(role)s) checked in for “%(day)s”: %(status)s, desk %(desk)s"),
              labels={"role": role_label("role", "role_title"), "status": Attendance.Status, "desk": desk_label})
register_kind("convening.segment_missed", _("Mayor %(person_name)s missed “%(day)s” of “%(title)s”"))
register_kind("convening.eligibility_pending",
              _("Not eligible — pending review: the mayor missed %(days)s of “%(title)s”"),
              labels={"days": lambda data: ", ".join(data["missed"])})
register_kind("convening.settled", _("“%(title)s” settled: %(count)d cities pending review"))
register_kind("convening.eligibility_decided",
              _("Eligibility after “%(title)s”: %(state_before)s → %(state)s "
                "(participation: %(status_before)s → %(status)s)"),
              labels={"state_before": EligibilityReview.State, "state": EligibilityReview.State,
                      "status_before": City.Status, "status": City.Status})
