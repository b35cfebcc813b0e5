"""Editing one unit of the plan, with the version it started from, autosaved drafts and the
conflict page that shows the person's text beside the current text."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from accelerator.errors import RuleViolation, add_rule_error

from ..forms import UNIT_FORMS
from ..guide import ACTION_PROMPT, COMPONENT_PROMPT, MEASURE_PROMPT, TEXT_SECTIONS, quarter_label
from ..models import UNIT_MODELS, Draft
from ..services.editing import EditConflict, draft_autosave, unit_create, unit_delete, unit_save
from ..services.units import find_unit, unit_label, unit_part, unit_queryset
from .base import EditableMixin


def display_value(model, name, value, members=None):
    """A stored field value in words, for conflicts and diffs."""
    if value in (None, ""):
        return ""
    if name.endswith("quarter"):
        # A draft holds whatever the autosave posted, not only the form's choices.
        return quarter_label(value) if str(value).isdigit() else str(value)
    if name == "owner_member":
        member = (members or {}).get(int(value)) if str(value).isdigit() else None
        return f"{member.user.full_name} — {member.role_label}" if member else _("a former team member")
    field = model._meta.get_field(name)
    if field.choices:
        return str({str(k): v for k, v in field.flatchoices}.get(str(value), value))
    return str(value)


CHILD_GUIDES = {
    "action": {"prompt": ACTION_PROMPT.prompt, "example": ACTION_PROMPT.example},
    "measure": {"prompt": MEASURE_PROMPT.prompt, "example": MEASURE_PROMPT.example},
}


def members_by_id(city):
    return {m.pk: m for m in city.memberships.select_related("user")}


class UnitEditView(EditableMixin, View):
    template_name = "strategy/edit.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kind = kwargs["kind"]
        if self.kind not in UNIT_FORMS:
            raise Http404

    def get_unit(self):
        return find_unit(self.city, self.kind, self.kwargs["code"])

    def form_for(self, unit, data=None, initial=None):
        return UNIT_FORMS[self.kind](data, instance=unit, city=self.city, initial=initial)

    def render_page(self, unit, form, conflict=None, draft=None, status=200):
        context = {
            "city": self.city, "city_access": self.city_access, "strategy": self.strategy, "unit": unit,
            "kind": self.kind, "form": form, "conflict": conflict, "draft": draft, "label": unit_label(unit),
            "guide": self.guide_for(unit), "cancel_url": self.unit_url(unit),
        }
        return render(self.request, self.template_name, context, status=status)

    def guide_for(self, unit):
        if self.kind == "section":
            return TEXT_SECTIONS[unit.key]
        if self.kind == "component":
            return {"prompt": COMPONENT_PROMPT.prompt, "example": COMPONENT_PROMPT.example,
                    "example_goals": unit.guide.example_goals, "purpose": unit.guide.purpose}
        return CHILD_GUIDES.get(self.kind)

    def conflict_context(self, unit, mine):
        members = members_by_id(self.city) if self.kind == "action" else {}
        model = type(unit)
        current = unit.values()
        rows = []
        for name in model.EDITABLE_FIELDS:
            theirs = display_value(model, name, current.get(name), members)
            yours = display_value(model, name, mine.get(name), members)
            rows.append({"label": model._meta.get_field(name).verbose_name, "current": theirs, "yours": yours,
                         "differs": theirs != yours})
        return {"rows": rows, "by": unit.updated_by, "at": unit.updated_at, "version": unit.version}

    def get(self, request, *args, **kwargs):
        if not self.strategy.is_editable:
            return self.handle_locked()
        unit = self.get_unit()
        draft = Draft.objects.filter(city=self.city, user=request.user, unit_kind=self.kind,
                                     unit_code=unit.code).first()
        if draft is None:
            return self.render_page(unit, self.form_for(unit, initial={"version": unit.version}))
        if draft.base_version == unit.version:
            form = self.form_for(unit, initial={**draft.data, "version": unit.version})
            return self.render_page(unit, form, draft=draft)
        # Someone saved while this person's draft waited: show both texts straight away.
        form = self.form_for(unit, initial={**draft.data, "version": unit.version})
        return self.render_page(unit, form, conflict=self.conflict_context(unit, draft.data), draft=draft)

    def post(self, request, *args, **kwargs):
        if not self.strategy.is_editable:
            return self.handle_locked()
        unit = self.get_unit()
        form = self.form_for(unit, request.POST)
        if not form.is_valid():
            return self.render_page(unit, form, status=200)
        base = form.cleaned_data.get("version") or 0
        try:
            unit_save(city=self.city, actor=request.user, unit=unit, values=form.unit_values(), base_version=base)
        except EditConflict as conflict:
            current = conflict.current
            mine = {name: request.POST.get(name, "") for name in type(unit).EDITABLE_FIELDS}
            data = request.POST.copy()
            data["version"] = current.version  # saving again after merging replaces the current text
            return self.render_page(current, self.form_for(current, data),
                                    conflict=self.conflict_context(current, mine),
                                    status=409)
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.render_page(unit, form)
        messages.success(request, _("Saved “%(label)s”.") % {"label": unit_label(unit)})
        return redirect(self.unit_url(unit))


class AutosaveView(EditableMixin, View):
    """Keeps the person's unsaved text as a draft; answers 409 when someone saved meanwhile."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        kind = kwargs["kind"]
        if kind not in UNIT_FORMS:
            raise Http404
        if not self.strategy.is_editable:
            return JsonResponse({"saved": False, "message": _("The plan cannot be changed now.")}, status=423)
        unit = find_unit(self.city, kind, kwargs["code"])
        if "discard" in request.POST:  # the person chose the saved text over their draft
            Draft.objects.filter(city=self.city, user=request.user, unit_kind=kind, unit_code=unit.code).delete()
            messages.info(request, _("Your draft is discarded."))
            return redirect("strategy:edit", city_slug=self.city.slug, kind=kind, code=unit.code)
        try:
            base = int(request.POST.get("version", ""))
            if not 0 <= base <= 2_147_483_647:  # the draft's version column is a positive integer
                raise ValueError(base)
        except ValueError:
            return JsonResponse({"saved": False, "message": _("The page is out of date; reload it.")}, status=400)
        data = {name: request.POST.get(name, "") for name in type(unit).EDITABLE_FIELDS if name in request.POST}
        current = draft_autosave(city=self.city, actor=request.user, unit=unit, data=data, base_version=base)
        now = timezone.localtime(timezone.now()).strftime("%H:%M")
        if current != base:
            return JsonResponse({
                "saved": True, "conflict": True, "current_version": current,
                "message": _("Draft kept at %(time)s. Someone else saved this part meanwhile: when you save, "
                             "you will see both texts to merge.") % {"time": now},
            }, status=409)
        return JsonResponse({"saved": True, "conflict": False, "current_version": current,
                             "message": _("Draft kept at %(time)s.") % {"time": now}})


_CHILD = {"goal": "component", "action": "goal", "measure": "action"}


class UnitCreateView(EditableMixin, View):
    template_name = "strategy/edit.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kind = kwargs["kind"]
        if self.kind not in _CHILD:
            raise Http404

    def get_parent(self):
        return get_object_or_404(unit_queryset(self.city, _CHILD[self.kind]), code=self.kwargs["parent_code"])

    def render_page(self, parent, form):
        model = UNIT_MODELS[self.kind]
        return render(self.request, self.template_name, {
            "city": self.city, "city_access": self.city_access, "strategy": self.strategy, "form": form,
            "kind": self.kind, "creating": True, "parent": parent, "parent_label": unit_label(parent),
            "label": _("New %(kind)s") % {"kind": model._meta.verbose_name},
            "guide": {"example_goals": parent.guide.example_goals} if self.kind == "goal" else CHILD_GUIDES[self.kind],
            "cancel_url": self.unit_url(parent),
        })

    def get(self, request, *args, **kwargs):
        if not self.strategy.is_editable:
            return self.handle_locked()
        parent = self.get_parent()
        initial = {"title": request.GET.get("title", "")[:300]} if self.kind == "goal" else None
        return self.render_page(parent, UNIT_FORMS[self.kind](city=self.city, initial=initial))

    def post(self, request, *args, **kwargs):
        if not self.strategy.is_editable:
            return self.handle_locked()
        parent = self.get_parent()
        form = UNIT_FORMS[self.kind](request.POST, city=self.city)
        if not form.is_valid():
            return self.render_page(parent, form)
        try:
            unit = unit_create(city=self.city, actor=request.user, kind=self.kind, parent=parent,
                               values=form.unit_values())
        except RuleViolation as error:
            add_rule_error(form, error)
            return self.render_page(parent, form)
        messages.success(request, _("Added “%(label)s”.") % {"label": unit_label(unit)})
        return redirect(self.unit_url(unit))


class UnitDeleteView(EditableMixin, View):
    template_name = "strategy/confirm_delete.html"

    def get_unit(self):
        if self.kwargs["kind"] not in _CHILD:
            raise Http404
        return find_unit(self.city, self.kwargs["kind"], self.kwargs["code"])

    def get(self, request, *args, **kwargs):
        if not self.strategy.is_editable:
            return self.handle_locked()
        unit = self.get_unit()
        return render(request, self.template_name, {
            "city": self.city, "city_access": self.city_access, "unit": unit, "label": unit_label(unit),
            "cancel_url": self.unit_url(unit),
        })

    def post(self, request, *args, **kwargs):
        if not self.strategy.is_editable:
            return self.handle_locked()
        unit = self.get_unit()
        try:
            base = int(request.POST.get("version", ""))
            unit_delete(city=self.city, actor=request.user, unit=unit, base_version=base)
        except (ValueError, EditConflict):
            messages.error(request, _("Someone changed “%(label)s” meanwhile; look at it again before removing it.")
                           % {"label": unit_label(unit)})
            return redirect(self.unit_url(unit))
        except RuleViolation as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.plan_url(part=unit_part(unit)))
        messages.success(request,
                         _("Removed “%(label)s”. The history keeps what it said.") % {"label": unit_label(unit)})
        return redirect(self.plan_url(part=unit_part(unit)))
