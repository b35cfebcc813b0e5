"""Finding a plan's units through the city, naming them and placing them in the plan."""

from django.shortcuts import get_object_or_404

from ..guide import COMPONENTS_BY_KIND, TEXT_SECTIONS, part_of_section
from ..models import UNIT_MODELS

# How each kind of unit is reached from its city, with the joins `unit_part` needs.
_RELATIONS = {
    "section": ("strategy_sections", ()),
    "component": ("strategy_components", ()),
    "goal": ("strategy_goals", ("component",)),
    "action": ("strategy_actions", ("goal__component", "owner_member__user")),
    "measure": ("strategy_measures", ("action__goal__component",)),
}


def unit_queryset(city, kind):
    relation, joins = _RELATIONS[kind]
    return getattr(city, relation).select_related("strategy", *joins)


def find_unit(city, kind, code):
    if kind not in UNIT_MODELS:
        from django.http import Http404

        raise Http404("No such kind of unit.")
    return get_object_or_404(unit_queryset(city, kind), code=code)


def unit_part(unit):
    kind = unit.UNIT_KIND
    if kind == "section":
        return part_of_section(unit.key)
    if kind == "component":
        return unit.kind
    if kind == "goal":
        return unit.component.kind
    if kind == "action":
        return unit.goal.component.kind
    return unit.action.goal.component.kind


def unit_label(unit):
    kind = unit.UNIT_KIND
    if kind == "section":
        return str(TEXT_SECTIONS[unit.key].label)
    if kind == "component":
        return str(COMPONENTS_BY_KIND[unit.kind].title)
    if kind == "goal":
        return unit.title
    if kind == "action":
        return unit.what
    return unit.name


def unit_anchor(kind, code):
    return f"{kind}-{code}"
