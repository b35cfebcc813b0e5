"""Sharing chosen goals, actions and measures with the other cities of the cohort. Sharing is the
team's choice per unit; nothing is shared unless someone on the team shared it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.audit import audit_record
from accelerator.errors import RuleViolation

from ..guide import LEARNING_GOAL_CHOICES
from .completeness import strategy_content_changed
from .units import unit_label, unit_queryset

SHAREABLE_KINDS = ("goal", "action", "measure")


def unit_share(*, city, actor, kind, code, shared, learning_goal=""):
    """Share one unit with the cohort (or stop sharing it), tagged with a learning goal or none."""
    if not actor.has_perm("strategy.share", city):
        raise RuleViolation(_("Only the city's team may share parts of its plan."))
    if kind not in SHAREABLE_KINDS:
        raise RuleViolation(_("Only goals, actions and measures can be shared."))
    if learning_goal and learning_goal not in dict(LEARNING_GOAL_CHOICES):
        raise RuleViolation(_("Choose one of the program's learning goals, or none."), field="learning_goal")
    with transaction.atomic():
        unit = unit_queryset(city, kind).select_for_update(of=("self",)).filter(code=code).first()
        if unit is None:
            raise RuleViolation(_("This part of the plan was removed meanwhile."))
        was_shared = unit.shared_at is not None
        unit.shared_at = (unit.shared_at or timezone.now()) if shared else None
        unit.shared_learning_goal = learning_goal if shared else ""
        type(unit).objects.filter(city=city, pk=unit.pk).update(
            shared_at=unit.shared_at, shared_learning_goal=unit.shared_learning_goal)
        strategy_content_changed(unit.strategy)
        if shared != was_shared:
            audit_record(city=city, actor=actor, action="strategy.shared" if shared else "strategy.unshared",
                         data={"kind": kind, "label": unit_label(unit)})
    return unit
