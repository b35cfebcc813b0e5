"""The completeness meter: what each part of the plan still lacks, computed from the plan tree
(no queries per row). The same checks decide whether the plan may be submitted."""

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
