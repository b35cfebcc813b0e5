from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import Membership, Role, RoleInvitation


class TeamInviteForm(forms.Form):
    same_markup_when_blank = True  # fixed fields and choices: the team page reuses its markup

    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    title = forms.CharField(
        label=_("Job title"), max_length=200, required=False,
        help_text=_("Needed for “Other role”; optional otherwise."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.OTHER and not cleaned.get("title", "").strip():
            self.add_error("title", _("Give the job title for “Other role”."))
        return cleaned


class PersonInviteForm(forms.Form):
    """Invite a coach or a member of program staff (they belong to no city)."""

    same_markup_when_blank = True  # fixed fields and choices: the people page reuses its markup

    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Role"),
        choices=[(RoleInvitation.Kind.COACH, _("Coach")), (RoleInvitation.Kind.STAFF, _("Program staff"))],
    )


class MembershipRoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "title"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.OTHER and not cleaned.get("title", "").strip():
            self.add_error("title", _("Give the job title for “Other role”."))
        return cleaned
