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
            self.fields["coaches"].initial = [a.coach_id for a in self.instance.coach_assignments.all()
                                              if a.ended_at is None]

    def save(self, commit=True):
        self.instance.cohort = self.cohort
        return super().save(commit=commit)


class CohortCopyForm(forms.Form):
    """A new cohort from an existing one: its name, address and start; the cities to enrol again."""

    name = forms.CharField(label=_("Name"), max_length=Cohort._meta.get_field("name").max_length)
    slug = forms.SlugField(label=_("Short name in addresses"), max_length=Cohort._meta.get_field("slug").max_length,
                           help_text=_("Letters, numbers and hyphens; used in the cohort's web address."))
    start_date = forms.DateField(
        label=_("Start date"), widget=DateInput(),
        help_text=_("Every session moves by the days between the two start dates, at the same time of day."),
    )
    cities = forms.ModelMultipleChoiceField(
        label=_("Cities to enrol again"), queryset=City.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each gets a new city in the new cohort with the same team and coaches; its history stays "
                    "where it is."),
    )

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["cities"].queryset = City.objects.filter(cohort=source).order_by("name")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Cohort.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("A cohort already has this short name."))
        return slug

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        end = start + (self.source.end_date - self.source.start_date)
        first, last = CohortForm.EARLIEST_YEAR, CohortForm.LATEST_YEAR
        if not (first <= start.year and end.year <= last):
            raise forms.ValidationError(_("Give a date between %(first)s and %(last)s.")
                                        % {"first": first, "last": last})
        return start

    def copy_request(self):
        from cohorts.copying import CopyRequest

        data = self.cleaned_data
        return CopyRequest(source=self.source, name=data["name"], slug=data["slug"], start_date=data["start_date"],
                           cities=list(data["cities"]))
