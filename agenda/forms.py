import copy
import datetime
import zoneinfo
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accelerator.models import TIME_ZONE_CHOICES
from agenda.models import Attendance, AttendanceThresholds, LearningGoal, Response, Session


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class WallClockField(forms.DateTimeField):
    """A date and time as written, without a zone: the form applies the zone the person chose,
    not the zone of whoever happens to be signed in."""

    widget = LocalDateTimeInput
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None)
        for fmt in self.input_formats:
            try:
                parsed = datetime.datetime.strptime(value.strip(), fmt)
            except (ValueError, TypeError):
                continue
            # The first and last years would leave the calendar's range once converted to UTC.
            if datetime.MINYEAR < parsed.year < datetime.MAXYEAR:
                return parsed
        raise forms.ValidationError(_("Enter a date and time, for example 2026-06-26 18:00."), code="invalid")

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return value.replace(tzinfo=None)
        return value


def _zone_field():
    return forms.ChoiceField(
        label=_("Time zone"), choices=TIME_ZONE_CHOICES,
        help_text=_("The venue's zone for the convening; otherwise the zone you are typing the times in."),
        error_messages={"invalid_choice": _("“%(value)s” is not a time zone we know. Choose one from the list.")},
    )


def _aware(naive, zone):
    if naive is None:
        return None
    return timezone.make_aware(naive, zone)


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    learning_goal = forms.ChoiceField(
        label=_("Learning goal"), choices=[("", _("— none —")), *LearningGoal.choices], required=False
    )
    audience = forms.ChoiceField(
        label=_("Audience"), choices=Session.Audience.choices,
        help_text=_("Coaching sessions and checkpoints are always for their city."),
    )
    city = forms.ModelChoiceField(label=_("City"), queryset=None, required=False)
    time_zone = _zone_field()
    starts_at = WallClockField(label=_("Starts"))
    ends_at = WallClockField(label=_("Ends"))
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False,
                            help_text=_("Needed for the in-person convening."))
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    speakers = forms.CharField(label=_("Faculty or speakers"), widget=forms.Textarea(attrs={"rows": 2}),
                               required=False, help_text=_("One per line."))
    materials = forms.CharField(label=_("Materials"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                help_text=_("One link per line."))
    required = forms.BooleanField(label=_("Attendance is required"), required=False, initial=True)

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["city"].queryset = cohort.cities.order_by("name")

    def clean_materials(self):
        links = [line.strip() for line in self.cleaned_data["materials"].splitlines() if line.strip()]
        validator = forms.URLField(assume_scheme="https").clean
        for link in links:
            try:
                validator(link)
            except forms.ValidationError:
                raise forms.ValidationError(_("“%(link)s” is not a web address.") % {"link": link}) from None
        return "\n".join(links)

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                if cleaned.get(name):
                    cleaned[name] = _aware(cleaned[name], zone)
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The session must end after it starts."))
        if cleaned.get("kind") in Session.CITY_KINDS and not cleaned.get("city"):
            self.add_error("city", _("Coaching sessions and checkpoints are for one city: choose it."))
        if cleaned.get("audience") == Session.Audience.CITY and not cleaned.get("city"):
            self.add_error("city", _("Choose the city this session is for."))
        if cleaned.get("kind") == Session.Kind.CONVENING and not cleaned.get("venue", "").strip():
            self.add_error("venue", _("An in-person session needs its venue."))
        return cleaned

    @classmethod
    def initial_for(cls, session):
        zone = session.zone
        initial = {name: getattr(session, name) for name in [
            "kind", "title", "description", "learning_goal", "audience", "city", "time_zone", "venue", "video_url",
            "speakers", "materials", "required"]}
        initial["starts_at"] = timezone.localtime(session.starts_at, zone).replace(tzinfo=None)
        initial["ends_at"] = timezone.localtime(session.ends_at, zone).replace(tzinfo=None)
        return initial


class DayForm(forms.Form):
    """A segment of a multi-day session, in the session's time zone."""

    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=_("Day"), max_length=100, required=False)
    starts_at = WallClockField(label=_("Starts"), required=False)
    ends_at = WallClockField(label=_("Ends"), required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    def clean(self):
        cleaned = super().clean()
        filled = [cleaned.get(n) for n in ("label", "starts_at", "ends_at")]
        if any(filled) and not all(filled):
            missing = next(n for n in ("label", "starts_at", "ends_at") if not cleaned.get(n))
            self.add_error(missing,
                           _("Give the day's label, start and end, or leave all three empty."))
        elif all(filled) and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends_at", _("The day must end after it starts."))
        return cleaned


DayFormSet = forms.formset_factory(DayForm, extra=3, max_num=10)


def day_initial(session):
    zone = session.zone
    return [
        {"pk": d.pk, "label": d.label, "required": d.required,
         "starts_at": timezone.localtime(d.starts_at, zone).replace(tzinfo=None),
         "ends_at": timezone.localtime(d.ends_at, zone).replace(tzinfo=None)}
        for d in session.days.all()
    ]


def days_from(formset, zone_name):
    zone = zoneinfo.ZoneInfo(zone_name)
    days = []
    for form in formset:
        data = form.cleaned_data
        if data.get("label") and data.get("starts_at") and data.get("ends_at"):
            days.append({"pk": data.get("pk"), "label": data["label"], "required": data.get("required", False),
                         "starts_at": _aware(data["starts_at"], zone), "ends_at": _aware(data["ends_at"], zone)})
    return days


class RSVPForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Will you attend?"), widget=forms.RadioSelect,
        choices=[(Response.YES, Response.YES.label),
                 (Response.NO, _("No: I will not attend (no reason needed)")),
                 (Response.APOLOGY, _("Apology: I cannot attend and say why (my team and coach see the reason)"))],
        help_text=_("An apology tells your team and coach why you are away, so the absence is understood; "
                    "a plain “No” only declines."),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Needed with an apology; your team and coach see it."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("response") == Response.APOLOGY and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say briefly why you cannot come, so your team and coach know."))
        return cleaned


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to nobody; kept in the audit log)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


def attendance_choices():
    labels = dict(Attendance.Status.choices)
    return [("", _("— not marked —")), *((status, labels[status]) for status in Attendance.MARKABLE)]


class AttendanceForm(forms.Form):
    """One choice per invitee of the page shown, named after the invitation's code, and one
    choice for every row of the page left unmarked, so a whole page is marked at once."""

    bulk = forms.ChoiceField(label=_("Mark everyone left “not marked” on this page as"), required=False)

    def __init__(self, *args, invitations, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        choices = attendance_choices()
        self.fields["bulk"].choices = [("", "—"), *choices[1:]]
        # One field built and copied per invitee: its choices are the same for every row.
        proto = forms.ChoiceField(choices=choices, required=False)
        for invitation in invitations:
            field = copy.copy(proto)
            field.label, field.initial = invitation.person.full_name, current.get(invitation.person_id, "")
            self.fields[f"i-{invitation.code}"] = field

    def rows(self):
        """(invitation, bound field, the <option>s with the current one selected) per invitee.

        The options are built here rather than in a template loop: with hundreds of invitees the
        template engine's per-node cost dominated the page."""
        choices = [(str(value), str(label)) for value, label in attendance_choices()]
        built = {}  # the options for each value that can be current, built once
        for invitation in self.invitations:
            field = self[f"i-{invitation.code}"]
            current = str(field.value() or "")
            options = built.get(current)
            if options is None:
                options = built[current] = format_html_join(
                    "", "<option value=\"{}\"{}>{}</option>",
                    ((value, mark_safe(" selected") if value == current else "", label) for value, label in choices),
                )
            yield invitation, field, options

    def marks(self):
        bulk = self.cleaned_data.get("bulk", "")
        return {inv: self.cleaned_data.get(f"i-{inv.code}", "") or bulk for inv in self.invitations}


class AttendanceImportForm(forms.Form):
    """A participant report and the zone its times are written in (reports do not say)."""

    report = forms.FileField(
        label=_("Participant report"),
        help_text=_("The CSV file Zoom (participant report) or Microsoft Teams (attendance report) lets you download "
                    "after the call, or any table with the columns email, name, join and leave."),
        error_messages={"required": _("Choose the report file to import."),
                        "empty": _("The file is empty.")},
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the report's times"), choices=TIME_ZONE_CHOICES,
        help_text=_("The zone of the account that downloaded the report; times with their own offset keep it."),
        error_messages={"invalid_choice": _("“%(value)s” is not a time zone we know. Choose one from the list.")},
    )

    def __init__(self, *args, max_bytes, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_report(self):
        report = self.cleaned_data["report"]
        if report.size > self.max_bytes:
            raise forms.ValidationError(_("The file is larger than %(size)d KB; a participant report is much "
                                          "smaller.") % {"size": self.max_bytes // 1024})
        return report

    def clean_time_zone(self):
        return zoneinfo.ZoneInfo(self.cleaned_data["time_zone"])


class AttendanceThresholdsForm(forms.ModelForm):
    class Meta:
        model = AttendanceThresholds
        fields = ["late_after_minutes", "min_stay_percent", "absent_under_minutes"]


class CalendarFilterForm(forms.Form):
    """The cohort calendar's filters, read from the address. A value that is not a choice (an old
    link, a typed address) is reported and ignored, never an error page."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    goal = forms.ChoiceField(label=_("Learning goal"), required=False)

    UNKNOWN = {
        "kind": _("There is no kind of session “%(value)s”; every kind is shown."),
        "city": _("There is no city “%(value)s” in this calendar; every city is shown."),
        "goal": _("There is no learning goal “%(value)s”; every learning goal is shown."),
    }

    def __init__(self, data, *, cities):
        """`cities`: (pk, slug, name) of the cities to offer, in order."""
        super().__init__({key: data.get(key, "") for key in ("kind", "city", "goal")})
        self.cities = {slug: pk for pk, slug, _name in cities}
        self.fields["kind"].choices = [("", _("Every kind")), *Session.Kind.choices]
        self.fields["city"].choices = [("", _("Every city")), *((slug, name) for _pk, slug, name in cities)]
        self.fields["goal"].choices = [("", _("Every learning goal")), *LearningGoal.choices]

    def chosen(self):
        """{kind, city (its id), goal} for the valid values given; unknown ones are left out."""
        self.is_valid()
        values = {name: value for name, value in self.cleaned_data.items() if value}
        if "city" in values:
            values["city"] = self.cities[values["city"]]
        return values

    def notices(self):
        """One sentence per ignored value, naming the filter."""
        self.is_valid()
        return [self.UNKNOWN[name] % {"value": self.data[name]} for name in self.fields if name in self.errors]

    def selects(self):
        """(bound field, its <option>s with the current one selected) per filter, built here: a
        template loop over a hundred cities costs more than the rest of the page."""
        for field in self:
            current = str(field.value() or "")
            options = format_html_join(
                "", "<option value=\"{}\"{}>{}</option>",
                ((value, mark_safe(" selected") if str(value) == current else "", label)
                 for value, label in field.field.choices),
            )
            yield field, options

    def query(self):
        """The valid filters as an address query (to carry over to the month and view links)."""
        self.is_valid()
        return urlencode({name: value for name, value in self.cleaned_data.items() if value})
def _score_field(label, low, high):
    choices = [(1, f"1 — {low}"), (2, "2"), (3, "3"), (4, "4"), (5, f"5 — {high}")]
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 to 5."),
                        "invalid_choice": _("Choose a score from 1 to 5.")},
    )


class FeedbackForm(forms.Form):
    usefulness = _score_field(_("How useful was this session?"), _("not useful"), _("very useful"))
    will_apply = _score_field(_("I will apply this in my city"), _("not at all"), _("certainly"))
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what worked, what to change. Program staff and your city's coach read it."),
    )
