"""The messages of coaching: check-ins, action items, mayor decisions, showcases (see the
README's table of messages)."""

from django.utils.translation import gettext_lazy as _

from accelerator.outbox.registry import register_loader, register_message

from .models import ActionItem, MayorDecision, Showcase, ShowcaseFeedback
from .models.checkins import LearningGoal

register_loader("coaching.actionitem", lambda pks: ActionItem.objects
                .select_related("owner__user", "checkin").in_bulk(pks))
register_loader("coaching.mayordecision", lambda pks: MayorDecision.objects
                .select_related("raised_by", "decided_by").in_bulk(pks))
register_loader("coaching.showcase", lambda pks: Showcase.objects
                .select_related("created_by").in_bulk(pks))
register_loader("coaching.showcasefeedback", lambda pks: ShowcaseFeedback.objects
                .select_related("coach").in_bulk(pks))


def _question(values):
    return {"question": values["decision"].question[:80]}


def _pending_only(context, now):
    if context["decision"].status != MayorDecision.Status.PENDING:
        return _("Not sent: the decision is no longer waiting.")
    return None


def _item_open(context, now):
    if context["item"].status not in ActionItem.OPEN_STATUSES:
        return _("Not sent: the action item is no longer open.")
    return None


register_message(
    "coaching.checkin_logged", template="emails/coaching_checkin_logged",
    subject=_("Check-in of %(date)s: the summary"),
    audience=_("The city's mayor and team, when the coach logs a check-in (never the private notes)"),
    why=_("You are on this city's team."),
    subject_params=lambda values: {"date": values["held_on"].strftime("%Y-%m-%d")},
    prepare=lambda values, message: {"focus_goal_label": LearningGoal(values["focus_goal"]).label
                                     if values["focus_goal"] in LearningGoal.values else ""},
)
register_message(
    "coaching.action_item_assigned", template="emails/coaching_action_item_assigned",
    subject=_("An action item for you: %(what)s"),
    audience=_("The owner of each new action item"),
    why=_("You own this action item of your city's check-in."),
    subject_params=lambda values: {"what": values["item"].what[:80]}, still_wanted=_item_open,
)
register_message(
    "coaching.action_overdue", template="emails/coaching_action_overdue",
    subject=_("Action item overdue: %(what)s"),
    audience=_("The item's owner and the city's coaches, once past its due date"),
    why=_("You own this action item or coach its city."),
    subject_params=lambda values: {"what": values["item"].what[:80]}, still_wanted=_item_open,
)
register_message(
    "coaching.decision_requested", template="emails/coaching_decision_requested",
    subject=_("A decision is waiting for you: %(question)s"),
    audience=_("The city's mayor, when the coach or team asks for a decision"),
    why=_("You are your city's mayor."), subject_params=_question, still_wanted=_pending_only,
)
register_message(
    "coaching.decision_made", template="emails/coaching_decision_made",
    subject=_("The mayor decided: %(question)s"),
    audience=_("Whoever asked and the city's coaches, when the mayor decides"),
    why=_("You asked for this decision or coach this city."), subject_params=_question,
)
register_message(
    "coaching.decision_withdrawn", template="emails/coaching_decision_withdrawn",
    subject=_("No longer needed: %(question)s"),
    audience=_("The city's mayor, when a request for a decision is withdrawn"),
    why=_("You are your city's mayor."), subject_params=_question,
)
register_message(
    "coaching.decision_overdue", template="emails/coaching_decision_overdue",
    subject=_("Reminder: a decision is overdue — %(question)s"),
    audience=_("The city's mayor, 1, 3 and 7 days after the date it was needed by"),
    why=_("You are your city's mayor."), subject_params=_question, still_wanted=_pending_only,
)
register_message(
    "coaching.decision_overdue_coach", template="emails/coaching_decision_overdue_coach",
    subject=_("%(city)s: a mayor decision is overdue"),
    audience=_("The city's coaches and whoever asked, with each overdue reminder"),
    why=_("You coach this city or asked for this decision."),
    subject_params=lambda values: {"city": values["city"].name}, still_wanted=_pending_only,
)
register_message(
    "coaching.showcase_submitted", template="emails/coaching_showcase_submitted",
    subject=_("%(city)s submitted a showcase"),
    audience=_("The city's coaches, when the team submits a showcase"),
    why=_("You coach this city."), subject_params=lambda values: {"city": values["city"].name},
)
register_message(
    "coaching.feedback", template="emails/coaching_feedback",
    subject=_("Your coach's feedback on “%(title)s”"),
    audience=_("The city's mayor and team, when the coach gives feedback on a showcase"),
    why=_("You are on this city's team."), subject_params=lambda values: {"title": values["showcase"].title[:80]},
)
register_message(
    "coaching.showcase_follow_up", template="emails/coaching_showcase_follow_up",
    subject=_("Follow up on %(city)s's showcase “%(title)s”"),
    audience=_("The coach who gave the feedback, on the follow-up date they set"),
    why=_("You planned this follow-up."),
    subject_params=lambda values: {"city": values["city"].name, "title": values["showcase"].title[:80]},
)
