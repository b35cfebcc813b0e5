from django import forms
from django.utils.translation import gettext_lazy as _

from ..roster_files import MAX_BYTES


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("CSV (UTF-8) or XLSX, one row per person, with the columns of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before it is read into memory; read_roster says the same for content from elsewhere.
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB; a roster file is much smaller. Check that it is the right "
                  "file.") % {"size": MAX_BYTES // (1024 * 1024)})
        return upload
