from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Outcome


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Required when the outcome differs from what the record says."),
    )


class ThresholdForm(forms.Form):
    attendance_threshold = forms.IntegerField(
        label=_("Required sessions attended (%)"), min_value=0, max_value=100,
        help_text=_("A city completes only if its people attended at least this share of the required sessions."),
    )
