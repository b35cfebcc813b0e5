"""Forms for the plan. Each unit form carries the version the person started from; the city is
passed in so the owner picker lists only this city's team."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .guide import (
    ACTION_PROMPT,
    COMPONENT_PROMPT,
    COMPONENTS,
    FIELD_HELP,
    GOAL_PROMPT,
    MEASURE_PROMPT,
    PLAN_PART_CHOICES,
    TEXT_SECTIONS,
)
from .models import Action, Component, Goal, Measure, Section

QUARTER_ERROR = _("Choose a quarter inside the plan's three years, from Y1 Q1 to Y3 Q4.")
NUMBER_ERROR = _("Enter a number, such as 75 or 12.5; put the unit in the Unit field.")


class UnitForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, city=None, **kwargs):
        self.city = city
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.TypedChoiceField) and name.endswith("quarter"):
                field.error_messages["invalid_choice"] = QUARTER_ERROR
            if isinstance(field, forms.DecimalField):
                field.error_messages["invalid"] = NUMBER_ERROR
                field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 4

    def unit_values(self):
        return {name: self.cleaned_data.get(name) for name in self._meta.model.EDITABLE_FIELDS}


class SectionForm(UnitForm):
    class Meta:
        model = Section
        fields = ["text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guide = TEXT_SECTIONS[self.instance.key]
        self.fields["text"].label = guide.label
        self.fields["text"].help_text = guide.prompt
        self.fields["text"].widget.attrs["rows"] = 8


class ComponentForm(UnitForm):
    class Meta:
        model = Component
        fields = ["current_level", "current_state"]
        widgets = {"current_level": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guide = self.instance.guide
        self.fields["current_level"].choices = [
            (lvl.number, f"{lvl.number} — {lvl.name}: {lvl.description}") for lvl in guide.levels
        ]
        self.fields["current_level"].label = _("Maturity level today")
        self.fields["current_state"].label = COMPONENT_PROMPT.label
        self.fields["current_state"].help_text = COMPONENT_PROMPT.prompt


class GoalForm(UnitForm):
    class Meta:
        model = Goal
        fields = ["title", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = GOAL_PROMPT.prompt


class ActionForm(UnitForm):
    # The queryset is set per request to the city's own team (the model's default manager is scoped).
    owner_member = forms.ModelChoiceField(queryset=None, required=False, label=_("Owner on the team"))

    class Meta:
        model = Action
        fields = ["what", "owner_member", "owner", "start_quarter", "end_quarter", "milestones", "resources", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = self.fields["owner_member"]
        members.queryset = self.city.memberships.select_related("user").order_by("user__full_name")
        members.label_from_instance = lambda m: f"{m.user.full_name} — {m.role_label}"
        members.required = False
        self.fields["what"].help_text = ACTION_PROMPT.prompt
        self.fields["owner"].help_text = FIELD_HELP["owner"]
        self.fields["milestones"].help_text = FIELD_HELP["milestones"]
        self.fields["resources"].help_text = FIELD_HELP["resources"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_quarter"), cleaned.get("end_quarter")
        if start and end and int(end) < int(start):
            self.add_error("end_quarter", _("The end quarter comes before the start quarter."))
        return cleaned


class MeasureForm(UnitForm):
    class Meta:
        model = Measure
        fields = ["name", "baseline", "target", "unit", "by_quarter"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = MEASURE_PROMPT.prompt
        self.fields["unit"].help_text = _("For example: days, %, residents, datasets.")


UNIT_FORMS = {"section": SectionForm, "component": ComponentForm, "goal": GoalForm, "action": ActionForm,
              "measure": MeasureForm}


class TransitionForm(forms.Form):
    message = forms.CharField(label=_("Message to the people concerned"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False)


class ThreadForm(forms.Form):
    part = forms.ChoiceField(label=_("Part of the plan"), choices=PLAN_PART_CHOICES)
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MaturityForm(forms.Form):
    """One level (with the guide's descriptions) and a note per component."""

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for component in COMPONENTS:
            rating = current.get(component.kind)
            self.fields[f"{component.kind}_level"] = forms.TypedChoiceField(
                label=component.title, coerce=int, required=False, widget=forms.RadioSelect,
                choices=[(lvl.number, f"{lvl.number} — {lvl.name}: {lvl.description}") for lvl in component.levels],
                initial=rating.level if rating else None,
            )
            self.fields[f"{component.kind}_note"] = forms.CharField(
                label=_("Why this level (%(component)s)") % {"component": component.title}, required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                initial=rating.note if rating else "",
            )

    def ratings(self):
        return {c.kind: (self.cleaned_data.get(f"{c.kind}_level"), self.cleaned_data.get(f"{c.kind}_note", ""))
                for c in COMPONENTS}
