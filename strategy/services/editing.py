"""Saving plan units without losing anyone's work.

A save names the version it started from. The UPDATE only matches that version
(compare-and-swap), so of two people editing at once the second is refused with the current
text instead of silently overwriting the first. Every saved change writes a Revision."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.services.errors import RuleViolation

from ..models import Action, Draft, Goal, Measure, Revision, Strategy
from .completeness import strategy_refresh_completeness
from .units import unit_label, unit_part, unit_queryset


class EditConflict(Exception):
    """Someone saved this unit since the person started; `current` is the unit as it is now."""

    def __init__(self, current):
        super().__init__("stale version")
        self.current = current


def _lock_editable_strategy(city):
    strategy = Strategy.objects.select_for_update().get(city=city)
    if not strategy.is_editable:
        raise RuleViolation(
            _("The plan is %(status)s, so it cannot be changed now.") % {"status": strategy.get_status_display().lower()}
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


def _record(*, unit, strategy, actor, kind, before, after, now, restored_from=None):
    return Revision.objects.create(
        city_id=unit.city_id, strategy=strategy, unit_kind=unit.UNIT_KIND, unit_code=unit.code,
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


_PARENTS = {"goal": (Goal, "component"), "action": (Action, "goal"), "measure": (Measure, "action")}


def unit_create(*, city, actor, kind, parent, values):
    """Add a goal under a component, an action under a goal or a measure under an action."""
    model, parent_field = _PARENTS[kind]
    with transaction.atomic():
        strategy = _lock_editable_strategy(city)
        position = (model.objects.filter(city=city, **{parent_field: parent}).aggregate(m=Max("position"))["m"] or 0) + 1
        now = timezone.now()
        unit = model(city=city, strategy=strategy, position=position, updated_at=now, updated_by=actor,
                     **{parent_field: parent}, **_update_kwargs(values))
        unit.save()
        _record(unit=unit, strategy=strategy, actor=actor, kind=Revision.Kind.CREATED, before={}, after=unit.values(), now=now)
        _touch(strategy, actor, now)
    return unit


def unit_delete(*, city, actor, unit, base_version):
    model = type(unit)
    with transaction.atomic():
        strategy = _lock_editable_strategy(city)
        current = model.objects.filter(city=city, pk=unit.pk).first()
        if current is None:
            return
        if current.version != base_version:
            raise EditConflict(current)
        now = timezone.now()
        unit.version = current.version
        _record(unit=unit, strategy=strategy, actor=actor, kind=Revision.Kind.DELETED, before=current.values(), after={}, now=now)
        current.delete()
        _touch(strategy, actor, now)


def revision_restore(*, city, actor, revision, unit, base_version):
    """Put the unit back to how it was right after `revision`; itself a new, version-checked revision."""
    if revision.kind == Revision.Kind.DELETED or not revision.after:
        raise RuleViolation(_("This revision removed the item; add it again instead."))
    values = {name: revision.after[name] for name in type(unit).EDITABLE_FIELDS if name in revision.after}
    return unit_save(city=city, actor=actor, unit=unit, values=values, base_version=base_version,
                     kind=Revision.Kind.RESTORED, restored_from=revision)


def draft_autosave(*, city, actor, unit, data, base_version):
    """Keep the person's unsaved text; returns the unit's current version so the page can warn."""
    Draft.objects.update_or_create(
        city=city, user=actor, unit_kind=unit.UNIT_KIND, unit_code=unit.code,
        defaults={"data": data, "base_version": base_version, "saved_at": timezone.now()},
    )
    return type(unit).objects.filter(pk=unit.pk).values_list("version", flat=True).first()
