"""Coaching forms. Every form that offers people receives the city and lists only its team."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from cohorts.forms.cohorts import DateInput

from .models import ActionItem, CheckIn, CoachingSettings, MayorDecision, Showcase, ShowcaseFeedback
from .services.files import ALLOWED, ALLOWED_LABEL, check_upload


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        return f"{membership.user.full_name} ({membership.role_label})"


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session):
        return f"{session.title} ({session.starts_at:%Y-%m-%d})"


class TeamMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, membership):
        return f"{membership.user.full_name} ({membership.role_label})"


def team_of(city):
    return city.memberships.select_related("user").order_by("role", "user__full_name")


class CheckInForm(forms.ModelForm):
    attendees = TeamMultipleChoiceField(
        label=_("Who attended"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = CheckIn
        fields = [
            "held_on", "attendees", "focus_goal", "summary", "progress_lead", "progress_invest", "progress_empower",
            "private_notes",
        ]
        widgets = {
            "held_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "private_notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        self.fields["attendees"].queryset = team_of(city)


class ActionItemForm(forms.Form):
    what = forms.CharField(label=_("What"), max_length=300, required=False)
    owner = TeamChoiceField(label=_("Owner"), queryset=None, required=False)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_of(city)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("what") and (cleaned.get("owner") or cleaned.get("due_on")):
            self.add_error("what", _("Say what is to be done, or clear this row."))
        return cleaned


class BaseActionItemFormSet(forms.BaseFormSet):
    def items(self):
        return [form.cleaned_data for form in self.forms if form.cleaned_data.get("what")]


ActionItemFormSet = forms.formset_factory(ActionItemForm, formset=BaseActionItemFormSet, extra=3, max_num=20)


class ActionItemStatusForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["status"]


class DecisionForm(forms.ModelForm):
    class Meta:
        model = MayorDecision
        fields = ["question", "context", "options", "due_on"]
        widgets = {
            "due_on": DateInput(),
            "context": forms.Textarea(attrs={"rows": 5}),
            "options": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, city, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        if sessions is not None:
            self.fields["session"] = SessionChoiceField(
                label=_("Mayor checkpoint"), queryset=sessions, required=False,
                help_text=_("Optional: the checkpoint session where this will be discussed."),
            )


class DecideForm(forms.Form):
    chosen_option = forms.ChoiceField(label=_("Your choice"), required=False, widget=forms.RadioSelect)
    decision_note = forms.CharField(
        label=_("Your decision and direction"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The team and the coach see this note."),
    )

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        options = decision.option_list
        if options:
            self.fields["chosen_option"].choices = [(o, o) for o in options]
            self.fields["chosen_option"].required = True
        else:
            del self.fields["chosen_option"]


class ShowcaseForm(forms.ModelForm):
    evidence_file = forms.FileField(
        label=_("Add an evidence file"), required=False,
        help_text=_("Optional. %(types)s.") % {"types": ALLOWED_LABEL},
    )

    class Meta:
        model = Showcase
        fields = ["title", "kind", "what_changed", "for_whom", "evidence_links", "sustain_plan"]
        widgets = {
            "what_changed": forms.Textarea(attrs={"rows": 4}),
            "for_whom": forms.Textarea(attrs={"rows": 3}),
            "evidence_links": forms.Textarea(attrs={"rows": 3}),
            "sustain_plan": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, max_bytes, **kwargs):
        super().__init__(*args, **kwargs)
        from django.template.defaultfilters import filesizeformat

        self.fields["evidence_file"].help_text = _("Optional. %(types)s; at most %(limit)s.") % {
            "types": ALLOWED_LABEL, "limit": filesizeformat(max_bytes),
        }
        self.fields["evidence_file"].widget.attrs["accept"] = ",".join(sorted(ALLOWED))

    def clean_evidence_links(self):
        links = [line.strip() for line in self.cleaned_data["evidence_links"].splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except ValidationError:
                raise ValidationError(
                    _("“%(link)s” is not a web address; start each line with https://") % {"link": link[:100]}
                ) from None
        return "\n".join(links)

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            self.evidence_content_type = check_upload(upload)
        return upload

    def file_needs_choosing_again(self):
        """True when a good file was chosen but another field was wrong: the browser will not
        keep the file on the re-displayed form, so the page says so."""
        return bool(self.is_bound and self.errors and "evidence_file" not in self.errors
                    and self.files.get("evidence_file"))


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = ShowcaseFeedback
        fields = ["what_works", "to_strengthen", "sustained", "follow_up_on"]
        widgets = {
            "what_works": forms.Textarea(attrs={"rows": 4}),
            "to_strengthen": forms.Textarea(attrs={"rows": 4}),
            "sustained": forms.RadioSelect,
            "follow_up_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sustained"].choices = ShowcaseFeedback.Sustained.choices  # no empty radio button


class CoachingSettingsForm(forms.ModelForm):
    class Meta:
        model = CoachingSettings
        fields = ["checkin_every_days"]
