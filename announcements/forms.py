from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.registry import registered_messages
from agenda.models import Session
from cohorts.models import City, Cohort

from .models import AudienceRole, SessionFilter
from .selectors import audience_recipients, cohort_sessions


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session):
        when = session.starts_at.astimezone(session.zone).strftime("%Y-%m-%d")
        city = f" · {session.city.name}" if session.city_id else ""
        return f"{when} · {session.title}{city}"


class AnnouncementForm(forms.Form):
    """The message and its audience; every choice list is limited to the cohort."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("Plain text. Each recipient gets it with a greeting and a closing line "
                                       "in their own language."))
    cities = forms.ModelMultipleChoiceField(
        label=_("Cities"), queryset=City.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every city of the cohort still taking part."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=AudienceRole.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Without a session, choose at least one. With a session, none chosen means every role."),
    )
    session = SessionChoiceField(
        label=_("Session"), queryset=Session.objects.none(), required=False, to_field_name="code",
        empty_label=_("No session: the cohort's people"),
        help_text=_("Write to the invitees of one session instead."),
    )
    session_filter = forms.MultipleChoiceField(
        label=_("Who of its invitees"), choices=SessionFilter.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Anyone matching one of these; none chosen: every invitee."),
    )

    AUDIENCE_FIELDS = ("cities", "roles", "session", "session_filter")

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["cities"].queryset = City.objects.filter(cohort=cohort).order_by("name")
        self.fields["session"].queryset = cohort_sessions(cohort)
        self.recipients = None

    @classmethod
    def initial_for(cls, announcement):
        return {
            "subject": announcement.subject, "body": announcement.body,
            "cities": list(announcement.cities.all()), "roles": announcement.roles,
            "session": announcement.session, "session_filter": announcement.session_filter,
        }

    def clean(self):
        data = super().clean()
        if any(name in self.errors for name in self.AUDIENCE_FIELDS):
            return data
        session, roles = data.get("session"), data.get("roles") or []
        if session is None and data.get("session_filter"):
            self.add_error("session_filter", _("Choose the session these answers or marks are about."))
            return data
        if session is None and not roles:
            self.add_error("roles", _("Choose at least one role, or a session."))
            return data
        self.recipients = audience_recipients(
            self.cohort, city_ids=[city.pk for city in data.get("cities") or []], roles=roles, session=session,
            session_filter=data.get("session_filter") or [],
        )
        if not self.recipients:
            # The form's only error that is not a field's; the page shows it atop the audience
            # fields, since no single one of them is wrong. An announcement to nobody cannot be sent.
            self.add_error(None, _("Nobody is in this audience. Choose other cities, roles or invitees."))
        return data

    def service_fields(self):
        data = self.cleaned_data
        return {"subject": data["subject"], "body": data["body"], "cities": list(data["cities"]),
                "roles": data["roles"], "session": data["session"], "session_filter": data["session_filter"]}


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *OutgoingMessage.Status.choices])
    kind = forms.ChoiceField(label=_("Kind of message"), required=False)
    cohort = forms.ModelChoiceField(label=_("Cohort"), required=False, queryset=Cohort.objects.all(),
                                    to_field_name="slug", empty_label=_("All"))
    city = forms.ModelChoiceField(label=_("City"), required=False, queryset=City.objects.order_by("name"),
                                  to_field_name="slug", empty_label=_("All"))
    address = forms.CharField(label=_("Address starts with"), required=False, max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *((name, name) for name in sorted(registered_messages()))]
