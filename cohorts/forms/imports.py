from django import forms
from django.utils.translation import gettext_lazy as _


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("CSV (UTF-8) or XLSX, one row per person, with the columns of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
