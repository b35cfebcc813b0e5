from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cohorts.models import City, Cohort


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "slug", "start_date", "end_date", "status"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {"slug": _("Letters, numbers and hyphens; used in the cohort's web address.")}

    # A program runs for months; dates far outside this window are typing mistakes, and would
    # push cadence and due-date arithmetic past the last representable date.
    EARLIEST_YEAR, LATEST_YEAR = 2000, 2100

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        for field in ("start_date", "end_date"):
            value = cleaned.get(field)
            if value and not self.EARLIEST_YEAR <= value.year <= self.LATEST_YEAR:
                self.add_error(field, _("Give a date between %(first)s and %(last)s.")
                               % {"first": self.EARLIEST_YEAR, "last": self.LATEST_YEAR})
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        return cleaned


class CityForm(forms.ModelForm):
    coaches = forms.ModelMultipleChoiceField(
        label=_("Coaches"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The coaches who work with this city."),
    )

    class Meta:
        model = City
        fields = ["name", "slug", "country", "time_zone", "language", "status"]
        help_texts = {"slug": _("Letters, numbers and hyphens; used in the city's web address.")}

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["coaches"].queryset = get_user_model().objects.filter(is_coach=True, is_active=True)
        if self.instance.pk:
            self.fields["coaches"].initial = [a.coach_id for a in self.instance.coach_assignments.all()]

    def save(self, commit=True):
        self.instance.cohort = self.cohort
        return super().save(commit=commit)
