from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import City

from .models import EligibilityReview, SurrogateAttempt

IDENTITY_LABEL = _("I checked this person's identity in person (photo ID)")


class DeskLabelForm(forms.Form):
    desk = forms.CharField(label=_("This desk's name"), max_length=60,
                           help_text=_("Shown in the records, e.g. “Desk A”."))


class CodeCheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                      "inputmode": "text", "placeholder": "K7P-4QX", "class": "form-control-lg"}),
        help_text=_("Type the code, or scan the QR code on the person's phone with a handheld scanner that types into "
                    "this field."),
    )
    identity_confirmed = forms.BooleanField(label=IDENTITY_LABEL, required=False)


class PersonCheckInForm(forms.Form):
    person = forms.CharField(widget=forms.HiddenInput)
    identity_confirmed = forms.BooleanField(label=IDENTITY_LABEL, required=False)


class SurrogateForm(forms.Form):
    # Typed, not picked from a list: the desk's page stays the same size however many cities there are.
    city = forms.CharField(label=_("City they presented for"), max_length=200, required=False,
                           help_text=_("Type the city's name."))
    presented_name = forms.CharField(label=_("Name the person gave"), max_length=200, required=False)
    code = forms.CharField(label=_("Code they presented (if any)"), max_length=20, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    reason = forms.ChoiceField(label=_("What happened"), choices=SurrogateAttempt.Reason.choices)
    person = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session

    def clean_city(self):
        """The city of this convening's cohort the desk named: its whole name (or address), else the
        one city whose name contains what was typed."""
        name = self.cleaned_data["city"].strip()
        if not name:
            return None
        cities = City.objects.filter(cohort_id=self.session.cohort_id)
        found = list(cities.filter(Q(name__iexact=name) | Q(slug__iexact=name))[:2])
        if len(found) != 1:
            found = list(cities.filter(name__icontains=name)[:2])
        if not found:
            raise forms.ValidationError(_("No city of this convening is called “%(name)s”."), params={"name": name})
        if len(found) > 1:
            raise forms.ValidationError(_("Several cities match “%(name)s”: type the city's whole name."),
                                        params={"name": name})
        return found[0]


class EligibilityForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Decision"),
        choices=[(s.value, s.label) for s in EligibilityReview.State if s != EligibilityReview.State.PENDING],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Required. Say why, e.g. “Flight cancelled by the airline; mayor joined Friday by video”."),
    )
