"""The completeness meter: what each part of the plan still lacks, computed from the plan tree
(no queries per row). The same checks decide whether the plan may be submitted."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .guide import PLAN_PARTS, TEXT_SECTIONS, PartProgress


def _check(progress, ok, message, anchor, unit=None):
    """Count one check; a failed one is listed for the part and kept on the unit itself, so the
    plan page can say what is missing right where it is missing."""
    progress.total += 1
    if ok:
        progress.done += 1
    else:
        progress.missing.append((message, anchor))
        if unit is not None:
            unit.setdefault("missing", []).append(message)


def _priorities(text):
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


def plan_progress(tree):
    """A PartProgress per plan part, in plan order."""
    parts = {key: PartProgress(key, str(label)) for key, label in PLAN_PARTS}
    sections = tree["sections"]
    for key in ("vision", "engagement", "evaluation", "people", "practices", "platforms"):
        section = sections[key]
        part = parts["people_practices_platforms" if key in ("people", "practices", "platforms") else key]
        _check(part, section["text"].strip(), _("%(label)s is empty.") % {"label": TEXT_SECTIONS[key].label},
               section["anchor"], section)
    priorities = sections["priorities"]
    count = len(_priorities(priorities["text"]))
    _check(parts["priorities"], 2 <= count <= 5,
           _("List two to five of the mayor's priorities, one per line (now %(count)s).") % {"count": count},
           priorities["anchor"], priorities)
    for component in tree["components"]:
        part = parts[component["key"]]
        _check(part, component["level"], _("Choose the maturity level today."), component["anchor"], component)
        _check(part, component["state"].strip(), _("Describe where the city stands today."), component["anchor"],
               component)
        _check(part, component["goals"], _("Add at least one goal."), component["anchor"], component)
        for goal in component["goals"]:
            _check(part, goal["actions"], _("Goal “%(goal)s” has no action.") % {"goal": goal["title"]},
                   goal["anchor"], goal)
            for action in goal["actions"]:
                what = action["what"]
                _check(part, action["owner_display"], _("Action “%(a)s” needs an owner.") % {"a": what},
                       action["anchor"], action)
                _check(part, action["start"] and action["end"],
                       _("Action “%(a)s” needs a start and an end quarter.") % {"a": what}, action["anchor"], action)
                _check(part, action["measures"], _("Action “%(a)s” has no measure.") % {"a": what}, action["anchor"],
                       action)
                for measure in action["measures"]:
                    _check(part, measure["target"] != "" and measure["unit"] and measure["by"],
                           _("Measure “%(m)s” needs a target, a unit and a date.") % {"m": measure["name"]},
                           measure["anchor"], measure)
    return list(parts.values())


def overall_percent(progress):
    """Each part weighs the same, so a long list of actions does not drown out an empty vision."""
    return round(sum(p.done / p.total for p in progress if p.total) * 100 / len(progress)) if progress else 0


DONE, TO_DO, LATER = "done", "to_do", "later"


@dataclass
class ChecklistPart:
    """One part of the plan: every rule submission applies to it, whether each holds, and the
    places in the plan that still fail one."""

    key: str
    label: str
    rules: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    @property
    def done(self):
        return all(state != TO_DO for _text, state in self.rules)


def _every(items, test):
    """LATER when there is nothing to check yet (the rule applies to each one added)."""
    if not items:
        return LATER
    return DONE if all(test(item) for item in items) else TO_DO


def _state(ok):
    return DONE if ok else TO_DO


def submission_checklist(tree, progress):
    """The whole list of what submission requires, grouped by part, known before the first
    attempt: rules about goals, actions and measures are listed before any exist. `progress` is
    `plan_progress(tree)` (its `missing` lists the places that fail)."""
    sections = tree["sections"]
    by_key = {p.key: p for p in progress}
    parts = {p.key: ChecklistPart(p.key, p.label, missing=list(p.missing)) for p in progress}

    def written(key):
        return bool(sections[key]["text"].strip())

    parts["vision"].rules.append((_("The three-year vision is written."), _state(written("vision"))))
    count = len(_priorities(sections["priorities"]["text"]))
    parts["priorities"].rules.append((_("Two to five of the mayor's priorities are listed, one per line."),
                                      _state(2 <= count <= 5)))
    for component in tree["components"]:
        part = parts[component["key"]]
        goals = component["goals"]
        actions = [a for g in goals for a in g["actions"]]
        measures = [m for a in actions for m in a["measures"]]
        part.rules += [
            (_("The maturity level today is chosen."), _state(component["level"])),
            (_("Where the city stands today is described."), _state(component["state"].strip())),
            (_("There is at least one goal."), _state(goals)),
            (_("Every goal has at least one action."), _every(goals, lambda g: g["actions"])),
            (_("Every action has an owner, a start quarter and an end quarter."),
             _every(actions, lambda a: a["owner_display"] and a["start"] and a["end"])),
            (_("Every action has at least one measure."), _every(actions, lambda a: a["measures"])),
            (_("Every measure has a target, a unit and a date."),
             _every(measures, lambda m: m["target"] != "" and m["unit"] and m["by"])),
        ]
    for key in ("people", "practices", "platforms"):
        parts["people_practices_platforms"].rules.append(
            (_("%(label)s is written.") % {"label": TEXT_SECTIONS[key].label}, _state(written(key))))
    parts["engagement"].rules.append((_("How staff and residents are engaged is written."),
                                      _state(written("engagement"))))
    parts["evaluation"].rules.append((_("How progress is evaluated and sustained is written."),
                                      _state(written("evaluation"))))
    return [parts[key] for key in by_key]
