"""The messages of the strategy workflow: each review step, comments and replies (see the
README's table of messages)."""

from django.utils.translation import gettext_lazy as _

from accelerator.outbox.registry import register_loader, register_message

from .models import CommentThread
from .services.review import TRANSITIONS

register_loader("strategy.commentthread", lambda pks: CommentThread.objects.in_bulk(pks))

_AUDIENCE = {
    "submit": _("The city's coaches, when the team submits the plan"),
    "request_changes": _("The city's mayor and team, when the coach asks for changes"),
    "endorse": _("The city's mayor and team, when the coach endorses the plan for the mayor's approval"),
    "approve": _("The city's mayor, team and coaches, when the mayor approves and publishes"),
    "amend": _("The city's coaches and mayor, when the team starts a new edition"),
}
_WHY = {
    "submit": _("You coach this city."),
    "request_changes": _("You are on this city's team."),
    "endorse": _("You are on this city's team."),
    "approve": _("You are on this city's team or coach it."),
    "amend": _("You coach this city or are its mayor."),
}

for transition in TRANSITIONS.values():
    register_message(
        f"strategy.{transition.name}", template=transition.template.removesuffix(".txt"),
        subject=transition.subject, audience=_AUDIENCE[transition.name], why=_WHY[transition.name],
        subject_params=lambda values: {"city": values["city"].name},
    )


def _part(values, message):
    return {"part": values["thread"].part_label}


register_message(
    "strategy.comment", template="emails/strategy_comment",
    subject=_("%(person)s commented on %(part)s"),
    audience=_("The city's mayor and team, when a coach or staff member comments on a part of the plan"),
    why=_("You are on this city's team."), digestible=True, prepare=_part,
    subject_params=lambda values: {"person": values["actor"], "part": values["thread"].part_label},
)
register_message(
    "strategy.reply", template="emails/strategy_reply",
    subject=_("%(person)s answered on %(part)s"),
    audience=_("Everyone in the thread, and the other side (coaches or team), when someone answers a comment"),
    why=_("You take part in this conversation about your city's plan."), digestible=True, prepare=_part,
    subject_params=lambda values: {"person": values["actor"], "part": values["thread"].part_label},
)
