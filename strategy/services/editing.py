"""Saving plan units without losing anyone's work.

A save names the version it started from. The UPDATE only matches that version
(compare-and-swap), so of two people editing at once the second is refused with the current
text instead of silently overwriting the first. Every saved change writes a Revision."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.errors import RuleViolation
from cohorts.services.dashboard_rows import dashboard_rows_changed

from ..models import Action, Draft, Goal, Measure, Revision, Strategy
from .completeness import strategy_refresh_completeness
from .units import unit_label, unit_part, unit_queryset

_PARENTS = {"goal": (Goal, "component"), "action": (Action, "goal"), "measure": (Measure, "action")}


class EditConflict(Exception):
    """Someone saved this unit since the person started; `current` is the unit as it is now."""

    def __init__(self, current):
        super().__init__("stale version")
        self.current = current


def _lock_editable_strategy(city):
    strategy = Strategy.objects.select_for_update().get(city=city)
    if not strategy.is_editable:
        raise RuleViolation(
            _("The plan is %(status)s, so it cannot be changed now.")
            % {"status": strategy.get_status_display().lower()}
        )
    return strategy


def _update_kwargs(values):
    kwargs = {}
    for name, value in values.items():
        if name.endswith("_member") and not hasattr(value, "pk"):
            kwargs[f"{name}_id"] = value
        else:
            kwargs[name] = value
    return kwargs


def _touch(strategy, actor, now):
    strategy.last_changed_at, strategy.last_changed_by = now, actor
    strategy.save(update_fields=["last_changed_at", "last_changed_by"])
    strategy_refresh_completeness(strategy)
    dashboard_rows_changed(city_ids=[strategy.city_id])


def _parent_code(unit):
    kind = unit.UNIT_KIND
    if kind in _PARENTS:
        return getattr(unit, _PARENTS[kind][1]).code
    return ""


def _record(*, unit, strategy, actor, kind, before, after, now, restored_from=None):
    return Revision.objects.create(
        city_id=unit.city_id, strategy=strategy, unit_kind=unit.UNIT_KIND, unit_code=unit.code,
        parent_code=_parent_code(unit),
        unit_label=unit_label(unit)[:300], part=unit_part(unit), kind=kind, before=before, after=after,
        version=unit.version, actor=actor, created_at=now, restored_from=restored_from,
    )


def unit_save(*, city, actor, unit, values, base_version, kind=Revision.Kind.EDITED, restored_from=None):
    """Save `values` onto `unit` if nobody saved it since `base_version`; raise EditConflict otherwise."""
    model = type(unit)
    with transaction.atomic():
        strategy = _lock_editable_strategy(city)
        current = unit_queryset(city, model.UNIT_KIND).filter(pk=unit.pk).first()
        if current is None:
            raise RuleViolation(_("Someone removed this part of the plan while you were editing it."))
        if current.version != base_version:
            raise EditConflict(current)
        before = current.values()
        for name, value in _update_kwargs(values).items():
            setattr(current, name, value)
        after = current.values()
        if before == after and kind == Revision.Kind.EDITED:
            Draft.objects.filter(user=actor, unit_kind=model.UNIT_KIND, unit_code=unit.code).delete()
            return current
        now = timezone.now()
        matched = model.objects.filter(pk=current.pk, version=base_version).update(
            **_update_kwargs(values), version=base_version + 1, updated_at=now, updated_by=actor
        )
        if matched != 1:  # lost the race between the read and the write
            raise EditConflict(model.objects.get(pk=current.pk))
        current.version = base_version + 1
        _record(unit=current, strategy=strategy, actor=actor, kind=kind, before=before, after=after, now=now,
                restored_from=restored_from)
        Draft.objects.filter(user=actor, unit_kind=model.UNIT_KIND, unit_code=unit.code).delete()
        _touch(strategy, actor, now)
    return current


def unit_create(*, city, actor, kind, parent, values):
    """Add a goal under a component, an action under a goal or a measure under an action."""
    model, parent_field = _PARENTS[kind]
    with transaction.atomic():
        strategy = _lock_editable_strategy(city)
        siblings = model.objects.filter(city=city, **{parent_field: parent})
        position = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1
        now = timezone.now()
        unit = model(city=city, strategy=strategy, position=position, updated_at=now, updated_by=actor,
                     **{parent_field: parent}, **_update_kwargs(values))
        unit.save()
        _record(unit=unit, strategy=strategy, actor=actor, kind=Revision.Kind.CREATED, before={}, after=unit.values(),
                now=now)
        _touch(strategy, actor, now)
    return unit


def unit_delete(*, city, actor, unit, base_version):
    model = type(unit)
    with transaction.atomic():
        strategy = _lock_editable_strategy(city)
        current = unit_queryset(city, model.UNIT_KIND).filter(pk=unit.pk).first()
        if current is None:
            return
        if current.version != base_version:
            raise EditConflict(current)
        now = timezone.now()
        # Everything removed with it is kept too, under the same moment, so a restore brings it all back.
        for removed in [current, *_descendants(city, current)]:
            _record(unit=removed, strategy=strategy, actor=actor, kind=Revision.Kind.DELETED, before=removed.values(),
                    after={}, now=now)
        current.delete()
        _touch(strategy, actor, now)


def _descendants(city, unit):
    if unit.UNIT_KIND == "goal":
        actions = list(Action.objects.filter(city=city, goal=unit).select_related("goal__component"))
        measures = list(Measure.objects.filter(city=city, action__goal=unit).select_related("action__goal__component"))
        return actions + measures
    if unit.UNIT_KIND == "action":
        return list(Measure.objects.filter(city=city, action=unit).select_related("action__goal__component"))
    return []


def _recreate(*, city, strategy, actor, revision, now, restored_from):
    model, parent_field = _PARENTS[revision.unit_kind]
    parent_model = _PARENTS[parent_field][0] if parent_field in _PARENTS else None
    from ..models import Component

    parent = (parent_model or Component).objects.filter(city=city, code=revision.parent_code).first()
    if parent is None:
        raise RuleViolation(_("What it belonged to is gone too; restore that first."))
    values = dict(revision.before)
    if values.get("owner_member") and not city.memberships.filter(pk=values["owner_member"]).exists():
        values["owner_member"] = None  # that person has left the team since
    position = (model.objects.filter(city=city, **{parent_field: parent}).aggregate(m=Max("position"))["m"] or 0) + 1
    unit = model(city=city, strategy=strategy, code=revision.unit_code, version=revision.version + 1, position=position,
                 updated_at=now, updated_by=actor, **{parent_field: parent}, **_update_kwargs(values))
    unit.save()
    _record(unit=unit, strategy=strategy, actor=actor, kind=Revision.Kind.RESTORED, before={}, after=unit.values(),
            now=now, restored_from=restored_from)
    return unit


def revision_restore_removed(*, city, actor, revision):
    """Bring back a removed goal, action or measure, with whatever was removed along with it."""
    if revision.kind != Revision.Kind.DELETED:
        raise RuleViolation(_("This change did not remove anything."))
    with transaction.atomic():
        strategy = _lock_editable_strategy(city)
        model = _PARENTS[revision.unit_kind][0]
        if model.objects.filter(code=revision.unit_code).exists():
            raise RuleViolation(_("This item is already back in the plan."))
        now = timezone.now()
        unit = _recreate(city=city, strategy=strategy, actor=actor, revision=revision, now=now, restored_from=revision)
        removed_with_it = Revision.objects.filter(
            city=city, strategy=strategy, kind=Revision.Kind.DELETED, created_at=revision.created_at,
        ).exclude(pk=revision.pk).order_by("pk")
        for child in removed_with_it:
            if not _PARENTS[child.unit_kind][0].objects.filter(code=child.unit_code).exists():
                _recreate(city=city, strategy=strategy, actor=actor, revision=child, now=now, restored_from=child)
        _touch(strategy, actor, now)
    return unit


def revision_restore(*, city, actor, revision, unit, base_version):
    """Put the unit back to how it was right after `revision`; itself a new, version-checked revision."""
    if revision.kind == Revision.Kind.DELETED or not revision.after:
        raise RuleViolation(_("This revision removed the item; add it again instead."))
    values = {name: revision.after[name] for name in type(unit).EDITABLE_FIELDS if name in revision.after}
    if values.get("owner_member") and not city.memberships.filter(pk=values["owner_member"]).exists():
        values["owner_member"] = None  # that person has left the team since, as in _recreate
    return unit_save(city=city, actor=actor, unit=unit, values=values, base_version=base_version,
                     kind=Revision.Kind.RESTORED, restored_from=revision)


def draft_autosave(*, city, actor, unit, data, base_version):
    """Keep the person's unsaved text; returns the unit's current version so the page can warn."""
    Draft.objects.update_or_create(
        city=city, user=actor, unit_kind=unit.UNIT_KIND, unit_code=unit.code,
        defaults={"data": data, "base_version": base_version, "saved_at": timezone.now()},
    )
    return type(unit).objects.filter(pk=unit.pk).values_list("version", flat=True).first()
