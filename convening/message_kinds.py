"""The messages of the convening (see the README's table of messages)."""

from django.utils.translation import gettext_lazy as _

from accelerator.outbox.registry import register_loader, register_message

from .models import CheckInCode, EligibilityReview


def _code_still_wanted(context, now):
    code = context["code"]
    if code.revoked_at is not None:
        return _("Not sent: a newer code replaced this one.")
    if now >= context["session"].ends_at:
        return _("Not sent: the convening was over.")
    return None


def _before_segment_end(context, now):
    if now >= context["day"].ends_at:
        return _("Not sent: the segment had closed.")
    return None


register_loader("convening.checkincode", lambda pks: CheckInCode.objects
                .select_related("city", "person").in_bulk(pks))
register_loader("convening.eligibilityreview", lambda pks: EligibilityReview.objects
                .select_related("city", "session").in_bulk(pks))

register_message(
    "convening.code", template="emails/convening_code", subject=_("Your check-in code for %(title)s"),
    audience=_("Each mayor expected at the convening (and again when staff reissue the code)"),
    why=_("You are your city's mayor, expected at the convening in person."),
    still_wanted=_code_still_wanted, subject_params=lambda values: {"title": values["session"].title},
)
register_message(
    "convening.reminder", template="emails/convening_reminder",
    subject=_("Please check in at the desk: %(day)s"),
    audience=_("Each mayor not checked in, at a segment's start and partway through"),
    why=_("You are your city's mayor, expected at the convening in person."),
    still_wanted=_before_segment_end, subject_params=lambda values: {"day": values["day"].label},
)
register_message(
    "convening.staff_live", template="emails/convening_staff_live",
    subject=_("%(day)s: %(count)s mayors not checked in yet"),
    audience=_("Program staff, at a segment's start and partway through"),
    why=_("You run the program's convening."),
    subject_params=lambda values: {"day": values["day"].label, "count": len(values["missing"])},
)
register_message(
    "convening.staff_review", template="emails/convening_staff_review",
    subject=_("%(title)s: %(count)s cities pending eligibility review"),
    audience=_("Program staff, when the convening is over"),
    why=_("You run the program's convening."),
    subject_params=lambda values: {"title": values["session"].title, "count": len(values["pending"])},
)
register_message(
    "convening.eligibility_pending", template="emails/convening_eligibility_pending",
    subject=_("%(city)s: participation pending review after %(title)s"),
    audience=_("The city's mayor and team, when the mayor missed a required segment"),
    why=_("You are on this city's team."),
    subject_params=lambda values: {"city": values["review"].city.name, "title": values["review"].session.title},
)
register_message(
    "convening.eligibility_decided", template="emails/convening_eligibility_decided",
    subject=_("%(city)s: eligibility decided"),
    audience=_("The city's mayor and team, when staff decide the city's eligibility"),
    why=_("You are on this city's team."),
    subject_params=lambda values: {"city": values["review"].city.name},
    prepare=lambda values, message: {"state_label": EligibilityReview.State(values["state"]).label},
)
